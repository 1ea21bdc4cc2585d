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
  const dream = new SimulatedDream(initial, options.actions);
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  // Tone.Offline would make the offline context the global one while the score is scheduled;
  // we build the same OfflineContext around a native one and hand it to the engine explicitly,
  // so the live show's context is never swapped out, and the native context lets us suspend.
  const Native = (globalThis as unknown as { OfflineAudioContext: typeof OfflineAudioContext }).OfflineAudioContext;
  const native = new Native(2, Math.ceil(seconds * sampleRate), sampleRate);
  const context = new Tone.OfflineContext(native);
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
    // Every few seconds the rendering pauses and the notes that have rung out are let go, so a
    // long render does not carry every finished note to its end.
    const sweepEvery = 5;
    for (let t = sweepEvery; t < seconds; t += sweepEvery) {
      void native.suspend(t).then(() => {
        engine.sweep(t);
        return native.resume();
      });
    }
    const buffer = await context.render();
    const t1 = typeof performance !== 'undefined' ? performance.now() : Date.now();
    const channels: Float32Array[] = [];
    for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(new Float32Array(buffer.getChannelData(c)));
    engine.sweep(Infinity);
    return { sampleRate, channels, renderSeconds: (t1 - t0) / 1000, finalState: dream.getState(), nodes: { start, end: engine.nodeCount.persistent } };
  } finally {
    engine.dispose();
    void context.dispose();
  }
};
