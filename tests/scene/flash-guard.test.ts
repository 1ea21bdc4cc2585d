import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { flashTransitions, frameMeasures, glitchStepIndex, glitchSubdivision, GUARD_RATES, GUARDED_STEPS_PER_SECOND, maxPerWindow, REDUCED_STEPS_PER_SECOND, slew, stepsPerSecond } from '../../src/scene/flash-guard.ts';
import { createSceneFrame, JUMP_FOLLOW_S, updateSceneFrame, linearChannel, REDUCED_MOTION_SCALE } from '../../src/scene/scene-frame.ts';
import { PARAMS, reduce, tick } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { fixtureState } from '../model/fixture.ts';

const FPS = 60;
const options = { audience: false, prefersReducedMotion: false };

/** Mean-luminance proxy of what the guarded inputs would show: a worst case where each drives the whole frame. */
const brightnessOf = (f: ReturnType<typeof createSceneFrame>): number =>
  0.25 * (0.2126 * f.palette[0]! + 0.7152 * f.palette[1]! + 0.0722 * f.palette[2]!) +
  0.25 * (0.2126 * f.palette[6]! + 0.7152 * f.palette[7]! + 0.0722 * f.palette[8]!) +
  0.15 * Math.abs(f.fracture) +
  0.15 * f.glitch +
  0.1 * f.depth +
  0.1 * f.dreamers[3]!;

describe('slew and the glitch step rate', () => {
  it('slew moves by at most the step and lands on the target', () => {
    expect(slew(0, 1, 0.25)).toBe(0.25);
    expect(slew(1, 0, 0.25)).toBe(0.75);
    expect(slew(0.9, 1, 0.25)).toBe(1);
    expect(slew(0, 1, Infinity)).toBe(1);
  });

  it('holds the glitch under the guard rate at every tempo, on the beat grid', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: PARAMS.tempo.min, max: PARAMS.tempo.max, noNaN: true }), (glitch, tempo) => {
        const guarded = glitchSubdivision(glitch, tempo, true, false);
        expect(stepsPerSecond(tempo, guarded)).toBeLessThanOrEqual(GUARDED_STEPS_PER_SECOND + 1e-9);
        const reduced = glitchSubdivision(glitch, tempo, true, true);
        expect(stepsPerSecond(tempo, reduced)).toBeLessThanOrEqual(REDUCED_STEPS_PER_SECOND + 1e-9);
        // A subdivision is a power of two of the beat: steps stay locked to it.
        expect(Number.isInteger(Math.log2(guarded))).toBe(true);
      }),
    );
    // Without the guard the glitch may step four times a beat.
    expect(glitchSubdivision(1, 180, false, false)).toBe(4);
    expect(glitchSubdivision(1, 180, true, false)).toBe(0.5);
  });

  it('steps change only on the beat grid', () => {
    expect(glitchStepIndex(0.99, 1)).toBe(0);
    expect(glitchStepIndex(1, 1)).toBe(1);
    expect(glitchStepIndex(1.74, 2)).toBe(3);
    // Steps over two seconds at 120 BPM on a half-beat grid: 2 per second.
    const steps = new Set<number>();
    for (let i = 0; i < 120; i++) steps.add(glitchStepIndex((i / 60) * 2, 0.5));
    expect(steps.size).toBe(2);
  });
});

describe('counting flashes', () => {
  it('counts swings of at least 10% with hysteresis, ignoring small flicker', () => {
    expect(flashTransitions([0.1, 0.12, 0.1, 0.13, 0.11])).toEqual([]);
    expect(flashTransitions([0.1, 0.3, 0.1, 0.3])).toEqual([1, 2, 3]);
    // A slow ramp that turns back counts once each way.
    expect(flashTransitions([0, 0.05, 0.1, 0.15, 0.1, 0.04])).toEqual([2, 5]);
    expect(maxPerWindow([1, 2, 3, 70, 71], 60)).toBe(3);
    expect(maxPerWindow([], 60)).toBe(0);
  });

  it('reads luminance and saturated red from RGBA pixels', () => {
    const white = frameMeasures([255, 255, 255, 255]);
    expect(white.luminance).toBeCloseTo(1, 5);
    expect(white.red).toBe(0);
    const red = frameMeasures([255, 0, 0, 255]);
    expect(red.luminance).toBeCloseTo(0.2126, 4);
    expect(red.red).toBeCloseTo(320, 3);
  });
});

