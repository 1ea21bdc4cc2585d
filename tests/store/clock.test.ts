import { describe, expect, it } from 'vitest';
import { createDreamClock, MAX_FRAME_DT, MAX_SOURCE_DT } from '../../src/store/clock.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

describe('the dream clock', () => {
  it('a performer (maxFrameSeconds) takes slow frames in full, so its audiences are not pulled back; a hidden tab still does not leap', () => {
    const clock = createDreamClock(createDreamStore(fixtureState()), { maxFrameSeconds: MAX_SOURCE_DT });
    clock.frame(10);
    clock.frame(10.8); // a slow frame on a busy machine
    expect(clock.time()).toBeCloseTo(0.8, 9);
    clock.frame(40); // back from a hidden tab
    expect(clock.time()).toBeCloseTo(0.8 + MAX_SOURCE_DT, 9);
  });

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

describe('a clock that resumed a show', () => {
  it('takes its slow first frames in full for longFramesFor seconds, then caps them again', () => {
    const store = createDreamStore(fixtureState());
    const clock = createDreamClock(store, { longFramesFor: 10 });
    clock.frame(100);
    clock.frame(100.9);
    expect(clock.time()).toBeCloseTo(0.9, 9);
    clock.frame(111);
    expect(clock.time()).toBeCloseTo(0.9 + MAX_FRAME_DT, 9);
    // A resumed page counts its first frame from its boot.
    const resumed = createDreamClock(createDreamStore(fixtureState()), { longFramesFor: 10, since: 50 });
    resumed.frame(53.5);
    expect(resumed.time()).toBeCloseTo(3.5, 9);
    const plain = createDreamClock(createDreamStore(fixtureState()));
    plain.frame(100);
    plain.frame(100.9);
    expect(plain.time()).toBeCloseTo(MAX_FRAME_DT, 9);
  });
});
