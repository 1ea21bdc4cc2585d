import { mix32 } from '../../model/hash.ts';

/** The stars' lattice: cells of this many drawing-buffer pixels, one cell in sixteen lit. */
export const STAR_CELL = 11;
/** With the deep field (scene.sky.kind stars) three cells more in sixteen are lit, fainter. */
export const DEEP_FIELD_SHARE = 3;

export interface StarField {
  /** The stars every sky has (the first `count` points). */
  count: number;
  /** The deep field's stars after them (drawn only while the stars sky shows). */
  deepCount: number;
  /** Per star: its cell's lattice coordinates i, j, and 0 (every sky's) or 1 (the deep field's): a position attribute. */
  cells: Float32Array;
  /** Per star: four seeded numbers in 0..1 (where in its cell, twinkle rate and phase, size). */
  seeds: Float32Array;
}

/** 0..1 from the top 24 bits of a hash, as shaders/hash.glsl's unitOf. */
const unitOf = (h: number): number => (h >>> 8) / 16777216;

/**
 * The lit cells of the star lattice that can show in a picture of this size (the camera's drift
 * moves the lattice by a fraction of a cell, so a margin of two cells is kept), with the same
 * hashes shaders/hash.glsl would give each cell. Built once per picture size, on the CPU: the
 * GPU then draws a few hundred points instead of hashing every pixel for the one in sixteen
 * cells that has a star. The deep field's cells follow every sky's, so drawing the first `count`
 * points draws exactly the stars of the other skies.
 */
export const buildStarField = (width: number, height: number): StarField => {
  const i0 = -2;
  const j0 = -2;
  const i1 = Math.ceil(width / STAR_CELL) + 2;
  const j1 = Math.ceil(height / STAR_CELL) + 2;
  const lit: number[] = [];
  const deep: number[] = [];
  for (let j = j0; j <= j1; j++) {
    for (let i = i0; i <= i1; i++) {
      // hash2u(uint(i + 65536), uint(j + 65536))
      const h = mix32(Math.imul(i + 65536, 0x27d4eb2d) ^ mix32(Math.imul(j + 65536, 0x165667b1)));
      const lot = h & 15;
      if (lot === 0) lit.push(i, j, h);
      else if (lot <= DEEP_FIELD_SHARE) deep.push(i, j, h);
    }
  }
  const count = lit.length / 3;
  const deepCount = deep.length / 3;
  const cells = new Float32Array((count + deepCount) * 3);
  const seeds = new Float32Array((count + deepCount) * 4);
  const all = lit.concat(deep);
  for (let k = 0; k < count + deepCount; k++) {
    cells[k * 3] = all[k * 3]!;
    cells[k * 3 + 1] = all[k * 3 + 1]!;
    cells[k * 3 + 2] = k < count ? 0 : 1;
    // hash4(h)
    const a = mix32(all[k * 3 + 2]! ^ 0x68bc21eb);
    const b = mix32(a ^ 0x02e5be93);
    const c = mix32(b ^ 0x967a889b);
    const d = mix32(c ^ 0x1b873593);
    seeds[k * 4] = unitOf(a);
    seeds[k * 4 + 1] = unitOf(b);
    seeds[k * 4 + 2] = unitOf(c);
    seeds[k * 4 + 3] = unitOf(d);
  }
  return { count, deepCount, cells, seeds };
};
