/**
 * Offline rendering: the same NeuroSymphony, on a Tone.OfflineContext, following a private copy
 * of the dream that the model's own `tick` moves along the offline Transport. Acts advance and
 * their events fire exactly as they would live; the live show's store, clock and audio context
 * are never touched.
 */
import * as Tone from 'tone';
import type { DreamAction, DreamState } from '../model/index.ts';
import { reduce, tick } from '../model/index.ts';
import { NeuroSymphony } from './engine.ts';
import type { DreamSource } from './engine.ts';

export interface TimedAction {
  /** Seconds from the start of the render. */
  at: number;
  action: DreamAction;
}

export interface RenderOptions {
  seconds: number;
  sampleRate?: number;
  audience?: boolean;
  /** Actions to dispatch during the render, as a performer would. */
  actions?: readonly TimedAction[];
  /** Fade-in at the start (short: an export of "the next N seconds" should start at once). */
  fadeIn?: number;
}

export interface RenderedAudio {
  sampleRate: number;
  channels: Float32Array[];
  /** Wall-clock seconds the render took. */
  renderSeconds: number;
  /** The dream as it was at the end of the render. */
  finalState: DreamState;
  /** Persistent audio nodes of the engine when it started, and at the end once everything has rung out. */
  nodes: { start: number; end: number };
}

export const MAX_RENDER_SECONDS = 600;

/** A dream advanced by the engine itself, offline: the model's tick on the Transport's time. */
export class SimulatedDream implements DreamSource {
  private state: DreamState;
  private readonly start: number;
  private readonly listeners = new Set<(s: DreamState, prev: DreamState) => void>();
  private readonly pending: TimedAction[];
  private elapsed = 0;

  constructor(initial: DreamState, actions: readonly TimedAction[] = []) {
    this.state = initial;
    this.start = initial.clock;
    this.pending = [...actions].sort((a, b) => a.at - b.at);
  }

  getState(): DreamState {
    return this.state;
  }

  subscribe(listener: (s: DreamState, prev: DreamState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(next: DreamState): void {
    const prev = this.state;
    if (next === prev) return;
    this.state = next;
    for (const l of this.listeners) l(next, prev);
  }

  /** Move the dream to `seconds` after the render began, dispatching the actions due on the way. */
  advanceTo(seconds: number): void {
    while (this.pending.length && this.pending[0]!.at <= seconds) {
      const { at, action } = this.pending.shift()!;
      if (at > this.elapsed) {
        this.set(tick(this.state, at - this.elapsed));
        this.elapsed = at;
      }
      try {
        this.set(reduce(this.state, action));
      } catch {
        /* an action the dream refuses is skipped, as the live dispatch would refuse it */
      }
    }
    if (seconds > this.elapsed) {
      this.set(tick(this.state, seconds - this.elapsed));
      this.elapsed = seconds;
    }
  }

  get clock(): number {
    return this.state.clock - this.start;
  }
}

/**
 * Seconds of music scheduled at a time, ahead of the rendering (whole render quanta). Each slice
 * waits for the page's main thread to schedule it, so not too short; each note sits in the graph
 * from the start of its slice, so not too long.
 */
const SLICE_SECONDS = 2;

/**
 * Tone's OfflineContext runs its whole clock (every Transport callback, so every note's nodes)
 * before the native rendering starts: every note of the piece then sits in the graph from the
 * first sample and is pulled through every block until it has played (a sixth of the render's
 * time in Chromium, for 30 s). This one runs the same clock, block by block, only as far as it is
 * told: a slice ahead of the rendering, while the rendering is suspended. Unlike Tone's, it does
 * not make itself the global context while it ticks: the engine is handed its context.
 */
class SlicedOfflineContext extends Tone.OfflineContext {
  private clock = 0;
  private readonly block: number;
  private readonly end: number;

  constructor(native: OfflineAudioContext) {
    super(native);
    this.block = 128 / native.sampleRate;
    this.end = native.length / native.sampleRate;
  }

  override now(): number {
    return this.clock;
  }

  override get currentTime(): number {
    return this.clock;
  }

  /** Run the clock (Transport callbacks, timeouts) up to `seconds`, a block at a time, as Tone's render does. */
  advanceTo(seconds: number): void {
    const limit = Math.min(this.end, seconds);
    while (this.clock <= limit) {
      this.emit('tick');
      this.clock += this.block;
    }
  }
}

/** A suspension the implementation refused: the slices after it would have been scheduled late. */
class SuspensionRefused extends Error {}

const clock = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Render `seconds` of the symphony for a dream, from its state now. */
export const renderDream = async (initial: DreamState, options: RenderOptions): Promise<RenderedAudio> => {
  const seconds = options.seconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_RENDER_SECONDS) {
    throw new RangeError(`renderAudio: seconds must be a number in (0, ${MAX_RENDER_SECONDS}], got ${String(seconds)}`);
  }
  const sampleRate = options.sampleRate ?? 44100;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192000) {
    throw new RangeError(`renderAudio: sampleRate must be an integer from 8000 to 192000, got ${String(sampleRate)}`);
  }
  const t0 = clock();
  // node-web-audio-api registers a suspension on another thread, and refuses it if the rendering
  // has started by then: the rendering waits a moment first, and should the race still be lost,
  // the render is made again, waiting longer (the same samples). Browsers register at once.
  for (const wait of REGISTER_WAITS) {
    try {
      return await renderOnce(initial, options, seconds, sampleRate, t0, wait);
    } catch (e) {
      if (!(e instanceof SuspensionRefused)) throw e;
    }
  }
  return renderOnce(initial, options, seconds, sampleRate, t0, null);
};

