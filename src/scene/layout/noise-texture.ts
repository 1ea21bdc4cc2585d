import { hash2, unit } from '../../model/hash.ts';

/** Side of the sky's noise texture in texels. */
export const NOISE_SIZE = 256;
/** Lattice cells across the texture per channel (R, G, B, A): four octaves in one fetch. */
export const NOISE_PERIODS = [4, 8, 16, 32] as const;

const smooth = (t: number): number => t * t * t * (t * (t * 6 - 15) + 10);

/**
 * A seeded, tileable value-noise texture (RGBA8): each channel is one octave, smoothly
 * interpolated at build time, so the sky's shader gets four octaves from one bilinear fetch
 * instead of hashing a lattice per pixel (which software WebGL cannot afford at full frame).
 */
export const buildNoiseTexels = (seed: number, size = NOISE_SIZE): Uint8Array => {
  const out = new Uint8Array(size * size * 4);
  for (let c = 0; c < 4; c++) {
    const period = NOISE_PERIODS[c]!;
    const cell = size / period;
    const salt = (seed ^ Math.imul(c + 1, 0x9e3779b9)) >>> 0;
    const lattice = new Float32Array(period * period);
    for (let j = 0; j < period; j++) for (let i = 0; i < period; i++) lattice[j * period + i] = unit(hash2(i, j, salt));
    for (let y = 0; y < size; y++) {
      const fy = y / cell;
      const j0 = Math.floor(fy);
      const v = smooth(fy - j0);
      const r0 = (j0 % period) * period;
      const r1 = ((j0 + 1) % period) * period;
      for (let x = 0; x < size; x++) {
        const fx = x / cell;
        const i0 = Math.floor(fx);
        const u = smooth(fx - i0);
        const i1 = (i0 + 1) % period;
        const a = lattice[r0 + (i0 % period)]!;
        const b = lattice[r0 + i1]!;
        const d0 = lattice[r1 + (i0 % period)]!;
        const d1 = lattice[r1 + i1]!;
        const value = a + (b - a) * u + (d0 - a) * v + (a - b - d0 + d1) * u * v;
        out[(y * size + x) * 4 + c] = Math.round(value * 255);
      }
    }
  }
  return out;
};
