import { describe, expect, it } from 'vitest';
import { SKY_KINDS } from '../../src/model/index.ts';
import { deepFieldWeight, skyDefine, skyPlan, starVeil, STARS_KIND } from '../../src/scene/post/sky-kinds.ts';
import type { SkyPlan } from '../../src/scene/post/sky-kinds.ts';
import { createSceneLayers, followKind, CROSSFADE_S } from '../../src/scene/scene-layers.ts';
import { buildStarField, DEEP_FIELD_SHARE } from '../../src/scene/layout/star-field.ts';
import skyFrag from '../../shaders/sky.frag';

const plan = (): SkyPlan => ({ first: -1, second: -1, alpha: 0 });

describe('the sky kinds', () => {
  it('the nebula is the shader as it was (no define); every other kind has its own define and chunk', () => {
    expect(skyDefine(0)).toBeNull();
    const defines = SKY_KINDS.map((_, i) => skyDefine(i));
    expect(new Set(defines).size).toBe(SKY_KINDS.length);
    for (const d of defines.slice(1)) expect(skyFrag).toContain(`defined(${d!})`);
    // Each chunk brings its own skyLight and halo weight.
    expect(skyFrag.match(/vec3 skyLight\(/g)).toHaveLength(SKY_KINDS.length);
    expect(skyFrag).not.toMatch(/uGlitch/);
  });

  it('at rest one pass; during a cross-fade the old kind first, the new over it at the mix', () => {
    const l = createSceneLayers();
    expect(skyPlan(l.sky, plan())).toEqual({ first: 0, second: -1, alpha: 1 });
    followKind(l.sky, 3, 1 / 60, false);
    const p = skyPlan(l.sky, plan());
    expect(p.first).toBe(0);
    expect(p.second).toBe(3);
    expect(p.alpha).toBeCloseTo(1 / 60 / CROSSFADE_S, 9);
    let passes = 0;
    let last = p.alpha;
    for (let t = 0; t < CROSSFADE_S + 0.1; t += 1 / 60) {
      followKind(l.sky, 3, 1 / 60, false);
      const q = skyPlan(l.sky, plan());
      if (q.second >= 0) {
        // The new kind only ever gains: the fade is monotonic, never a flicker between the two.
        expect(q.alpha).toBeGreaterThanOrEqual(last);
        last = q.alpha;
        passes++;
      }
    }
    expect(passes).toBeGreaterThan(100);
    expect(skyPlan(l.sky, plan())).toEqual({ first: 3, second: -1, alpha: 1 });
  });

  it('the deep field shows with the stars sky alone, fading with it', () => {
    expect(deepFieldWeight({ from: 0, to: 0, mix: 1 }, 1)).toBe(0);
    expect(deepFieldWeight({ from: STARS_KIND, to: STARS_KIND, mix: 1 }, 1)).toBe(1);
    expect(deepFieldWeight({ from: STARS_KIND, to: STARS_KIND, mix: 1 }, 1.5)).toBe(1.5);
    expect(deepFieldWeight({ from: 0, to: STARS_KIND, mix: 0.25 }, 1)).toBeCloseTo(0.25, 12);
    expect(deepFieldWeight({ from: STARS_KIND, to: 1, mix: 0.25 }, 1)).toBeCloseTo(0.75, 12);
  });

  it('fog and water veil the far stars; the nebula, aurora and stars leave them as they were', () => {
    for (const kind of ['nebula', 'aurora', 'stars']) {
      const i = SKY_KINDS.indexOf(kind as (typeof SKY_KINDS)[number]);
      expect(starVeil({ from: i, to: i, mix: 1 })).toBe(0);
    }
    const fog = SKY_KINDS.indexOf('fog');
    expect(starVeil({ from: fog, to: fog, mix: 1 })).toBe(1);
    expect(starVeil({ from: 0, to: fog, mix: 0.5 })).toBeCloseTo(0.5, 12);
  });
});

describe('the star field', () => {
  it("every sky's stars come first and are the one cell in sixteen they were; the deep field's follow", () => {
    const f = buildStarField(1280, 720);
    const cells = Math.ceil(1280 / 11 + 5) * Math.ceil(720 / 11 + 5);
    expect(f.count).toBeGreaterThan(cells / 16 * 0.8);
    expect(f.count).toBeLessThan(cells / 16 * 1.2);
    expect(f.deepCount / f.count).toBeGreaterThan(DEEP_FIELD_SHARE * 0.8);
    expect(f.deepCount / f.count).toBeLessThan(DEEP_FIELD_SHARE * 1.2);
    for (let k = 0; k < f.count + f.deepCount; k++) expect(f.cells[k * 3 + 2]).toBe(k < f.count ? 0 : 1);
    // The same picture size gives the same stars.
    expect(buildStarField(1280, 720).seeds).toEqual(f.seeds);
  });
});
