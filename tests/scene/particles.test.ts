import { describe, expect, it } from 'vitest';
import { MAX_PARTICLES, PARTICLE_COUNTS, buildParticleArrays, crossFadeWeight, visibleParticles } from '../../src/scene/layout/particles.ts';
import { PARTICLE_KINDS } from '../../src/model/index.ts';

describe('particles', () => {
  it('none shows nothing; every other kind shows some, within the geometry, growing with the amount', () => {
    expect(visibleParticles(0, 1)).toBe(0);
    for (let k = 1; k < PARTICLE_KINDS.length; k++) {
      expect(visibleParticles(k, 0)).toBe(0);
      expect(visibleParticles(k, 0.5)).toBeGreaterThan(0);
      expect(visibleParticles(k, 1)).toBeLessThanOrEqual(MAX_PARTICLES);
      expect(visibleParticles(k, 1)).toBeGreaterThan(visibleParticles(k, 0.5));
    }
    expect(Math.max(...Object.values(PARTICLE_COUNTS))).toBeLessThanOrEqual(MAX_PARTICLES);
    // Out of range or unknown: clamped, never more than the geometry.
    expect(visibleParticles(1, 7)).toBe(visibleParticles(1, 1));
    expect(visibleParticles(1, Number.NaN)).toBe(0);
    expect(visibleParticles(99, 1)).toBe(0);
  });

  it('one quad per particle, corners ±1, indexed by particle', () => {
    const a = buildParticleArrays(10);
    expect(a.position.length).toBe(10 * 4 * 3);
    expect(a.index.length).toBe(10 * 6);
    for (let v = 0; v < 40; v++) {
      expect(Math.abs(a.position[v * 3]!)).toBe(1);
      expect(Math.abs(a.position[v * 3 + 1]!)).toBe(1);
      expect(a.position[v * 3 + 2]).toBe(Math.floor(v / 4));
    }
    for (const i of a.index) expect(i).toBeLessThan(40);
    expect(buildParticleArrays().index.length).toBe(MAX_PARTICLES * 6);
  });

  it('cross-fade weights: 0 → 1, eased, the two shares sum to 1', () => {
    expect(crossFadeWeight(0)).toBe(0);
    expect(crossFadeWeight(1)).toBe(1);
    expect(crossFadeWeight(0.5)).toBeCloseTo(0.5);
    let last = 0;
    for (let m = 0; m <= 1.0001; m += 0.05) {
      const w = crossFadeWeight(m);
      expect(w).toBeGreaterThanOrEqual(last);
      last = w;
    }
    expect(crossFadeWeight(2)).toBe(1);
    expect(crossFadeWeight(-1)).toBe(0);
  });
});

describe('particles on other screens', () => {
  it('a phone held upright shows fewer (the air as thick as on a projector), a wide screen more, never past the geometry', () => {
    const dust = PARTICLE_KINDS.indexOf('dust');
    const landscape = visibleParticles(dust, 1, 16 / 9);
    const portrait = visibleParticles(dust, 1, 390 / 844);
    expect(portrait / landscape).toBeCloseTo(390 / 844 / (16 / 9), 5);
    expect(visibleParticles(PARTICLE_KINDS.indexOf('rain'), 1, 4)).toBeLessThanOrEqual(MAX_PARTICLES);
    expect(visibleParticles(dust, 1, Number.NaN)).toBe(landscape);
  });
});
