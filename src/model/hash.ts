/**
 * The one hash family of the model, the scene and the score: seeded, stateless, never random.
 * lowbias32 (Chris Wellons) mixes integers; shaders/hash.glsl is the same mixer on the GPU, so a
 * tile's seeded motion can be reproduced on the CPU in tests. FNV-1a hashes strings to a seed.
 */

/** A 32-bit integer mixer (lowbias32). */
export const mix32 = (x: number): number => {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
};

/** Hash of two lattice coordinates and a seed. */
export const hash2 = (i: number, j: number, seed: number): number => mix32(Math.imul(i, 0x27d4eb2d) ^ mix32(Math.imul(j, 0x165667b1) ^ seed));

/** Hash of a seed and any integers (each part mixed in turn; a fraction is floored). */
export const hashInts = (seed: number, parts: readonly number[]): number => {
  let h = mix32(seed);
  for (const p of parts) h = mix32(h ^ Math.imul(Math.floor(p) | 0, 0x9e3779b9));
  return h;
};

/** 0..1 from a 32-bit hash. */
export const unit = (h: number): number => h / 4294967296;

/** FNV-1a over a string's UTF-16 code units: a 32-bit seed from a name or a text. */
export const fnv1a = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** Steps of the beat grid that the glitch's per-step values are numbered on: sixteenths. */
export const STEPS_PER_BEAT = 4;

/**
 * The hash of one step of a seeded sequence on the grid of sixteenths: the scene's glitch and the
 * score's glitch read the same value for the same seed and step, so what is seen and what is heard
 * glitch together.
 */
export const stepHash = (seed: number, step: number): number => hashInts(seed, [step]);

/** The step's value in 0..1 (unit of stepHash). */
export const stepValue = (seed: number, step: number): number => unit(stepHash(seed, step));
