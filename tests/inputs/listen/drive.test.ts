import { describe, expect, it } from 'vitest';
import { BeatFollower, controlEvent, ListenLearner } from '../../../src/inputs/listen/drive.ts';
import { emptyFrame } from '../../../src/inputs/listen/features.ts';
import type { FeatureFrame } from '../../../src/inputs/listen/features.ts';
import { createMappingEngine } from '../../../src/inputs/mappings/engine.ts';
import { freshEnvelope, shape } from '../../../src/inputs/mappings/response.ts';
import { createRuntime } from '../../../src/runtime/runtime.ts';
import type { BusEntry } from '../../../src/runtime/runtime.ts';
import { createDreamStore } from '../../../src/store/dream-store.ts';
import { fixtureState } from '../../model/fixture.ts';

const HOP = 512 / 48000;

/** Frames at the hop, from `make(i, t)`. */
const frames = (n: number, make: (f: FeatureFrame, i: number, t: number) => void): FeatureFrame[] =>
  Array.from({ length: n }, (_, i) => {
    const f = emptyFrame();
    f.t = (i + 1) * HOP;
    make(f, i, f.t);
    return f;
  });

describe('listening onto the mappings', () => {
  it('a mapping\'s gate, attack and release shape the position before its range', () => {
    const e = freshEnvelope();
    const m = { gate: 0.2, attack: 10, release: 100 };
    expect(shape(m, e, 0.1, 0)).toBe(0);
    // Rising: 63 % of the way in one attack time constant.
    expect(shape(m, e, 1, 10)).toBeCloseTo(1 - Math.exp(-1), 6);
    const top = shape(m, e, 1, 1000);
    expect(top).toBeCloseTo(1, 6);
    // Falling: slower, by the release.
    expect(shape(m, e, 0, 1100)).toBeCloseTo(Math.exp(-1), 6);
    // Without attack or release the position goes through (gated).
    const plain = freshEnvelope();
    expect(shape({ gate: 0.5 }, plain, 0.75, 0)).toBeCloseTo(0.5, 9);
  });

  it('bass → unity follows the level through the engine, smoothed; a hit fires an action only past the gate; logged as listen', () => {
    const store = createDreamStore(fixtureState());
    const runtime = createRuntime(store);
    runtime.clock.pause();
    const entries: BusEntry[] = [];
    runtime.onEntry((e) => entries.push(e));
    const engine = createMappingEngine(runtime, { now: () => 0 });
    engine.add({ source: { kind: 'listen', feature: 'bass' }, target: 'unity', min: 0, max: 1, attack: 20, release: 200 });
    engine.add({ source: { kind: 'listen', feature: 'bass', on: 'hit' }, target: { action: 'glitch', amount: 0.5 }, gate: 0.5 });
    const fs = frames(40, (f, i) => {
      f.bands.bass.level = i < 20 ? 1 : 0;
      f.bands.bass.hit = i === 0 || i === 25;
    });
    fs[25]!.bands.bass.level = 0.3; // a quiet hit: under the gate
    const unity: number[] = [];
    for (const f of fs) {
      engine.control(controlEvent({ kind: 'listen', feature: 'bass' }, f));
      engine.control(controlEvent({ kind: 'listen', feature: 'bass', on: 'hit' }, f));
      runtime.clock.step(0);
      unity.push(store.getState().dream.unity);
    }
    // Up in about the attack, down slower.
    expect(unity[3]!).toBeGreaterThan(0.7);
    expect(unity[19]!).toBeGreaterThan(0.99);
    expect(unity[21]!).toBeGreaterThan(0.8);
    expect(unity[39]!).toBeLessThan(0.5);
    const glitches = entries.filter((e) => e.action.type === 'glitch');
    expect(glitches.map((e) => e.source)).toEqual(['listen']);
    expect(entries.filter((e) => e.action.type === 'modulate').every((e) => e.source === 'listen')).toBe(true);
  });

  it('learning proposes the feature that moved most over a second (and a hit for an action)', () => {
    const learner = new ListenLearner();
    const fs = frames(150, (f, i) => {
      f.level = 0.5 + 0.05 * Math.sin(i);
      f.bands.highMid.level = i % 40 < 5 ? 0.9 : 0.1;
      f.bands.highMid.hit = i % 40 === 0;
      f.bands.bass.level = 0.2;
    });
    let got = null;
    let at = 0;
    for (const f of fs) {
      got = learner.add(f, 'parameter');
      at = f.t;
      if (got) break;
    }
    expect(got?.source).toEqual({ kind: 'listen', feature: 'highMid' });
    expect(at).toBeGreaterThanOrEqual(1);
    learner.reset();
    let hit = null;
    for (const f of fs) if ((hit = learner.add(f, 'action'))) break;
    expect(hit?.source).toEqual({ kind: 'listen', feature: 'highMid', on: 'hit' });
    expect(hit?.pressed).toBe(true);
  });

  it('the beat follower: a tempo with its phase on locking, corrections only on drift or a new tempo, back to the dream\'s own tempo when the beat is lost', () => {
    const follow = new BeatFollower();
    const f = emptyFrame();
    f.tempo = 120.004;
    f.phase = 0.25;
    f.confidence = 0.5;
    expect(follow.update(f, 0, { tempo: 72, beat: 10.1, tempoHold: false })).toEqual([]);
    f.confidence = 1;
    expect(follow.update(f, 0.01, { tempo: 72, beat: 10.1, tempoHold: false })).toEqual([{ type: 'tempo', bpm: 120, phase: 0.27 }]);
    expect(follow.following()).toBe(true);
    // In step: nothing more.
    expect(follow.update(f, 0, { tempo: 120, beat: 11.25, tempoHold: true })).toEqual([]);
    // A confidence that sags a little is still followed; lost, the dream goes back.
    f.confidence = 0.5;
    expect(follow.update(f, 0, { tempo: 120, beat: 11.25, tempoHold: true })).toEqual([]);
    f.confidence = 0.25;
    expect(follow.update(f, 0, { tempo: 120, beat: 11.25, tempoHold: true })).toEqual([
      { type: 'set', path: 'tempo', value: 72 },
      { type: 'set', path: 'show.tempoHold', value: false },
    ]);
    expect(follow.following()).toBe(false);
  });
});
