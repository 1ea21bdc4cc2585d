import { describe, expect, it } from 'vitest';
import { createSceneFrame, updateSceneFrame } from '../../src/scene/scene-frame.ts';
import { glitchStepIndex } from '../../src/scene/flash-guard.ts';
import { glitchStep } from '../../src/audio/score.ts';
import { STEPS_PER_BEAT, stepValue } from '../../src/model/hash.ts';
import type { DreamState } from '../../src/model/index.ts';
import { fixtureState } from '../model/fixture.ts';

// What is seen and what is heard glitch together: the scene's per-step value and the score's
// roll for a step are one value of one hash (src/model/hash.ts), for the same seed and step.
const at = (s: DreamState, beat: number, flashGuard: boolean): DreamState => ({
  ...s,
  beat,
  clock: beat / (s.tempo / 60),
  mosaic: { ...s.mosaic, glitch: 1, glitchSeed: 0x5eed1e55 },
  safety: { ...s.safety, flashGuard },
});

describe('one glitch step for the scene and the score', () => {
  it('on the grid of sixteenths the scene reads the roll the score plays', () => {
    const base = fixtureState();
    for (let i = 0; i < 200; i++) {
      const beat = i * 0.37;
      const s = at(base, beat, false);
      const f = createSceneFrame();
      updateSceneFrame(f, s, { audience: false, prefersReducedMotion: false, running: false });
      expect(f.glitchSubdivision).toBe(STEPS_PER_BEAT);
      const step = Math.floor(beat * STEPS_PER_BEAT + 1e-9);
      expect(f.stepRandom[0]).toBeCloseTo(glitchStep(s.mosaic.glitchSeed, step, 1).roll, 6);
    }
  });

  it('a slower (guarded) glitch step takes the value of the sixteenth it starts on', () => {
    const base = fixtureState();
    for (let i = 0; i < 200; i++) {
      const beat = i * 0.61;
      const s = at(base, beat, true);
      const f = createSceneFrame();
      updateSceneFrame(f, s, { audience: false, prefersReducedMotion: true, running: false });
      const sub = f.glitchSubdivision;
      expect(sub).toBeLessThan(STEPS_PER_BEAT);
      const sixteenth = Math.round(glitchStepIndex(beat, sub) * (STEPS_PER_BEAT / sub));
      expect(f.stepRandom[0]).toBeCloseTo(stepValue(s.mosaic.glitchSeed, sixteenth), 6);
      expect(f.stepRandom[0]).toBeCloseTo(glitchStep(s.mosaic.glitchSeed, sixteenth, 1).roll, 6);
    }
  });
});