/** Milliseconds to let the suspensions be registered before rendering, on each attempt. */
const REGISTER_WAITS = [5, 50, 250] as const;

/** One render; `registerWait` null: no suspensions, the whole score is scheduled first. */
const renderOnce = async (initial: DreamState, options: RenderOptions, seconds: number, sampleRate: number, t0: number, registerWait: number | null): Promise<RenderedAudio> => {
  const dream = new SimulatedDream(initial, options.actions);
  // Tone.Offline would make the offline context the global one while the score is scheduled;
  // we build an OfflineContext around a native one and hand it to the engine explicitly, so the
  // live show's context is never swapped out, and the native context lets us suspend.
  const Native = (globalThis as unknown as { OfflineAudioContext: typeof OfflineAudioContext }).OfflineAudioContext;
  const frames = Math.ceil(seconds * sampleRate);
  const native = new Native(2, frames, sampleRate);
  const context = new SlicedOfflineContext(native);
  const engine = new NeuroSymphony({
    context,
    source: dream,
    audience: options.audience ?? false,
    drive: (t: number) => dream.advanceTo(t),
    fadeIn: options.fadeIn ?? 0.05,
    history: 0,
  });
  const start = engine.nodeCount.persistent;
  try {
    engine.toDestination();
    engine.start(0);
    const slice = 128 * Math.max(1, Math.round((SLICE_SECONDS * sampleRate) / 128));
    // Two blocks beyond the slice: a Transport callback runs at the first block at or after its
    // time and must have run before the rendering reaches that time, and an implementation may
    // round a suspension to the next block (node-web-audio-api rounds up, Chromium down).
    const ahead = (f: number) => context.advanceTo((Math.min(frames, f + slice) + 256) / sampleRate);
    let refused = false;
    let failure: unknown = null;
    const suspensions: Promise<void>[] = [];
    if (registerWait !== null && typeof native.suspend === 'function') {
      // A slice is scheduled while the rendering is suspended at its start; the notes that have
      // rung out by then are let go. The graph holds what a live one would.
      ahead(0);
      for (let f = slice; f < frames; f += slice) {
        const suspension = native.suspend(f / sampleRate).then(
          () => {
            // Whatever happens, the rendering goes on (a suspended context would never finish).
            try {
              ahead(f);
              engine.sweep(f / sampleRate);
            } catch (e) {
              failure ??= e;
            }
            return native.resume();
          },
          () => {
            refused = true;
          },
        );
        suspensions.push(suspension);
      }
      await new Promise((resolve) => setTimeout(resolve, registerWait));
    } else {
      // No suspending (Firefox): everything is scheduled before the rendering starts.
      context.advanceTo(Infinity);
    }
    const buffer = await native.startRendering();
    await Promise.all(suspensions);
    if (failure !== null) throw failure instanceof Error ? failure : new Error('renderAudio: a slice failed', { cause: failure });
    if (refused) throw new SuspensionRefused('renderAudio: the audio implementation refused a suspension');
    const t1 = clock();
    const channels: Float32Array[] = [];
    for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(new Float32Array(buffer.getChannelData(c)));
    engine.sweep(Infinity);
    return { sampleRate, channels, renderSeconds: (t1 - t0) / 1000, finalState: dream.getState(), nodes: { start, end: engine.nodeCount.persistent } };
  } finally {
    engine.dispose();
    void context.dispose();
  }
};
