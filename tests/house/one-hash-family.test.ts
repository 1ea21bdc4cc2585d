import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fnv1a, hash2, mix32, stepValue } from '../../src/model/hash.ts';

const root = new URL('../../', import.meta.url).pathname;
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

describe('one hash family', () => {
  it("the hashes' constants are written once, in src/model/hash.ts (and the shaders' mirror of mix32)", () => {
    const constants = /0x811c9dc5|0x01000193|0x7feb352d|0x846ca68b|0x9e3779b1/i;
    const found = [...walk(join(root, 'src')), ...walk(join(root, 'scripts'))]
      .filter((f) => /\.(ts|tsx)$/.test(f) && constants.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(found).toEqual(['src/model/hash.ts']);
    const glsl = readFileSync(join(root, 'shaders/hash.glsl'), 'utf8');
    expect(glsl).toMatch(/0x7feb352du/);
    expect(glsl).toMatch(/0x846ca68bu/);
  });

  it('known values: FNV-1a, lowbias32, and the per-step value in 0..1', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(0x688990c0);
    expect(hash2(3, 4, 5)).not.toBe(hash2(4, 3, 5));
    for (let step = 0; step < 1000; step++) {
      const v = stepValue(7, step);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
