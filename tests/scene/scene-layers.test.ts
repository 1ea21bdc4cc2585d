import { describe, expect, it } from 'vitest';
import { CROSSFADE_S, createSceneLayers, followKind, updateSceneLayers } from '../../src/scene/scene-layers.ts';
import { flowRate, reduce, resolvePreset, tick, validatePreset } from '../../src/model/index.ts';
import { createSceneFrame, updateSceneFrame } from '../../src/scene/scene-frame.ts';

const dream = () => {
  const r = validatePreset({ version: 2, id: 'layers', acts: [{ name: 'a', duration: 20 }] });
  if (!r.ok) throw new Error('preset');
  return resolvePreset(r.preset);
};

describe('the scene frame’s layers', () => {
  it('a new kind cross-fades over CROSSFADE_S; a snap shows it at once', () => {
    const k = { from: 0, to: 0, mix: 1 };
    followKind(k, 2, 0.5, false);
    expect(k).toEqual({ from: 0, to: 2, mix: 0.5 / CROSSFADE_S });
    for (let t = 0; t < CROSSFADE_S; t += 0.5) followKind(k, 2, 0.5, false);
    expect(k).toEqual({ from: 2, to: 2, mix: 1 });
    followKind(k, 4, 0, true);
    expect(k).toEqual({ from: 4, to: 4, mix: 1 });
  });

  it('going back mid-fade reverses from where it stands; a third kind starts from what is mostly on screen', () => {
    const k = { from: 0, to: 0, mix: 1 };
    followKind(k, 1, CROSSFADE_S * 0.3, false);
    followKind(k, 0, 0, false);
    expect(k.from).toBe(1);
    expect(k.to).toBe(0);
    expect(k.mix).toBeCloseTo(0.7);
    const j = { from: 0, to: 1, mix: 0.8 };
    followKind(j, 3, 0, false);
    expect(j).toEqual({ from: 1, to: 3, mix: 0 });
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
