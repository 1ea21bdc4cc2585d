/**
 * Tap tempo, pure: tap times in, a tempo and the place of the beat out. Four taps or more set a
 * tempo: the beat period and the beat's place are a least-squares line through the tap times (so
 * one early or late tap moves the result by a fraction of its error, not all of it), and the last
 * tap's fitted time is a whole beat. Taps reset after 2 s without one; a tap far off the running
 * interval (under 60 % or over 160 % of it) starts over from that tap. Half and double time are a
 * multiplier on the result.
 */

export const TAP_RESET_MS = 2000;
export const MIN_TAPS = 4;
/** At most this many taps count (the latest), so a long run of taps follows a drifting drummer. */
export const MAX_TAPS = 16;

export type TapMultiplier = 0.5 | 1 | 2;

export interface TapState {
  /** Tap times (ms), oldest first. */
  taps: number[];
  multiplier: TapMultiplier;
}

export const freshTaps = (multiplier: TapMultiplier = 1): TapState => ({ taps: [], multiplier });

/** Add a tap at `at` (ms): returns the new state (pure). */
export const addTap = (state: TapState, at: number): TapState => {
  const taps = state.taps;
  const last = taps[taps.length - 1];
  if (last === undefined || at - last > TAP_RESET_MS || at <= last) return { ...state, taps: [at] };
  if (taps.length >= 2) {
    const running = (last - taps[0]!) / (taps.length - 1);
    const gap = at - last;
    if (gap < running * 0.6 || gap > running * 1.6) return { ...state, taps: [last, at] };
  }
  return { ...state, taps: [...taps, at].slice(-MAX_TAPS) };
};

export interface TapTempo {
  /** Beats a minute, the multiplier applied. */
  bpm: number;
  /** The fitted beat period (ms), before the multiplier. */
  periodMs: number;
  /** The fitted time (ms) of the last tap's beat. */
  beatAt: number;
  taps: number;
}

/** The tempo the taps give, or null with fewer than MIN_TAPS. */
export const tapTempo = (state: TapState): TapTempo | null => {
  const t = state.taps;
  const n = t.length;
  if (n < MIN_TAPS) return null;
  // Least squares: t_i ≈ a + b·i.
  const meanI = (n - 1) / 2;
  const meanT = t.reduce((s, x) => s + x, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanI) * (t[i]! - meanT);
    den += (i - meanI) ** 2;
  }
  const b = num / den;
  const a = meanT - b * meanI;
  return { bpm: (60_000 / b) * state.multiplier, periodMs: b, beatAt: a + b * (n - 1), taps: n };
};

/**
 * How far into a beat the dream is at `now` (ms), 0..1, for a tempo the taps gave: the tapped
 * beats fall on whole beats (with the multiplier: half time, every other tap).
 */
export const phaseAt = (tempo: TapTempo, now: number): number => {
  const period = 60_000 / tempo.bpm;
  const p = ((now - tempo.beatAt) / period) % 1;
  return p < 0 ? p + 1 : p;
};
