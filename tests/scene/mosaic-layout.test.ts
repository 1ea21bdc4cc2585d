import { describe, expect, it } from 'vitest';
import { buildMosaicLayout, regionOf, windowMetric } from '../../src/scene/layout/mosaic-layout.ts';
import { buildThreadArrays } from '../../src/scene/layout/thread-geometry.ts';
import { buildNoiseTexels, NOISE_SIZE } from '../../src/scene/layout/noise-texture.ts';
import { PATTERNS } from '../../src/model/index.ts';

const fanAreas = (l: ReturnType<typeof buildMosaicLayout>) => {
  let inverted = 0;
  let total = 0;
  for (let e = 0; e < l.index.length; e += 3) {
    const [a, b, c] = [l.index[e]!, l.index[e + 1]!, l.index[e + 2]!];
    const area = ((l.position[b * 3]! - l.position[a * 3]!) * (l.position[c * 3 + 1]! - l.position[a * 3 + 1]!) - (l.position[b * 3 + 1]! - l.position[a * 3 + 1]!) * (l.position[c * 3]! - l.position[a * 3]!)) / 2;
    if (area <= 0) inverted++;
    total += area;
  }
  return { inverted, total };
};

describe('mosaic layout', () => {
  it.each(PATTERNS)('%s: makes exactly the tiles asked for, at any count', { timeout: 30_000 }, (pattern) => {
    for (const tiles of [1, 2, 7, 100, 1000, 4096, 50_000]) {
      const l = buildMosaicLayout({ tiles, pattern, seed: 12345, dreamers: 4 });
      expect(l.tiles).toBe(tiles);
      expect(l.dreamer).toHaveLength(tiles);
      expect(l.centres).toHaveLength(tiles * 2);
      // Every vertex names a tile that exists, and every tile has a centre and a rim.
      const seen = new Uint8Array(tiles);
      for (let v = 0; v < l.vertexCount; v++) seen[l.tile[v * 4 + 2]!] = 1;
      expect(seen.every((x) => x === 1)).toBe(true);
      expect(l.position).toHaveLength(l.vertexCount * 3);
      expect(l.tile).toHaveLength(l.vertexCount * 4);
      expect(l.index.every((i) => i < l.vertexCount)).toBe(true);
    }
  });

  it.each(PATTERNS)('%s: assigns every tile to a dreamer region, and every dreamer gets one', (pattern) => {
    for (const dreamers of [1, 3, 4, 7]) {
      const l = buildMosaicLayout({ tiles: 4096, pattern, seed: 99, dreamers });
      const counts = new Array<number>(dreamers).fill(0);
      for (let t = 0; t < l.tiles; t++) counts[l.dreamer[t]!]!++;
      expect(l.dreamer.every((d) => d < dreamers)).toBe(true);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(l.tiles);
      // Each dreamer's region is a real part of the tapestry.
      for (const c of counts) expect(c).toBeGreaterThan(4096 / dreamers / 5);
      // The per-vertex dreamer matches the tile's.
      let mismatched = 0;
      for (let v = 0; v < l.vertexCount; v++) if (l.tile[v * 4 + 3] !== l.dreamer[l.tile[v * 4 + 2]!]) mismatched++;
      expect(mismatched).toBe(0);
    }
  });

  it('is deterministic per seed, and another seed gives another mosaic', () => {
    const a = buildMosaicLayout({ tiles: 3000, pattern: 'voronoi', seed: 7, dreamers: 4 });
    const b = buildMosaicLayout({ tiles: 3000, pattern: 'voronoi', seed: 7, dreamers: 4 });
    const c = buildMosaicLayout({ tiles: 3000, pattern: 'voronoi', seed: 8, dreamers: 4 });
    expect(Buffer.from(a.position.buffer).equals(Buffer.from(b.position.buffer))).toBe(true);
    expect(Buffer.from(a.tile.buffer).equals(Buffer.from(b.tile.buffer))).toBe(true);
    expect(Buffer.from(a.index.buffer).equals(Buffer.from(b.index.buffer))).toBe(true);
    expect(Buffer.from(a.position.buffer).equals(Buffer.from(c.position.buffer))).toBe(false);
  });

  it.each(PATTERNS)('%s: tiles the window without folds or overlaps', (pattern) => {
    const l = buildMosaicLayout({ tiles: 20_000, pattern, seed: 3, dreamers: 4 });
    const { inverted, total } = fanAreas(l);
    expect(inverted).toBe(0);
    // The tiles' total area is the window's (π-ish for a superellipse 1.55 × 1): no gaps, no overlaps.
    const expected = buildMosaicLayout({ tiles: 20_000, pattern: 'grid', seed: 3, dreamers: 4 });
    expect(total).toBeCloseTo(fanAreas(expected).total, 1);
    // Tiles sit inside the window (a ragged rim at most one tile out).
    let outside = 0;
    for (let t = 0; t < l.tiles; t++) if (windowMetric(l.centres[t * 2]!, l.centres[t * 2 + 1]!) >= 1 + 2 * l.cell) outside++;
    expect(outside).toBe(0);
  });

  it('voronoi tiles are irregular shards of 4 to 8 sides', () => {
    const l = buildMosaicLayout({ tiles: 5000, pattern: 'voronoi', seed: 5, dreamers: 4 });
    const sides = new Map<number, number>();
    let v = 0;
    for (let t = 0; t < l.tiles; t++) {
      let n = 0;
      while (v + 1 + n < l.vertexCount && l.tile[(v + 1 + n) * 4 + 2] === t) n++;
      sides.set(n, (sides.get(n) ?? 0) + 1);
      v += n + 1;
    }
    expect(v).toBe(l.vertexCount);
    expect([...sides.keys()].every((n) => n >= 4 && n <= 8)).toBe(true);
    expect(sides.size).toBeGreaterThanOrEqual(4);
  });

  it('builds 262,144 tiles in well under a second', () => {
    buildMosaicLayout({ tiles: 4096, pattern: 'voronoi', seed: 1, dreamers: 4 });
    for (const pattern of PATTERNS) {
      const t0 = performance.now();
      const l = buildMosaicLayout({ tiles: 262_144, pattern, seed: 1641604907, dreamers: 4 });
      const ms = performance.now() - t0;
      expect(l.tiles).toBe(262_144);
      // A few hundred ms on this machine (two cores); the bound leaves room for a busy CI.
      expect(ms).toBeLessThan(1500);
    }
  });

  it('regions are stable functions of position and seed', () => {
    expect(regionOf(0.3, -0.2, 4, 11)).toBe(regionOf(0.3, -0.2, 4, 11));
    expect(regionOf(0.3, -0.2, 1, 11)).toBe(0);
  });
});

