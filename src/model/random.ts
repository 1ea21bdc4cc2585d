import { fnv1a } from './hash.ts';

/**
 * mulberry32: a tiny seeded generator. The model never calls Math.random(); its generator state
 * lives in the dream-state (`rng`), so the same seed and actions always give the same dream.
 */
export const nextRandom = (state: number): { value: number; state: number } => {
  const s = (state + 0x6d2b79f5) | 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, state: s >>> 0 };
};

/** A stateful generator for code outside the model (scene layout, score) seeded from the dream seed. */
export const mulberry32 = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => {
    const r = nextRandom(s);
    s = r.state;
    return r.value;
  };
};

/** Hash a string or number to a 32-bit seed (FNV-1a, src/model/hash.ts). */
export const hashSeed = (input: string | number): number => fnv1a(String(input));
