import { describe, expect, it } from 'vitest';
import { controlEvent } from '../../../src/inputs/listen/drive.ts';
import { ListenAnalyser } from '../../../src/inputs/listen/features.ts';
import { createMappingEngine } from '../../../src/inputs/mappings/engine.ts';
import { reduce } from '../../../src/model/index.ts';
import { createRuntime } from '../../../src/runtime/runtime.ts';
import { flashTransitions, maxPerWindow } from '../../../src/scene/flash-guard.ts';
import { createSceneFrame, updateSceneFrame } from '../../../src/scene/scene-frame.ts';
import { createDreamStore } from '../../../src/store/dream-store.ts';
import { fixtureState } from '../../model/fixture.ts';
import { clicks } from './signals.ts';

// Issue 16: a 10 Hz click track mapped to glitch and fracture cannot make the picture flash more
// than three times a second. The real feature maths hears the clicks, the real mapping engine
// drives the real runtime, and the scene's frame (the flash guard's inputs) is read at 60 fps.
// The same run with the guard off shows the clicks would flash: the guard is what holds.
const FPS = 60;
const SR = 48_000;
const SECONDS = 4;

/** Mean-luminance proxy: the guarded inputs the clicks drive, as if each lit the whole frame. */
const brightness = (f: ReturnType<typeof createSceneFrame>): number => 0.5 * Math.abs(f.fracture) + 0.5 * f.glitch;

const run = (guard: boolean): number[] => {
  let dream = fixtureState();
  dream = reduce(dream, { type: 'set', path: 'show.auto', value: false });
  if (!guard) dream = reduce(dream, { type: 'set', path: 'safety.flashGuard', value: false, confirm: true });
  const store = createDreamStore(dream);
  const runtime = createRuntime(store);
  runtime.clock.pause();
  const engine = createMappingEngine(runtime, { now: () => 0 });
  const level = { kind: 'listen', feature: 'level' } as const;
  const onset = { kind: 'listen', feature: 'onset' } as const;
  engine.add({ source: level, target: 'mosaic.fracture' });
  engine.add({ source: onset, target: 'mosaic.glitch' });
  const analyser = new ListenAnalyser(SR);
  const samples = clicks(10, SECONDS, SR);
  const frame = createSceneFrame();
  const series: number[] = [];
  let hop = 0;
  for (let i = 1; i <= SECONDS * FPS; i++) {
    // The hops heard up to this frame, each through the mappings.
    for (; (hop + 1) * analyser.hop <= (i / FPS) * SR; hop++) {
      const f = analyser.process(samples.subarray(hop * analyser.hop, (hop + 1) * analyser.hop), ((hop + 1) * analyser.hop) / SR);
      engine.control(controlEvent(level, f));
      engine.control(controlEvent(onset, f));
    }
    runtime.clock.step(1 / FPS);
    updateSceneFrame(frame, store.getState().dream, { audience: true, prefersReducedMotion: false });
    series.push(brightness(frame));
  }
  return series.slice(FPS); // after the first second (the running ranges settle)
};

describe('a 10 Hz click track mapped to fracture and glitch', () => {
  it('would swing the picture many times a second with the guard off, and at most 3 with it on', () => {
    const off = maxPerWindow(flashTransitions(run(false)), FPS);
    const on = maxPerWindow(flashTransitions(run(true)), FPS);
    expect(off).toBeGreaterThan(3);
    expect(on).toBeLessThanOrEqual(3);
  });
});
