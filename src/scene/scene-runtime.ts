import type { DreamState } from '../model/index.ts';
import { createSceneFrame } from './scene-frame.ts';
import type { Detail, Quality } from './adaptive-quality.ts';

/** What `window.dreamscape.stats()` returns: figures of the last whole frame, postprocessing included. */
export interface SceneStats {
  fps: number;
  /** Milliseconds the last frame took to update and submit (the CPU side of a frame). */
  frameMs: number;
  drawCalls: number;
  triangles: number;
  geometries: number;
  textures: number;
  programs: number;
  /** Shader variants the layers have made so far (each world's kinds, on first use; a bounded set). */
  variants: number;
  tiles: number;
  pixelRatio: number;
  /** Frames rendered since the scene mounted. */
  frames: number;
  /** The scene has rendered at least once since it mounted or since its context came back. */
  ready: boolean;
  contextLost: boolean;
  /** The glitch's current step rate (held under 3 a second by the flash guard). */
  glitchStepsPerSecond: number;
  /** Milliseconds the last mosaic layout took to build. */
  layoutMs: number;
  /** Page errors seen in this window so far (uncaught errors, rejections, parts that failed to draw). */
  pageErrors: number;
  /** The picture's detail, set by adaptive quality: 'reduced' leaves the glow out. */
  detail: Detail;
  /** The window's quality choice: 'auto' (adaptive) or 'full' (pixel ratio 1 and full detail, locked). */
  quality: Quality;
  /** Frames the page will still draw though nothing changes (the resting mosaic's picture catching up). */
  pendingFrames: number;
  /** Another performer heard in this room within 5 s (the sync's; null: none). */
  otherPerformer?: { id: string; lastHeardMs: number; holdsRoom?: boolean } | null;
}

/**
 * The mutable heart of one mounted scene: the frame being drawn, the stats, and the flags the
 * clock listener reads to decide whether a frame must be drawn. One per DreamScene, kept across
 * renders; nothing in it is React state.
 */
export class SceneRuntime {
  readonly frame = createSceneFrame();
  readonly stats: SceneStats = {
    fps: 0,
    frameMs: 0,
    drawCalls: 0,
    triangles: 0,
    geometries: 0,
    textures: 0,
    programs: 0,
    variants: 0,
    tiles: 0,
    pixelRatio: 1,
    frames: 0,
    ready: false,
    contextLost: false,
    glitchStepsPerSecond: 0,
    layoutMs: 0,
    pageErrors: 0,
    detail: 'full',
    quality: 'auto',
    pendingFrames: 0,
  };
  audience = false;
  prefersReducedMotion = false;
  /** Something other than the dream changed (size, context restored): draw the next frame. */
  dirty = true;
  /**
   * How many times the WebGL context has come back. Geometry that let go of its CPU copy after
   * upload (the mosaic) is rebuilt when this changes: the new context has none of its buffers.
   */
  contextRestores = 0;
  /** The dream-state drawn last; an unchanged, settled dream is not drawn again. */
  lastDream: DreamState | null = null;
  /** Wall-clock time of the last frame, for fps only (never for anything visible). */
  private lastWall = -1;
  private frameStart = 0;

  /**
   * Frames the page's loop should still draw even if nothing changes (a part that catches up over
   * several frames, such as the resting mosaic's picture, asks for them: with the clock paused,
   * one change would otherwise draw one frame).
   */
  requestFrames(n: number): void {
    this.stats.pendingFrames = Math.max(this.stats.pendingFrames, n);
  }

  /** Whether a frame from the page's loop (not a synchronous step) has anything new to show. */
  needsFrame(dream: DreamState): boolean {
    return this.dirty || this.stats.pendingFrames > 0 || dream !== this.lastDream || !this.frame.settled;
  }

  beginFrame(now: number): void {
    this.frameStart = now;
  }

  endFrame(now: number, dream: DreamState): void {
    const s = this.stats;
    s.frameMs = now - this.frameStart;
    if (this.lastWall >= 0) {
      const interval = now - this.lastWall;
      if (interval > 0 && interval < 5000) {
        const fps = 1000 / interval;
        s.fps = s.fps === 0 ? fps : s.fps * 0.8 + fps * 0.2;
      }
    }
    this.lastWall = now;
    s.frames++;
    s.ready = true;
    s.glitchStepsPerSecond = this.frame.glitch > 0.001 ? this.frame.glitchStepsPerSecond : 0;
    this.lastDream = dream;
    this.dirty = false;
    if (s.pendingFrames > 0) s.pendingFrames--;
  }

  snapshot(): SceneStats {
    return { ...this.stats };
  }
}
