import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime/runtime.ts';
import type { BusEntry } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

const make = () => {
  const store = createDreamStore(fixtureState());
  const runtime = createRuntime(store);
  const entries: BusEntry[] = [];
  runtime.onEntry((e) => entries.push(e));
  return { store, runtime, entries };
};

describe('the runtime: one bus for every input', () => {
  it('stamps each action with its source and the dream time of the step it applied at', () => {
    const { runtime, entries, store } = make();
    runtime.clock.step(1.004);
    runtime.act({ type: 'fracture' }, 'key');
    runtime.dispatch({ type: 'set', path: 'unity', value: 0.2 }, 'script');
    expect(entries.map((e) => [e.source, e.action.type])).toEqual([
      ['key', 'fracture'],
      ['script', 'set'],
    ]);
    // 1.004 s is 120 whole steps and a remainder: the actions apply at the step, 1.0 s.
    expect(entries[0]!.t).toBeCloseTo(1, 9);
    expect(store.getState().dream.clock).toBeCloseTo(1.004, 9);
    expect(store.getState().revision).toBe(2);
    expect(() => runtime.dispatch({ type: 'nonsense' }, 'script')).toThrow(/unknown action type/);
  });

  it('modulate: many values a frame are one change per parameter, not discrete, applied at the next frame or step, also paused', () => {
    const { runtime, entries, store } = make();
    runtime.clock.pause();
    for (let i = 0; i <= 50; i++) runtime.modulate('mood.arousal', i / 50, { source: 'midi' });
    runtime.modulate('dreamers.0.presence', 0.25, { source: 'panel' });
    expect(store.getState().dream.mood.arousal).not.toBe(1);
    runtime.clock.frame(10);
    expect(store.getState().dream.mood.arousal).toBe(1);
    expect(store.getState().dream.dreamers[0]!.presence).toBe(0.25);
    expect(store.getState().revision).toBe(0);
    expect(store.getState().modulation).toBe(1);
    expect(entries.map((e) => [e.source, e.action])).toEqual([
      ['midi', { type: 'modulate', path: 'mood.arousal', value: 1 }],
      ['panel', { type: 'modulate', path: 'dreamers.0.presence', value: 0.25 }],
    ]);
    runtime.modulate('depth', 7);
    runtime.clock.step(0);
    expect(store.getState().dream.depth).toBe(1);
    expect(entries.at(-1)!.source).toBe('script');
    // a modulate dispatched from outside takes the continuous way too
    runtime.dispatch({ type: 'modulate', path: 'unity', value: 0.4 }, 'script');
    expect(store.getState().revision).toBe(0);
    runtime.clock.step(0);
    expect(store.getState().dream.unity).toBe(0.4);
    expect(store.getState().modulation).toBe(3);
    // nothing pending: a frame changes nothing
    runtime.clock.frame(11);
    expect(store.getState().modulation).toBe(3);
  });

  it('modulate refuses an unknown path and anything not continuous', () => {
    const { runtime } = make();
    expect(() => runtime.modulate('mood.happiness', 1)).toThrow(/unknown path/);
    expect(() => runtime.modulate('dreamers.nobody.presence', 1)).toThrow(/no dreamer/);
    for (const path of ['mosaic.tiles', 'key', 'mosaic.pattern', 'show.auto', 'palette.deep', 'safety.masterCap', 'safety.flashGuard', 'dreamers.0.consent']) {
      expect(() => runtime.modulate(path, 1), path).toThrow(/not a continuous parameter/);
    }
    expect(() => runtime.modulate('unity', Number.NaN)).toThrow(/finite number/);
  });

  it('a fader takes its parameter out of a running glide: the performer wins', () => {
    const { runtime, store } = make();
    runtime.act({ type: 'set', path: 'unity', value: 1, seconds: 10 }, 'script');
    runtime.clock.step(1);
    runtime.modulate('unity', 0.1, { source: 'midi' });
    runtime.clock.step(1);
    expect(store.getState().dream.unity).toBe(0.1);
    expect(store.getState().dream.glides).toEqual([]);
  });

  it('while a log plays, live inputs are refused until released; replay still acts', () => {
    const { runtime, store } = make();
    const release = runtime.lockInputs('a show log is playing: take over to play live');
    expect(() => runtime.act({ type: 'fracture' }, 'key')).toThrow(/take over/);
    expect(() => runtime.modulate('unity', 0.3, { source: 'panel' })).toThrow(/take over/);
    runtime.act({ type: 'glitch' }, 'replay');
    expect(store.getState().dream.mosaic.glitch).toBeGreaterThan(0);
    // Panic, recover and the performer's safety settings are never refused.
    runtime.act({ type: 'panic' }, 'key');
    expect(store.getState().dream.output.panic).toBe(true);
    runtime.act({ type: 'recover' }, 'key');
    runtime.act({ type: 'set', path: 'safety.reducedMotion', value: true }, 'panel');
    expect(store.getState().dream.safety.reducedMotion).toBe(true);
    release();
    expect(runtime.inputsLocked()).toBeNull();
    runtime.act({ type: 'fracture' }, 'key');
  });

  it('a module starts and its stop runs once, on its own or on dispose; one that throws is reported', () => {
    const errors: unknown[] = [];
    const runtime = createRuntime(createDreamStore(fixtureState()), { onError: (e) => errors.push(e) });
    const log: string[] = [];
    const stopA = runtime.start({ name: 'a', start: () => (log.push('a+'), () => log.push('a-')) });
    runtime.start({ name: 'b', start: () => (log.push('b+'), () => log.push('b-')) });
    runtime.start({
      name: 'broken',
      start: () => {
        throw new Error('no device');
      },
    });
    stopA();
    stopA();
    runtime.dispose();
    expect(log).toEqual(['a+', 'b+', 'a-', 'b-']);
    expect(String(errors[0])).toMatch(/broken did not start: no device/);
  });
});
