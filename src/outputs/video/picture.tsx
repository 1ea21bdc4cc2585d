/**
 * The picture of a render: the scene's own components (SceneRoot: the mosaic, threads, camera
 * drift, flash guard and post passes) in an r3f root of its own on a canvas that is never on the
 * page, following a store, runtime and clock of its own onto which the log is played
 * (src/log/player.ts). The live show's store, clock and canvas are never touched: it goes on.
 *
 * Each frame is drawn by a step of the render's own paused clock to exactly t = from + n / fps:
 * a paused clock moved by less than a quarter second is followed under the flash guard as one
 * frame of that length (src/scene/scene-frame.ts), so the guard's smoothing runs at the render's
 * frame rate. Quality is locked full: pixel ratio 1, full detail, no adaptive quality.
 */
import { createRoot } from '@react-three/fiber';
import type { ReconcilerRoot, RootState } from '@react-three/fiber';
import { createDreamStore } from '../../store/dream-store.ts';
import { createRuntime } from '../../runtime/runtime.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { createPlayer } from '../../log/player.ts';
import type { ShowPlayer } from '../../log/player.ts';
import { logStart } from '../../model/index.ts';
import type { ShowLog } from '../../model/index.ts';
import { SceneRoot } from '../../scene/SceneRoot.tsx';
import { SceneRuntime } from '../../scene/scene-runtime.ts';

export interface PictureOptions {
  width: number;
  height: number;
  /** As the audience sees it (private dreamers veiled, their threads hidden). */
  audience: boolean;
}

/** A picture of its own for a log: `drawAt(t)` draws the dream at dream time t on `canvas`. */
export class RenderPicture {
  readonly canvas: HTMLCanvasElement;
  readonly scene = new SceneRuntime();
  private readonly runtime: Runtime;
  private readonly player: ShowPlayer;
  private root: ReconcilerRoot<HTMLCanvasElement> | null = null;
  private state: RootState | null = null;

  private constructor(log: ShowLog, private readonly options: PictureOptions) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = options.width;
    this.canvas.height = options.height;
    const store = createDreamStore(logStart(log));
    // A frame that fails is an error of the render (not counted as the page's and let go).
    this.runtime = createRuntime(store, { onError: (e) => this.failures.push(e) });
    this.runtime.clock.pause();
    this.player = createPlayer(this.runtime, log);
    this.scene.audience = options.audience;
    this.scene.stats.quality = 'full';
    this.scene.stats.detail = 'full';
  }

  readonly failures: unknown[] = [];

  /** Mount the scene and draw its first frame at `from`. */
  static async create(log: ShowLog, options: PictureOptions, from: number): Promise<RenderPicture> {
    const p = new RenderPicture(log, options);
    try {
      await p.mount();
      p.player.seek(from);
      p.step(0);
    } catch (err) {
      // A failed setup lets its WebGL context go (browsers drop the oldest past their limit: the live scene's).
      p.dispose();
      throw err;
    }
    return p;
  }

  private async mount(): Promise<void> {
    const root = createRoot(this.canvas);
    this.root = root;
    const { width, height } = this.options;
    await root.configure({
      frameloop: 'never',
      flat: true,
      dpr: 1,
      size: { width, height, top: 0, left: 0 },
      // preserveDrawingBuffer: the encoder copies the canvas after the frame's task; and pixels can be read back for checks.
      gl: { antialias: false, alpha: false, stencil: false, depth: true, powerPreference: 'high-performance', preserveDrawingBuffer: true },
      camera: { fov: 38, near: 0.1, far: 80, position: [0, 0, 12.5] },
      onCreated: (state) => {
        this.state = state;
      },
    });
    const { store, clock } = this.runtime;
    // A lost context would leave the frames as they were: the render fails instead.
    const lost = (isLost: boolean) => {
      if (isLost) this.failures.push(new Error("renderVideo: the render's WebGL context was lost"));
    };
    const rootStore = root.render(<SceneRoot runtime={this.scene} store={store} clock={clock} onContextLost={lost} registerStats={false} />);
    this.state = rootStore.getState();
    // The scene's effects (its clock listener among them) run once React has committed.
    for (let i = 0; i < 200 && !this.listening(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!this.listening()) throw new Error('renderVideo: the render picture did not mount');
  }

  /** Whether the scene follows the clock yet: a step draws a frame. */
  private listening(): boolean {
    const before = this.scene.stats.frames;
    this.runtime.clock.step(0);
    return this.scene.stats.frames > before;
  }

  private step(dt: number): void {
    this.runtime.clock.step(dt);
    if (this.failures.length > 0) throw this.failures[0] instanceof Error ? this.failures[0] : new Error(String(this.failures[0]));
  }

  /** Draw the dream at dream time `t` (after the last drawn one, by less than a quarter second). */
  drawAt(t: number): void {
    this.step(Math.max(0, t - this.runtime.clock.time()));
  }

  time(): number {
    return this.runtime.clock.time();
  }

  /** The frame's pixels (RGBA, rows from the bottom as WebGL reads them). */
  readPixels(): Uint8Array<ArrayBuffer> {
    const gl = this.state!.gl.getContext();
    const px = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
    gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, px);
    return px;
  }

  dispose(): void {
    this.player.stop();
    this.root?.unmount();
    this.root = null;
    this.runtime.dispose();
  }
}
