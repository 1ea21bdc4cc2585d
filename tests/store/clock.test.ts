import { describe, expect, it } from 'vitest';
import { createDreamClock, MAX_FRAME_DT } from '../../src/store/clock.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

describe('the dream clock', () => {
  it('advances by the page clock, caps a long gap, and stops while paused', () => {
    const store = createDreamStore(fixtureState());
    const clock = createDreamClock(store);
    let drawn = 0;
    clock.onAdvance(() => drawn++);
    clock.frame(10);
    clock.frame(10.5);
    expect(clock.time()).toBeCloseTo(MAX_FRAME_DT);
    clock.frame(10.52);
    expect(clock.time()).toBeCloseTo(MAX_FRAME_DT + 0.02);
    clock.pause();
    clock.frame(11);
    expect(clock.time()).toBeCloseTo(MAX_FRAME_DT + 0.02);
    clock.step(1 / 60);
    expect(clock.time()).toBeCloseTo(MAX_FRAME_DT + 0.02 + 1 / 60);
    expect(() => clock.step(Number.NaN)).toThrow(/finite/);
    expect(drawn).toBe(5);
  });

  it('follows the music when it is the source, even across a slow frame', () => {
    const store = createDreamStore(fixtureState());
    const clock = createDreamClock(store);
    let transport = 100;
    clock.setSource(() => transport);
    clock.frame(0);
    transport += 0.7; // a slow frame: the picture must not fall behind the sound
    clock.frame(0.016);
    expect(clock.time()).toBeCloseTo(0.7);
    transport += 30; // the context was suspended: do not leap
    clock.frame(0.032);
    expect(clock.time()).toBeLessThan(3);
  });
});
