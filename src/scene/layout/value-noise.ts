import { hash2, unit } from '../../model/hash.ts';

/**
 * Smooth value noise for the scene's layout, from the one hash family (src/model/hash.ts):
 * deterministic from a seed, so the same seed gives the same mosaic in every window.
 */

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
