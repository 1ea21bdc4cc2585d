import { describe, expect, it } from 'vitest';
import { createClockFollower, createClockOut, PPQN } from '../../src/inputs/midi/clock.ts';
import type { ClockKind } from '../../src/inputs/midi/clock.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import type { BusEntry } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { mulberry32 } from '../../src/model/random.ts';
import { fixtureState } from '../model/fixture.ts';

const stats = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  return { mean, sd, spread: Math.max(...xs) - Math.min(...xs) };
};

/**
 * A clock at `bpm` with jitter into a real runtime: each pulse steps the dream to its (jittered)
 * time, the follower's tempo actions go on the bus as source midi, and state().tempo is read at
 * every pulse from the second beat on.
 */
const play = (bpm: number, beats: number, jitter: (i: number) => number) => {
  const store = createDreamStore(fixtureState());
  const runtime = createRuntime(store);
  runtime.clock.pause();
  const entries: BusEntry[] = [];
  runtime.onEntry((e) => entries.push(e));
  const follower = createClockFollower();
  const period = 60_000 / (bpm * PPQN);
  const t0 = 1000;
  let now = t0 - 10;
  const tempos: number[] = [];
  const beatErrors: number[] = [];
  const send = (kind: ClockKind, t: number) => {
    runtime.clock.step((t - now) / 1000);
    now = t;
    const u = follower.message(kind, t);
    if (u) runtime.act({ type: 'tempo', bpm: u.bpm, ...(u.phase === undefined ? {} : { phase: u.phase }) }, 'midi');
  };
  send('start', t0 - 5);
  for (let i = 0; i < beats * PPQN; i++) {
    send('clock', t0 + i * period + jitter(i));
    if (i >= 2 * PPQN) {
      const d = store.getState().dream;
      tempos.push(d.tempo);
      // The dream's beat against the clock's (i / 24), wrapped to ±0.5.
      const e = d.beat - i / PPQN;
      beatErrors.push(Math.abs(e - Math.round(e)));
    }
  }
  return { tempos, beatErrors, entries: entries.filter((e) => e.action.type === 'tempo'), follower };
};

describe('MIDI clock in', () => {
  it('a steady clock: the tempo, and the beat on the clock\'s beat from the start', () => {
    const { tempos, beatErrors, entries } = play(128, 16, () => 0);
    expect(stats(tempos).spread).toBe(0);
    expect(tempos[0]).toBeCloseTo(128, 1);
    expect(Math.max(...beatErrors)).toBeLessThan(0.01);
    expect(entries[0]!.source).toBe('midi');
    // The first tempo after a beat of pulses, with the clock's place in the beat (its 24th pulse).
    expect(entries[0]!.action).toMatchObject({ type: 'tempo', phase: 0.9583 });
    expect(entries.length).toBeLessThanOrEqual(2);
  });

  for (const [name, jitter] of [
    ['uniform ±2 ms', (r: () => number) => (r() * 2 - 1) * 2],
    ['normal, σ 2 ms', (r: () => number) => 2 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())],
  ] as const) {
    it(`120 BPM with ${name} of jitter: state().tempo does not wobble`, () => {
      const r = mulberry32(15);
      const { tempos, beatErrors, entries } = play(120, 64, () => jitter(r));
      const s = stats(tempos);
      console.log(`MIDI clock 120 BPM, ${name} jitter, 64 beats: state().tempo mean ${s.mean.toFixed(3)}, sd ${s.sd.toFixed(4)} BPM, max-min ${s.spread.toFixed(3)} BPM; ${entries.length} tempo actions; beat error max ${Math.max(...beatErrors).toFixed(3)} beats`);
      expect(Math.abs(s.mean - 120)).toBeLessThan(0.5);
      expect(s.spread).toBeLessThanOrEqual(1);
      expect(entries.length).toBeLessThan(10);
      expect(Math.max(...beatErrors)).toBeLessThan(0.1);
    });
  }

  it('a tempo change is followed; stop keeps the tempo; a long gap starts the fit over', () => {
    const f = createClockFollower();
    let t = 0;
    const pulses = (bpm: number, n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        t += 60_000 / (bpm * PPQN);
        const u = f.message('clock', t);
        if (u) out.push(u);
      }
      return out;
    };
    expect(pulses(100, 23)).toEqual([]);
    expect(pulses(100, 1)).toEqual([{ bpm: 100 }]);
    expect(f.running()).toBe(false);
    expect(pulses(140, 96).at(-1)!.bpm).toBeCloseTo(140, 1);
    f.message('start', t);
    expect(pulses(140, 1)).toEqual([{ bpm: 140, phase: 0 }]);
    f.message('stop', t);
    expect(f.running()).toBe(false);
    expect(f.bpm()).toBeCloseTo(140, 1);
    t += 5000;
    expect(pulses(90, 23)).toEqual([]);
    expect(pulses(90, 1)[0]!.bpm).toBeCloseTo(90, 1);
  });
});

describe('MIDI clock out', () => {
  it('24 pulses a beat, on the dream\'s beat, scheduled ahead and following the tempo', () => {
    const out = createClockOut();
    // At beat 3.5 and 120 BPM the next whole beat is 250 ms away.
    expect(out.due(1000, 200, 120, 3.5)).toEqual([]);
    const a = out.due(1200, 100, 120, 3.9);
    expect(a[0]).toBeCloseTo(1250, 9);
    expect(a.length).toBe(3); // 1250, 1270.8, 1291.7
    const b = out.due(1300, 100, 120, 4.1);
    expect(b[0]! - a.at(-1)!).toBeCloseTo(60_000 / (120 * 24), 6);
    const c = out.due(1400, 1000, 60, 4.3);
    expect(c[1]! - c[0]!).toBeCloseTo(60_000 / (60 * 24), 6);
    // After a stall of over a beat it starts over on the beat.
    const d = out.due(9000, 300, 120, 10.75);
    expect(d[0]).toBeCloseTo(9125, 6);
    // Pulses missed in a shorter stall (a long frame) go out at once, on the grid.
    const late = out.due(9700, 0, 120, 11.5);
    expect(late.length).toBeGreaterThan(3);
    expect(late[0]! - d.at(-1)!).toBeCloseTo(60_000 / (120 * 24), 6);
  });
});
