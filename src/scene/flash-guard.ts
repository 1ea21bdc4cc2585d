/**
 * The flash guard (WCAG 2.3.1, general flash and red flash thresholds): whatever the performer
 * does, the frame's mean luminance must not swing between bright and dark more than three times
 * in any one second. The scene limits what drives brightness rather than the picture itself:
 *
 * - every input that can change the picture's brightness (palette, depth, mood, presence,
 *   fracture, glitch) follows its target at a bounded rate, so no input can be toggled faster
 *   than the eye should see it;
 * - the glitch jumps in discrete steps locked to the beat; with the guard on, the step rate is
 *   held under three per second whatever the tempo, and the glitch's luminance-changing terms
 *   (rows dropping to black, colour flips) are replaced by luminance-neutral ones (rows tear
 *   sideways instead of going dark);
 * - reduced motion slows the steps further and softens the fracture's travel.
 *
 * Pure functions, tested in Node; the browser test measures real frames with `flashTransitions`.
 */

/** Glitch steps per second allowed with the guard on (strictly under three swings a second). */
export const GUARDED_STEPS_PER_SECOND = 2.5;
/** Glitch steps per second with reduced motion. */
export const REDUCED_STEPS_PER_SECOND = 1;
/** Beat subdivisions a glitch can step on, fastest first. */
export const SUBDIVISIONS = [4, 2, 1, 0.5, 0.25, 0.125] as const;

/** Per-second rates at which the guarded inputs may follow their targets. */
export const GUARD_RATES = {
  /** Signed fracture (recoil is negative): 0 → 1 takes 0.8 s. */
  fracture: 1.25,
  /** Glitch amount: 0 → 1 takes 0.67 s. */
  glitch: 1.5,
  /** Depth, arousal, unity (0..1) and valence (-1..1, half as fast in its own units). */
  scalar: 0.8,
  /** A dreamer's presence and visibility. */
  presence: 1,
  /** Palette and dreamer colours, per linear RGB channel. */
  colour: 0.4,
} as const;

/** Move `current` toward `target` by at most `maxDelta`. */
export const slew = (current: number, target: number, maxDelta: number): number => {
  if (!(maxDelta >= 0)) return target;
  const d = target - current;
  if (d > maxDelta) return current + maxDelta;
  if (d < -maxDelta) return current - maxDelta;
  return target;
};

/** The subdivision the glitch wants at this amount: harder glitches step faster. */
export const desiredSubdivision = (glitch: number): number => (glitch < 0.34 ? 1 : glitch < 0.67 ? 2 : 4);

/**
 * The beat subdivision the glitch steps on: the one it wants, slowed to the largest subdivision
 * whose steps per second stay within the guard's (or reduced motion's) limit at this tempo.
 */
export const glitchSubdivision = (glitch: number, tempo: number, guard: boolean, reducedMotion: boolean): number => {
  const want = desiredSubdivision(glitch);
  const cap = reducedMotion ? REDUCED_STEPS_PER_SECOND : guard ? GUARDED_STEPS_PER_SECOND : Infinity;
  const beatsPerSecond = Math.max(1e-6, tempo / 60);
  for (const sub of SUBDIVISIONS) {
    if (sub <= want && beatsPerSecond * sub <= cap) return sub;
  }
  return SUBDIVISIONS[SUBDIVISIONS.length - 1]!;
};

/** The glitch's step index: which step of the beat grid the dream is on. */
export const glitchStepIndex = (beat: number, subdivision: number): number => Math.floor(beat * subdivision + 1e-9);

/** Steps per second of a subdivision at a tempo. */
export const stepsPerSecond = (tempo: number, subdivision: number): number => (tempo / 60) * subdivision;

// ---- measuring flashes -------------------------------------------------------------------------

/** WCAG: a general flash is a change of at least 10% of the maximum relative luminance... */
export const LUMINANCE_SWING = 0.1;
/** ...where the darker state is below 0.80. */
export const DARK_LIMIT = 0.8;
/** WCAG's red flash: a change of (R - G - B) × 320 of more than 20, in saturated red. */
export const RED_SWING = 20;

/**
 * Significant swings in a series (a zigzag with hysteresis): a swing is counted when the value
 * has moved at least `swing` away from the last extreme in the direction opposite to the last
 * swing (the first swing may go either way), with the darker side below `darkLimit`. Returns the
 * sample index at which each swing completed.
 */
export const flashTransitions = (series: ArrayLike<number>, swing = LUMINANCE_SWING, darkLimit = Infinity): number[] => {
  const out: number[] = [];
  if (series.length === 0) return out;
  let dir = 0; // +1: last swing was up, -1: down, 0: none yet
  let hi = series[0]!;
  let lo = series[0]!;
  for (let i = 1; i < series.length; i++) {
    const v = series[i]!;
    if (v > hi) hi = v;
    if (v < lo) lo = v;
    if (dir <= 0 && v - lo >= swing && lo < darkLimit) {
      out.push(i);
      dir = 1;
      hi = v;
      lo = v;
    } else if (dir >= 0 && hi - v >= swing && v < darkLimit) {
      out.push(i);
      dir = -1;
      hi = v;
      lo = v;
    }
  }
  return out;
};

/** The most swings completed within any window of `window` samples. */
export const maxPerWindow = (indices: readonly number[], window: number): number => {
  let best = 0;
  let start = 0;
  for (let end = 0; end < indices.length; end++) {
    while (indices[end]! - indices[start]! >= window) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
};

/** sRGB 8-bit → linear, as a table. */
export const SRGB_TO_LINEAR = Float32Array.from({ length: 256 }, (_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
});

/**
 * Mean relative luminance and mean red-flash value of RGBA8 pixels (sRGB). The red value per
 * pixel is (R - G - B) × 320 where R / (R + G + B) ≥ 0.8 (WCAG's saturated red), else 0.
 */
export const frameMeasures = (rgba: ArrayLike<number>): { luminance: number; red: number } => {
  let lum = 0;
  let red = 0;
  const n = Math.floor(rgba.length / 4);
  for (let p = 0; p < n; p++) {
    const r = SRGB_TO_LINEAR[rgba[p * 4]!]!;
    const g = SRGB_TO_LINEAR[rgba[p * 4 + 1]!]!;
    const b = SRGB_TO_LINEAR[rgba[p * 4 + 2]!]!;
    lum += 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const sum = r + g + b;
    if (sum > 0 && r / sum >= 0.8) red += Math.max(0, (r - g - b) * 320);
  }
  return { luminance: n ? lum / n : 0, red: n ? red / n : 0 };
};
