import { describe, expect, it } from 'vitest';
import { BLOOM_OFF, createFinishValues, finishValues, GRAIN_RATE, grainStep, VIGNETTE_SCALE } from '../../src/scene/post/finish.ts';
import { createSceneLayers } from '../../src/scene/scene-layers.ts';
import { PARAMS } from '../../src/model/param-table.ts';

const tableDefault = (path: string): number => {
  const r = (PARAMS as Record<string, { default?: unknown }>)[path];
  if (typeof r?.default !== 'number') throw new Error(`no number row ${path}`);
  return r.default;
};
const tableFinish = () => ({
  vignette: tableDefault('scene.finish.vignette'),
  grain: tableDefault('scene.finish.grain'),
  chroma: tableDefault('scene.finish.chroma'),
  bloom: tableDefault('scene.finish.bloom'),
});

describe('the finish', () => {
  it("the table's defaults give today's picture: vignette 0.8, no grain, no split, the bloom as it was", () => {
    for (const l of [tableFinish(), createSceneLayers()]) {
      const v = finishValues(l, createFinishValues());
      // 1 - |p|² · 0.8 is what composite.frag hard-coded; the same float, not a near one.
      expect(v.vignette).toBe(0.8);
      expect(v.grain).toBe(0);
      expect(v.chroma).toBe(0);
      expect(v.bloom).toBe(1);
      expect(v.compiled).toBe(false);
    }
    expect(0.5 * VIGNETTE_SCALE).toBe(0.8);
  });

  it('grain and chroma are none at 0 (the defaults) and grow to their most at 1', () => {
    const l = createSceneLayers();
    const v = createFinishValues();
    const grains = [0, 0.3, 0.5, 0.8, 1].map((g) => finishValues({ ...l, grain: g }, v).grain);
    expect(grains[0]).toBe(0);
    for (let i = 1; i < grains.length; i++) expect(grains[i]!).toBeGreaterThan(grains[i - 1]!);
    expect(finishValues({ ...l, chroma: 0 }, v).chroma).toBe(0);
    expect(finishValues({ ...l, chroma: 1 }, v).chroma).toBeGreaterThan(0);
    expect(finishValues({ ...l, chroma: 1 }, v).compiled).toBe(true);
    expect(finishValues({ ...l, bloom: BLOOM_OFF / 2 }, v).bloom).toBe(0);
    expect(finishValues({ ...l, bloom: 2 }, v).bloom).toBe(2);
  });

  it('the grain changes GRAIN_RATE times a dream-second, whatever the frame rate', () => {
    expect(grainStep(0)).toBe(0);
    expect(grainStep(1 / GRAIN_RATE - 1e-9)).toBe(0);
    expect(grainStep(1)).toBe(GRAIN_RATE);
    const seen = new Set<number>();
    for (let t = 0; t < 1; t += 1 / 240) seen.add(grainStep(t));
    expect(seen.size).toBe(GRAIN_RATE);
  });
});