describe('thread ribbons and sky noise', () => {
  it('makes one strip per dreamer with the dreamer index on every vertex', () => {
    const { position, index } = buildThreadArrays(3, 10);
    expect(position).toHaveLength(3 * 11 * 2 * 3);
    expect(index).toHaveLength(3 * 10 * 6);
    const who = new Set<number>();
    for (let v = 0; v < position.length / 3; v++) who.add(position[v * 3 + 2]!);
    expect([...who]).toEqual([0, 1, 2]);
    expect(buildThreadArrays(0).position).toHaveLength(0);
  });

  it('makes a seeded, tileable noise texture', () => {
    const a = buildNoiseTexels(1);
    expect(a).toHaveLength(NOISE_SIZE * NOISE_SIZE * 4);
    expect(Buffer.from(a).equals(Buffer.from(buildNoiseTexels(1)))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(buildNoiseTexels(2)))).toBe(false);
    // Tileable: the first column continues from the last as smoothly as any two neighbours.
    let worst = 0;
    for (let y = 0; y < NOISE_SIZE; y++) {
      for (let c = 0; c < 4; c++) worst = Math.max(worst, Math.abs(a[(y * NOISE_SIZE + NOISE_SIZE - 1) * 4 + c]! - a[y * NOISE_SIZE * 4 + c]!));
    }
    expect(worst).toBeLessThan(48);
  });
});
