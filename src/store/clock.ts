import { advance } from './dream-store.ts';
import { listeners } from '../lib/listeners.ts';
import type { DreamStore } from './dream-store.ts';

/**
 * The dream clock. Once per animation frame the view calls `frame(now)`; the clock advances the
 * dream by the time that passed on its source (the audio engine's Transport while music plays,
 * the page's clock otherwise) and then tells the renderers to draw. Paused, only `step` moves it.
 */
export interface DreamClock {
  /** Dream time in seconds (the model's clock). */
  time(): number;
  paused(): boolean;
  pause(): void;
  resume(): void;
  /** Advance exactly `seconds` of dream time and render one frame synchronously. */
  step(seconds: number): void;
  /** Drive from an animation frame: `now` in seconds on the page's clock. */
  frame(now: number): void;
  /** A renderer to run after every advance: `sync` is true for a step that must draw at once. */
  onAdvance(fn: (sync: boolean) => void): () => void;
  /** Let the audio engine be the time source (seconds, monotonic while running); null for the page's clock. */
  setSource(source: (() => number) | null): void;
}

/** Longest gap taken from a frame on the page's clock (a hidden tab, a debugger pause): the dream does not leap. */
export const MAX_FRAME_DT = 0.25;
/**
 * With the music as the source, slow frames must not let the picture fall behind what is heard:
 * only a gap longer than this (the context was suspended) is cut short.
 */
export const MAX_SOURCE_DT = 2;

export interface DreamClockOptions {
  /**
   * A renderer that throws is reported here and the others still run (the picture failing must
   * not stop the music or the audience's sync). Without it, the first error is rethrown after
   * every renderer has run.
   */
  onError?: (error: unknown) => void;
  /**
   * For this many seconds of the page's clock from its first frame, a frame's gap is taken in
   * full (up to this many seconds) instead of capped at MAX_FRAME_DT. A performer tab that resumed a show after a
   * reload draws its first frames slowly (compiling shaders, up to a second each); its audiences
   * dreamt on meanwhile, and capping those frames would pull them back.
   */
  longFramesFor?: number;
  /**
   * The page's clock (s, as frames give it) from which the first frame counts its time. Without
   * it the first frame advances nothing; a resumed show counts from its boot, so the time spent
   * loading before the first frame is not lost to its audiences.
   */
  since?: number;
  /**
   * The longest frame taken in full on the page's clock (default MAX_FRAME_DT). A performer's
   * audiences dream on at the wall clock's pace between its states: a performer that capped its
   * slow frames (a busy machine, shaders compiling) would fall behind them, and each of its next
   * states would pull them back. A performer takes frames up to MAX_SOURCE_DT in full.
   */
  maxFrameSeconds?: number;
  /** Runs at the start of every frame and step, paused or not (continuous values land here). */
  beforeAdvance?: () => void;
  /** How dream time moves on (the runtime's: a replayed log applies its entries at each step). */
  advance?: (dt: number) => void;
}

export const createDreamClock = (store: DreamStore, options: DreamClockOptions = {}): DreamClock => {
  const advanced = listeners<[boolean]>();
  let isPaused = false;
  let lastNow: number | null = options.since ?? null;
  let source: (() => number) | null = null;
  let lastSource: number | null = null;
  let longFramesUntil: number | null = null;
  const move = options.advance ?? ((dt: number) => advance(store, dt));
  const notify = (sync: boolean) => {
    let failed = false;
    let first: unknown;
    advanced.emit(sync, (error) => {
      if (options.onError) options.onError(error);
      else if (!failed) {
        failed = true;
        first = error;
      }
    });
    if (failed) throw first;
  };
  return {
    time: () => store.getState().dream.clock,
    paused: () => isPaused,
    pause: () => {
      isPaused = true;
    },
    resume: () => {
      isPaused = false;
      lastNow = null;
      lastSource = null;
    },
    step: (seconds) => {
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        throw new TypeError(`clock.step: seconds must be a finite number ≥ 0, got ${String(seconds)}`);
      }
      options.beforeAdvance?.();
      move(seconds);
      notify(true);
    },
    frame: (now) => {
      options.beforeAdvance?.();
      let dt = 0;
      if (source) {
        const t = source();
        dt = lastSource === null ? 0 : t - lastSource;
        lastSource = t;
      } else {
        dt = lastNow === null ? 0 : now - lastNow;
      }
      lastNow = now;
      longFramesUntil ??= now + (options.longFramesFor ?? 0);
      // In the long-frames window a frame is taken in full up to the window's length.
      const cap = source ? MAX_SOURCE_DT : now <= longFramesUntil ? Math.max(MAX_SOURCE_DT, options.longFramesFor ?? 0) : (options.maxFrameSeconds ?? MAX_FRAME_DT);
      if (!isPaused && dt > 0) move(Math.min(dt, cap));
      notify(false);
    },
    onAdvance: advanced.add,
    setSource: (s) => {
      source = s;
      lastSource = null;
    },
  };
};
