import { describe, expect, it } from 'vitest';
import { BRAID_SEGMENTS, BRAID_STRANDS, LACE_ALL_PAIRS, LACE_CORDS, LACE_NEIGHBOURS, LACE_SEGMENTS, LIQUID_STRANDS, RIVER_PARTICLES, THREAD_SEGMENTS, buildLaceArrays, buildRiverArrays, buildStyleArrays, buildThreadArrays, lacePairs } from '../../src/scene/layout/thread-geometry.ts';
import { THREAD_STYLES } from '../../src/model/index.ts';

/** Every index points at a vertex, and every triangle's vertices belong to one strip or quad. */
const checkIndices = (position: Float32Array, index: Uint32Array) => {
  const vertices = position.length / 3;
  for (const i of index) expect(i).toBeLessThan(vertices);
  expect(index.length % 3).toBe(0);
};

describe('thread geometry', () => {
  it('ribbons are the arrays the threads were always drawn from (u, side, dreamer; no strand attribute)', () => {
    const a = buildThreadArrays(3);
    expect(a.strand).toBeUndefined();
    expect(a.position.length).toBe(3 * (THREAD_SEGMENTS + 1) * 2 * 3);
    expect(a.index.length).toBe(3 * THREAD_SEGMENTS * 6);
    // The first strip: u from 0 to 1, sides -1 and 1, dreamer 0; the last vertex is dreamer 2 at u = 1.
    expect(Array.from(a.position.subarray(0, 6))).toEqual([0, -1, 0, 0, 1, 0]);
    expect(Array.from(a.position.subarray(a.position.length - 3))).toEqual([1, 1, 2]);
    expect(Array.from(a.index.subarray(0, 6))).toEqual([0, 1, 2, 1, 3, 2]);
    checkIndices(a.position, a.index);
  });

  it('braids and strands: several strands per dreamer, each strand numbered', () => {
    const braids = buildStyleArrays(THREAD_STYLES.indexOf('braids'), 4);
    expect(braids.position.length).toBe(4 * BRAID_STRANDS * (BRAID_SEGMENTS + 1) * 2 * 3);
    expect(new Set(braids.strand)).toEqual(new Set([0, 1]));
    const strands = buildStyleArrays(THREAD_STYLES.indexOf('strands'), 2);
    expect(new Set(strands.strand)).toEqual(new Set(Array.from({ length: LIQUID_STRANDS }, (_, i) => i)));
    // Dreamer indices stay whole dreamers (strand k of dreamer d is at d, not at d * strands + k).
    expect(Math.max(...strands.position.filter((_, i) => i % 3 === 2))).toBe(1);
    checkIndices(braids.position, braids.index);
    checkIndices(strands.position, strands.index);
  });

  it('rivers: one quad per drop, corners ±1, drops numbered per dreamer', () => {
    const r = buildRiverArrays(2);
    expect(r.position.length).toBe(2 * RIVER_PARTICLES * 4 * 3);
    expect(r.index.length).toBe(2 * RIVER_PARTICLES * 6);
    expect(Math.max(...r.strand!)).toBe(RIVER_PARTICLES - 1);
    const corners = new Set<string>();
    for (let v = 0; v < 4; v++) corners.add(`${r.position[v * 3]},${r.position[v * 3 + 1]}`);
    expect(corners).toEqual(new Set(['-1,-1', '1,-1', '-1,1', '1,1']));
    expect(r.position[r.position.length - 1]).toBe(1);
    checkIndices(r.position, r.index);
  });

  it('lace links every pair up to LACE_ALL_PAIRS dreamers, then each to its ring neighbours (linear, no pair twice)', () => {
    expect(lacePairs(0)).toEqual([]);
    expect(lacePairs(1)).toEqual([]);
    expect(lacePairs(4)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect(lacePairs(LACE_ALL_PAIRS)).toHaveLength((LACE_ALL_PAIRS * (LACE_ALL_PAIRS - 1)) / 2);
    for (const n of [LACE_ALL_PAIRS + 1, 40, 64]) {
      const pairs = lacePairs(n);
      expect(pairs).toHaveLength(n * LACE_NEIGHBOURS);
      const keys = new Set(pairs.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
      expect(keys.size).toBe(pairs.length);
      const linked = new Set(pairs.flat());
      expect(linked.size).toBe(n);
    }
  });

  it('lace: LACE_CORDS strips a link, the other dreamer + 64 × the cord in aStrand', () => {
    const l = buildLaceArrays(3);
    const strips = 3 * LACE_CORDS;
    expect(l.position.length).toBe(strips * (LACE_SEGMENTS + 1) * 2 * 3);
    const others = new Set(Array.from(l.strand!, (s) => s % 64));
    expect(others).toEqual(new Set([1, 2]));
    expect(new Set(Array.from(l.strand!, (s) => Math.floor(s / 64)))).toEqual(new Set(Array.from({ length: LACE_CORDS }, (_, i) => i)));
    checkIndices(l.position, l.index);
  });

  it('no dreamers: empty arrays for every style', () => {
    for (let s = 0; s < THREAD_STYLES.length; s++) {
      const a = buildStyleArrays(s, 0);
      expect(a.position.length).toBe(0);
      expect(a.index.length).toBe(0);
    }
  });
});
