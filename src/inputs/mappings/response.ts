import type { Mapping } from '../../model/mapping.ts';

/**
 * How a control's position becomes a target's value: pure functions of a position 0..1.
 * The curve shapes the travel (exp: fine at the bottom; s: fine at both ends), invert turns the
 * control round, min/max give the target's range. Takeover decides what happens when the control
 * and the target disagree (someone else moved the target, a preset changed, a learned fader sits
 * elsewhere), with the three behaviours Ableton Live names.
 */

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export const curve = (kind: Mapping['curve'], x: number): number => {
  const t = clamp01(x);
  switch (kind) {
    case 'exp':
      return t * t;
    case 's':
      return t * t * (3 - 2 * t);
    default:
      return t;
  }
};

/** The control position that gives `y` (the inverse of curve), for takeover and feedback. */
export const uncurve = (kind: Mapping['curve'], y: number): number => {
  const t = clamp01(y);
  switch (kind) {
    case 'exp':
      return Math.sqrt(t);
    case 's': {
      // smoothstep is monotonic on 0..1: bisect to 1e-7.
      let lo = 0;
      let hi = 1;
      for (let i = 0; i < 24; i++) {
        const mid = (lo + hi) / 2;
        if (mid * mid * (3 - 2 * mid) < t) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    }
    default:
      return t;
  }
};

export interface Range {
  min: number;
  max: number;
}

/** A control position (0..1) as the target's value. */
export const toValue = (m: Pick<Mapping, 'curve' | 'invert'>, range: Range, x: number): number => {
  const y = curve(m.curve, m.invert ? 1 - clamp01(x) : clamp01(x));
  return range.min + (range.max - range.min) * y;
};

/** Where the control would sit for the target's value (the inverse of toValue). */
export const toPosition = (m: Pick<Mapping, 'curve' | 'invert'>, range: Range, value: number): number => {
  const span = range.max - range.min;
  const y = span === 0 ? 0 : clamp01((value - range.min) / span);
  const x = uncurve(m.curve, y);
  return m.invert ? 1 - x : x;
};

/** Within this distance (of the control's travel) the control has caught the target. */
export const CATCH = 0.02;

export interface TakeoverState {
  /** The control's last position (null until it has moved once). */
  last: number | null;
  /** The control drives the target directly. */
  engaged: boolean;
}

export const freshTakeover = (): TakeoverState => ({ last: null, engaged: false });

/**
 * The position to apply for a control that moved to `x` while the target sits at `p` (both as
 * control positions), or null to leave the target alone. Mutates `state`.
 * - none: the target jumps to the control.
 * - pickup: nothing happens until the control reaches or crosses the target; then it follows.
 * - scale: the target moves in the control's direction, in proportion to the travel left on each
 *   side, so the two meet at the end of the control's travel; once they meet it follows.
 */
export const takeover = (mode: Mapping['takeover'], state: TakeoverState, x: number, p: number): number | null => {
  const prev = state.last;
  state.last = x;
  if (mode === undefined || mode === 'none') return x;
  if (Math.abs(x - p) <= CATCH) state.engaged = true;
  if (state.engaged) return x;
  if (mode === 'pickup') {
    const crossed = prev !== null && (prev - p) * (x - p) <= 0;
    if (!crossed) return null;
    state.engaged = true;
    return x;
  }
  // scale
  if (prev === null || x === prev) return null;
  const next = x > prev ? p + ((1 - p) * (x - prev)) / Math.max(1e-9, 1 - prev) : p - (p * (prev - x)) / Math.max(1e-9, prev);
  if (Math.abs(next - x) <= CATCH) state.engaged = true;
  return clamp01(next);
};

/**
 * Steps of a relative encoder from its 7-bit value: two's complement (1..63 up, 127..65 down) or
 * offset (65.. up, ..63 down, 64 still).
 */
export const relativeSteps = (encoding: 'relative-twos' | 'relative-offset', raw: number): number => {
  if (encoding === 'relative-twos') return raw === 0 ? 0 : raw < 64 ? raw : raw - 128;
  return raw - 64;
};

/** One encoder step moves the target by this much of its travel. */
export const STEP_OF_TRAVEL = 1 / 128;

/** A mapping's smoothing: the shaped position and when it was last updated (ms). */
export interface EnvelopeState {
  y: number | null;
  at: number;
}

export const freshEnvelope = (): EnvelopeState => ({ y: null, at: 0 });

/**
 * The gate, then attack and release (one-pole, time constants in ms), applied to a position
 * before the mapping's range and curve: a sound feature's jitter smoothed the way a performer
 * asks, and its floor cut off. Mutates `state`; `now` in ms.
 */
export const shape = (m: Pick<Mapping, 'attack' | 'release' | 'gate'>, state: EnvelopeState, x: number, now: number): number => {
  const g = m.gate ?? 0;
  const gated = g <= 0 ? clamp01(x) : x < g ? 0 : g >= 1 ? 1 : clamp01((x - g) / (1 - g));
  if (state.y === null || (!m.attack && !m.release)) {
    state.y = gated;
    state.at = now;
    return gated;
  }
  const dt = Math.max(0, now - state.at);
  state.at = now;
  const tau = gated > state.y ? (m.attack ?? 0) : (m.release ?? 0);
  state.y = tau <= 0 ? gated : state.y + (gated - state.y) * (1 - Math.exp(-dt / tau));
  return state.y;
};
