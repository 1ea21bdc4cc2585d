import { getParam } from '../model/index.ts';
import type { DreamState } from '../model/index.ts';
import { applyModulations } from '../store/dream-store.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { PARAMS_MIN_MS } from './protocol.ts';

/**
 * An audience device's continuous values between the performer's params messages (at most 20 a
 * second): each path glides from where it is to its new value, applied each frame as the device's
 * own modulation (it bumps `modulation`, as a fader does), so the picture moves as smoothly as the
 * performer's. It glides at the speed the value came at before (the last two messages for that
 * path), for at most PARAMS_MIN_MS: while a fader moves steadily that is one interval between
 * messages; the last value, which moved only part of an interval, is reached sooner, so the device
 * has it about PARAMS_MIN_MS after the fader stopped (the wait for the next send) plus the transit
 * and a frame, not that plus a whole glide. The first value after a pause glides over
 * PARAMS_MIN_MS.
 *
 * A full state or a patch replaces the dream in between. A path still gliding (or moved within
 * GLIDE_GRACE_MS) keeps where it was, and glides to the value the state brings, unless that state
 * is older (lower seq) than the params message it glides to: then it glides on to that. So a
 * heartbeat in the middle of a fader move is no jump, and an older state applied at a later frame
 * does not take a value back.
 */

/** A path moved within this long after its glide ended is still taken as moving (see above). */
export const GLIDE_GRACE_MS = 250;

interface Glide {
  from: number;
  to: number;
  start: number;
  end: number;
  /** The seq of the message that set `to`. */
  seq: number;
  /** `to` was written once the glide ended. */
  done: boolean;
  /** When the last params message for this path came. */
  heard: number;
  /** The speed (per ms) the value came at, from the two last messages (0: unknown). */
  speed: number;
  /** The value last written to the store (a replaced dream with this value did not bring one). */
  written?: number;
}

export interface Glider {
  /** A params message: glide each path to its new value. */
  target(values: Record<string, number>, seq: number): void;
  /** The dream was replaced by a message with this seq: keep moving paths where they were (above). */
  replaced(seq: number): void;
  /** Apply the values of now (each frame). */
  step(): void;
  /** Paths gliding or moved within GLIDE_GRACE_MS. */
  active(): number;
  stop(): void;
}

export interface GliderOptions {
  now?: () => number;
  /** The page's frames (the dream clock's onAdvance); without it, a 16 ms timer while anything glides. */
  onFrame?: (fn: () => void) => () => void;
  /** Glide time (ms; PARAMS_MIN_MS). */
  glideMs?: number;
}

const valueAt = (g: Glide, t: number): number => (t >= g.end ? g.to : t <= g.start ? g.from : g.from + ((g.to - g.from) * (t - g.start)) / (g.end - g.start));

/** The number the dream holds at `path`, or null (no such path, or not a number). */
const numberAt = (dream: DreamState, path: string): number | null => {
  try {
    const v = getParam(dream, path);
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
};

/** A glide from `from` to a new target heard at `t`, after `prev` (the last glide of that path). */
const glideTowards = (prev: Glide | undefined, from: number, to: number, t: number, seq: number, glideMs: number): Glide => {
  const recent = prev !== undefined && t - prev.heard <= 3 * glideMs;
  // Moving steadily: at the speed it came at; else (the first after a pause) over glideMs.
  const ms = recent && prev.speed > 0 ? Math.min(glideMs, Math.abs(to - from) / prev.speed) : glideMs;
  // (Messages leave at least glideMs apart: two that arrive closer were bunched on the way.)
  const speed = recent ? Math.abs(to - prev.to) / Math.max(glideMs, t - prev.heard) : 0;
  return { from, to, start: t, end: t + ms, seq, done: false, heard: t, speed };
};

/** Write values; a path this dream does not have (a dreamer gone with a preset) stops gliding. */
const writeGlides = (store: DreamStore, glides: Map<string, Glide>, values: [string, number][]) => {
  if (!values.length) return;
  const failed = applyModulations(
    store,
    values.map(([path, value]) => ({ type: 'modulate' as const, path, value })),
  );
  values.forEach(([path, value], i) => {
    if (failed.has(i)) glides.delete(path);
    else {
      const g = glides.get(path);
      if (g) g.written = value;
    }
  });
};

export const startGlider = (store: DreamStore, options: GliderOptions = {}): Glider => {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const glideMs = options.glideMs ?? PARAMS_MIN_MS;
  const glides = new Map<string, Glide>();
  const current = (path: string, t: number): number | null => {
    const g = glides.get(path);
    return g ? valueAt(g, t) : numberAt(store.getState().dream, path);
  };
  const write = (values: [string, number][]) => writeGlides(store, glides, values);
  let timer: ReturnType<typeof setInterval> | null = null;
  const step = () => {
    const t = now();
    const out: [string, number][] = [];
    for (const [path, g] of glides) {
      if (g.done) {
        if (t > g.end + GLIDE_GRACE_MS) glides.delete(path);
        continue;
      }
      out.push([path, valueAt(g, t)]);
      if (t >= g.end) g.done = true;
    }
    write(out);
    if (timer && glides.size === 0) {
      clearInterval(timer);
      timer = null;
    }
  };
  const unsubscribeFrame = options.onFrame?.(step);
  const ensureTicking = () => {
    if (!unsubscribeFrame && !timer) timer = setInterval(step, 16);
  };
  return {
    target: (values, seq) => {
      const t = now();
      for (const [path, to] of Object.entries(values)) {
        const from = current(path, t);
        if (from === null) continue;
        glides.set(path, glideTowards(glides.get(path), from, to, t, seq, glideMs));
      }
      ensureTicking();
    },
    replaced: (seq) => {
      if (!glides.size) return;
      const t = now();
      const dream = store.getState().dream;
      const keep: [string, number][] = [];
      for (const [path, g] of glides) {
        const here = valueAt(g, t);
        keep.push([path, here]);
        if (g.seq > seq) continue;
        const to = numberAt(dream, path);
        if (to === null) {
          glides.delete(path);
          keep.pop();
          continue;
        }
        // The replacement did not bring this value (a patch of other fields): glide on as before.
        if (to === g.written) continue;
        const ms = g.speed > 0 ? Math.min(glideMs, Math.abs(to - here) / g.speed) : glideMs;
        glides.set(path, { from: here, to, start: t, end: t + ms, seq, done: false, heard: g.heard, speed: g.speed });
      }
      write(keep);
      ensureTicking();
    },
    step,
    active: () => glides.size,
    stop: () => {
      unsubscribeFrame?.();
      if (timer) clearInterval(timer);
      glides.clear();
    },
  };
};
