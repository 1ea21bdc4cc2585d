import { describe, expect, it } from 'vitest';
import { startFrameLoop, throttledConsole } from '../../src/app/frame-loop.ts';
import { createDreamClock } from '../../src/store/clock.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

/** A hand-driven requestAnimationFrame. */
const fakeRaf = () => {
  let next: ((t: number) => void) | null = null;
  let handles = 0;
  return {
    request: (fn: (t: number) => void) => {
      next = fn;
      return ++handles;
    },
    cancel: () => {
      next = null;
    },
    run: (t: number) => {
      const fn = next;
      next = null;
      fn?.(t);
    },
    pending: () => next !== null,
  };
};

describe('the frame loop', () => {
  it('keeps scheduling frames after a frame throws, and reports each error', () => {
    const raf = fakeRaf();
    const errors: unknown[] = [];
    const frames: number[] = [];
    const stop = startFrameLoop({
      frame: (t) => {
        frames.push(t);
        if (t === 32) throw new Error('boom');
      },
      request: raf.request,
      cancel: raf.cancel,
      report: (e) => errors.push(e),
    });
    for (const t of [16, 32, 48, 64]) raf.run(t);
    expect(frames).toEqual([16, 32, 48, 64]);
    expect(errors).toHaveLength(1);
    expect(raf.pending()).toBe(true);
    stop();
    expect(raf.pending()).toBe(false);
  });

  it('a renderer that throws is reported and the other renderers and the dream go on', () => {
    const store = createDreamStore(fixtureState());
    const errors: unknown[] = [];
    const clock = createDreamClock(store, { onError: (e) => errors.push(e) });
    let after = 0;
    clock.onAdvance(() => {
      throw new Error('a broken view');
    });
    clock.onAdvance(() => after++);
    clock.frame(1);
    clock.frame(1.1);
    clock.frame(1.2);
    expect(clock.time()).toBeCloseTo(0.2);
    expect(after).toBe(3);
    expect(errors).toHaveLength(3);
    // Without an error handler the first error still surfaces, after every renderer ran.
    const bare = createDreamClock(createDreamStore(fixtureState()));
    let ran = 0;
    bare.onAdvance(() => {
      throw new Error('first');
    });
    bare.onAdvance(() => ran++);
    expect(() => bare.frame(1)).toThrow('first');
    expect(ran).toBe(1);
  });

  it('writes one console line for a repeated failure, then one with the count every few seconds', () => {
    let now = 0;
    const lines: string[] = [];
    const report = throttledConsole('frame failed', 5000, () => now, (l) => lines.push(l));
    for (let i = 0; i < 600; i++) {
      report(new Error('boom'));
      now += 1000 / 60;
    }
    expect(lines.length).toBe(2);
    expect(lines[0]).toBe('frame failed: Error: boom');
    expect(lines[1]).toMatch(/^frame failed: Error: boom \(and 299 more since the last report\)$/);
  });
});

describe('a hidden performer tab', () => {
  it('gets frames from the timer while animation frames stop, none while they come, and none after stop', () => {
    const frames: number[] = [];
    let queued: ((now: number) => void) | null = null;
    let tick: (() => void) | null = null;
    let now = 0;
    const stop = startFrameLoop({
      frame: (t) => frames.push(t),
      request: (fn) => ((queued = fn), 1),
      cancel: () => undefined,
      report: () => undefined,
      fallback: { every: 250, now: () => now, set: (fn) => (tick = fn), clear: () => (tick = null) },
    });
    // Animation frames every 16 ms: the timer adds none.
    for (let i = 1; i <= 30; i++) {
      now = i * 16;
      queued!(now);
      if (i % 15 === 0) tick!();
    }
    expect(frames.length).toBe(30);
    // Hidden: no animation frames; the timer gives one every time it fires past its period.
    for (let k = 1; k <= 8; k++) {
      now = 480 + k * 1000; // background timers are throttled to about once a second
      tick!();
    }
    expect(frames.slice(30)).toEqual([1480, 2480, 3480, 4480, 5480, 6480, 7480, 8480]);
    stop();
    expect(tick).toBeNull();
  });
});