const guardedRun = (script: (s: DreamState, i: number) => DreamState, seconds = 3): number[] => {
  const f = createSceneFrame();
  let s = fixtureState();
  s = reduce(s, { type: 'set', path: 'show.auto', value: false });
  const series: number[] = [];
  for (let i = 0; i < seconds * FPS; i++) {
    s = script(s, i);
    s = tick(s, 1 / FPS);
    updateSceneFrame(f, s, options);
    series.push(brightnessOf(f));
  }
  return series;
};

describe('the flash limiter on the scene frame', () => {
  it('whatever the performer toggles, brightness-driving inputs swing at most 3 times a second', () => {
    // The hostile performer: every input that drives brightness slammed between extremes at 10 Hz.
    const series = guardedRun((s, i) => {
      const on = Math.floor(i / 3) % 2 === 0;
      let n = reduce(s, { type: 'set', path: 'mosaic.fracture', value: on ? 1 : 0 });
      n = reduce(n, { type: 'set', path: 'mosaic.glitch', value: on ? 1 : 0 });
      n = reduce(n, { type: 'set', path: 'palette.glow', value: on ? '#ffffff' : '#000000' });
      n = reduce(n, { type: 'set', path: 'palette.deep', value: on ? '#ffffff' : '#000000' });
      n = reduce(n, { type: 'set', path: 'depth', value: on ? 1 : 0 });
      n = reduce(n, { type: 'set', path: 'dreamers.0.presence', value: on ? 1 : 0 });
      return n;
    });
    expect(maxPerWindow(flashTransitions(series), FPS)).toBeLessThanOrEqual(3);
  });

  it('a slower hostile toggle (once a second) still stays within the limit', () => {
    for (const period of [6, 10, 20, 30, 45, 60]) {
      const series = guardedRun((s, i) => {
        const on = Math.floor(i / period) % 2 === 0;
        let n = reduce(s, { type: 'set', path: 'palette.deep', value: on ? '#ffffff' : '#000000' });
        n = reduce(n, { type: 'set', path: 'palette.glow', value: on ? '#ffffff' : '#000000' });
        return reduce(n, { type: 'set', path: 'mosaic.fracture', value: on ? 1 : 0 });
      }, 4);
      expect(maxPerWindow(flashTransitions(series), FPS)).toBeLessThanOrEqual(3);
    }
  });

  it('moves every guarded input at its rate, and jumps when the guard is off', () => {
    const f = createSceneFrame();
    let s = fixtureState();
    updateSceneFrame(f, s, options);
    expect(f.settled).toBe(true);
    s = reduce(s, { type: 'fracture', amount: 1 });
    s = tick(s, 0.1);
    updateSceneFrame(f, s, options);
    expect(f.fracture).toBeCloseTo(GUARD_RATES.fracture * 0.1, 6);
    expect(f.settled).toBe(false);
    s = reduce(s, { type: 'set', path: 'safety.flashGuard', value: false, confirm: true });
    s = tick(s, 0.1);
    updateSceneFrame(f, s, options);
    expect(f.fracture).toBe(1);
  });

  it('starts at the dream as it is (no fade-in on the first frame); a running clock that jumps is followed under the guard, a paused one moved by hand snaps', () => {
    const running = { ...options, running: true };
    const f = createSceneFrame();
    let s = reduce(fixtureState(), { type: 'fracture', amount: 0.7 });
    updateSceneFrame(f, s, running);
    expect(f.fracture).toBeCloseTo(0.7);
    s = { ...s, clock: 0, mosaic: { ...s.mosaic, fracture: 0.1 } };
    updateSceneFrame(f, { ...s, clock: 5 }, running);
    updateSceneFrame(f, { ...s, clock: 1 }, running);
    // Two jumps, each followed as one frame of JUMP_FOLLOW_S.
    expect(f.fracture).toBeCloseTo(0.7 - 2 * GUARD_RATES.fracture * JUMP_FOLLOW_S, 6);
    // Paused and stepped by hand (a test, a render at a dream time), a jump snaps: the same dream
    // time draws the same picture.
    const p = createSceneFrame();
    updateSceneFrame(p, { ...s, clock: 5, mosaic: { ...s.mosaic, fracture: 0.7 } }, options);
    updateSceneFrame(p, { ...s, clock: 1 }, options);
    expect(p.fracture).toBeCloseTo(0.1);
    // Unguarded, a jump snaps.
    const g = createSceneFrame();
    const off = { ...s, safety: { ...s.safety, flashGuard: false } };
    updateSceneFrame(g, { ...off, clock: 5, mosaic: { ...s.mosaic, fracture: 0.7 } }, running);
    updateSceneFrame(g, { ...off, clock: 1 }, running);
    expect(g.fracture).toBeCloseTo(0.1);
  });

  it('scrubbing a replay back and forth every frame between a calm and a shattered moment moves no brightness value faster than the guard', () => {
    const f = createSceneFrame();
    const calm = fixtureState();
    const storm: DreamState = { ...calm, depth: 1, mood: { ...calm.mood, arousal: 1 }, mosaic: { ...calm.mosaic, fracture: 1, glitch: 1 } };
    updateSceneFrame(f, { ...calm, clock: 10 }, { ...options, running: true });
    let before = { fracture: f.fracture, glitch: f.glitch, depth: f.depth, arousal: f.arousal, step: f.glitchStep };
    let steps = 0;
    for (let i = 0; i < 120; i++) {
      const s = i % 2 ? { ...calm, clock: 10 + i * 0.01 } : { ...storm, clock: 100 + i * 7.3, beat: 100 + i * 9.1 };
      updateSceneFrame(f, s, { ...options, running: true });
      expect(Math.abs(f.fracture - before.fracture)).toBeLessThanOrEqual(GUARD_RATES.fracture * JUMP_FOLLOW_S + 1e-9);
      expect(Math.abs(f.glitch - before.glitch)).toBeLessThanOrEqual(GUARD_RATES.glitch * JUMP_FOLLOW_S + 1e-9);
      expect(Math.abs(f.depth - before.depth)).toBeLessThanOrEqual(GUARD_RATES.scalar * JUMP_FOLLOW_S + 1e-9);
      if (f.glitchStep !== before.step) steps++;
      before = { fracture: f.fracture, glitch: f.glitch, depth: f.depth, arousal: f.arousal, step: f.glitchStep };
    }
    expect(steps).toBe(0);
  });

  it('the restabilizing spring shows as negative fracture (recoil)', () => {
    const f = createSceneFrame();
    let s = reduce(fixtureState(), { type: 'fracture', amount: 1 });
    s = reduce(s, { type: 'restabilize', seconds: 2 });
    let lowest = 1;
    for (let i = 0; i < 150; i++) {
      s = tick(s, 1 / 60);
      updateSceneFrame(f, s, options);
      lowest = Math.min(lowest, f.fracture);
    }
    expect(lowest).toBeLessThan(-0.01);
  });

  it('a private dreamer is hidden in the audience view only', () => {
    const s = fixtureState();
    const audience = createSceneFrame();
    updateSceneFrame(audience, s, { audience: true, prefersReducedMotion: false });
    const performer = createSceneFrame();
    updateSceneFrame(performer, s, options);
    // The fixture's second dreamer is private.
    expect(audience.visible[0]).toBe(1);
    expect(audience.visible[1]).toBe(0);
    expect(performer.visible[1]).toBe(1);
  });

  it("reduced motion (the viewer's or the dream's) softens motion and the glitch rate", () => {
    const f = createSceneFrame();
    let s = reduce(fixtureState(), { type: 'glitch', amount: 1 });
    s = reduce(s, { type: 'set', path: 'tempo', value: 180 });
    updateSceneFrame(f, s, { audience: false, prefersReducedMotion: true });
    expect(f.motion).toBe(REDUCED_MOTION_SCALE);
    expect(f.glitchStepsPerSecond).toBeLessThanOrEqual(REDUCED_STEPS_PER_SECOND);
    const g = createSceneFrame();
    updateSceneFrame(g, reduce(s, { type: 'set', path: 'safety.reducedMotion', value: true }), options);
    expect(g.motion).toBe(REDUCED_MOTION_SCALE);
  });

  it('reads colours without allocating strings', () => {
    expect(linearChannel('#ffffff', 0)).toBeCloseTo(1);
    expect(linearChannel('#000000', 2)).toBe(0);
    expect(linearChannel('#7F7F7F', 1)).toBeCloseTo(0.212, 2);
    expect(linearChannel('nonsense', 1)).toBe(0);
  });
});
