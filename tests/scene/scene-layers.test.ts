import { describe, expect, it } from 'vitest';
import { CROSSFADE_S, FRAMING_RATES, createSceneLayers, followKind, updateSceneLayers } from '../../src/scene/scene-layers.ts';
import { flowRate, reduce, resolvePreset, tick, validatePreset } from '../../src/model/index.ts';
import { createSceneFrame, updateSceneFrame } from '../../src/scene/scene-frame.ts';

const dream = () => {
  const r = validatePreset({ version: 2, id: 'layers', acts: [{ name: 'a', duration: 20 }] });
  if (!r.ok) throw new Error('preset');
  return resolvePreset(r.preset);
};

describe('the scene frame’s layers', () => {
  it('a new kind cross-fades over CROSSFADE_S; a snap shows it at once', () => {
    const k = { from: 0, to: 0, mix: 1, next: -1 };
    followKind(k, 2, 0.5, false);
    expect(k).toMatchObject({ from: 0, to: 2, mix: 0.5 / CROSSFADE_S });
    for (let t = 0; t < CROSSFADE_S; t += 0.5) followKind(k, 2, 0.5, false);
    expect(k).toMatchObject({ from: 2, to: 2, mix: 1 });
    followKind(k, 4, 0, true);
    expect(k).toMatchObject({ from: 4, to: 4, mix: 1 });
  });

  it('going back mid-fade reverses from where it stands; a third kind waits for the fade to end (no share drops)', () => {
    const k = { from: 0, to: 0, mix: 1, next: -1 };
    followKind(k, 1, CROSSFADE_S * 0.3, false);
    followKind(k, 0, 0, false);
    expect(k.from).toBe(1);
    expect(k.to).toBe(0);
    expect(k.mix).toBeCloseTo(0.7);
    const j = { from: 0, to: 1, mix: 0.8, next: -1 };
    followKind(j, 3, 0, false);
    expect(j).toMatchObject({ from: 0, to: 1, mix: 0.8, next: 3 });
    // The fade goes on to its end, then the third kind fades in from the second.
    followKind(j, 3, CROSSFADE_S * 0.2, false);
    expect(j).toMatchObject({ from: 1, to: 3, mix: 0 });
    followKind(j, 3, CROSSFADE_S, false);
    expect(j).toMatchObject({ from: 3, to: 3, mix: 1 });
  });

  it('the framing follows at bounded rates with the guard on, and a broken mosaic keeps its fracture kind until whole', () => {
    let s = dream();
    const l = createSceneLayers();
    updateSceneLayers(l, s, 0, true, true);
    s = reduce(s, { type: 'set', path: 'scene.camera.distance', value: 30 });
    s = reduce(s, { type: 'set', path: 'scene.mosaic.scale', value: 3 });
    s = reduce(s, { type: 'set', path: 'scene.mosaic.fracture', value: 'dissolve' });
    updateSceneLayers(l, s, 0.1, false, false, true);
    expect(l.cameraDistance).toBeCloseTo(12.5 + FRAMING_RATES.distance * 0.1);
    expect(l.mosaicScale).toBeCloseTo(1 + FRAMING_RATES.scale * 0.1);
    expect(l.fractureKind).toBe(0);
    updateSceneLayers(l, s, 0.1, false, false, false);
    expect(l.fractureKind).toBe(3);
    // Without the guard (or on a snap) they are where the dream is at once.
    updateSceneLayers(l, s, 0.1, false, true, true);
    expect([l.cameraDistance, l.mosaicScale]).toEqual([30, 3]);
  });

  it('follows the dream: kinds by their index in the vocabulary, the act’s progress, the finish under the guard', () => {
    let s = dream();
    const l = createSceneLayers();
    expect(updateSceneLayers(l, s, 0, true, true)).toBe(true);
    s = reduce(s, { type: 'set', path: 'scene.sky.kind', value: 'caustics' });
    s = reduce(s, { type: 'set', path: 'scene.finish.grain', value: 1 });
    expect(updateSceneLayers(l, s, 0.1, false, false)).toBe(false);
    expect(l.sky).toMatchObject({ from: 0, to: 4 });
    expect(l.grain).toBeCloseTo(0.08);
    s = { ...s, show: { ...s.show, elapsed: 5 } };
    updateSceneLayers(l, s, 0.1, false, false);
    expect(l.actProgress).toBeCloseTo(0.25);
  });

  it('the scene frame is settled only when the layers are (so the page keeps drawing a cross-fade)', () => {
    const f = createSceneFrame();
    let s = dream();
    updateSceneFrame(f, s, { audience: false, prefersReducedMotion: false, running: true });
    expect(f.settled).toBe(true);
    s = reduce(s, { type: 'set', path: 'scene.particles.kind', value: 'rain' });
    s = { ...s, clock: s.clock + 0.1 };
    updateSceneFrame(f, s, { audience: false, prefersReducedMotion: false, running: true });
    expect(f.settled).toBe(false);
    expect(f.layers.particles.to).toBe(6);
  });
});

describe('the dream’s pace (state.flow): particles and rivers move by it', () => {
  it('integrates arousal over dream time in the model: the same at the same time in any steps, never jumping', () => {
    let a = dream();
    let b = dream();
    a = reduce(a, { type: 'set', path: 'mood.arousal', value: 1, seconds: 3 });
    b = reduce(b, { type: 'set', path: 'mood.arousal', value: 1, seconds: 3 });
    let last = a.flow;
    for (let i = 0; i < 300; i++) {
      a = tick(a, 1 / 60);
      expect(a.flow - last).toBeGreaterThan(0);
      expect(a.flow - last).toBeLessThanOrEqual(flowRate(1) / 60 + 1e-12);
      last = a.flow;
    }
    for (let i = 0; i < 50; i++) b = tick(b, 0.1);
    expect(b.flow).toBeCloseTo(a.flow, 1);
    expect(flowRate(1)).toBeGreaterThan(flowRate(0));
    const f = createSceneFrame();
    updateSceneFrame(f, a, { audience: false, prefersReducedMotion: false });
    expect(f.flow).toBe(a.flow);
    updateSceneFrame(f, a, { audience: false, prefersReducedMotion: true });
    expect(f.flow).toBeCloseTo(a.flow * 0.3);
  });
});

describe('the camera’s own time (state.cameraTime)', () => {
  it('is the clock at speed 0.5, and a change of speed changes its pace, never its value', () => {
    let s = dream();
    for (let i = 0; i < 120; i++) s = tick(s, 1 / 60);
    expect(s.cameraTime).toBe(s.clock);
    s = reduce(s, { type: 'set', path: 'scene.camera.speed', value: 1, seconds: 2 });
    let last = s.cameraTime;
    for (let i = 0; i < 240; i++) {
      s = tick(s, 1 / 60);
      expect(s.cameraTime - last).toBeGreaterThan(0);
      expect(s.cameraTime - last).toBeLessThanOrEqual(2 / 60 + 1e-12);
      last = s.cameraTime;
    }
    // From 2: two seconds gliding from pace 1 to pace 2 (3 camera seconds), two at pace 2 (4).
    expect(s.cameraTime).toBeGreaterThan(8.9);
    expect(s.cameraTime).toBeLessThan(9.1);
  });
});
