/**
 * Integer hashes for the scene's layout. Deterministic from a seed, no Math.random: the same seed
 * gives the same mosaic in every window. The shaders use the same mixer (shaders/hash.glsl), so a
 * tile's seeded motion can be reproduced on the CPU in tests.
 */

/** A 32-bit integer mixer (lowbias32 by Chris Wellons). */
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

/** 0..1 from a 32-bit hash. */
export const unit = (h: number): number => h / 4294967296;

const smooth = (t: number): number => t * t * (3 - 2 * t);

/** Smooth value noise in 0..1 on a unit lattice, seeded. */
export const valueNoise = (x: number, y: number, seed: number): number => {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const u = smooth(x - xi);
  const v = smooth(y - yi);
  const a = unit(hash2(xi, yi, seed));
  const b = unit(hash2(xi + 1, yi, seed));
  const c = unit(hash2(xi, yi + 1, seed));
  const d = unit(hash2(xi + 1, yi + 1, seed));
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
};
