import { describe, expect, it } from 'vitest';
import { createMappingEngine, MappingProblemsError, STORAGE_KEY } from '../../src/inputs/mappings/engine.ts';

import { controlEvents, freshCc14 } from '../../src/inputs/midi/events.ts';
import { feedbackSends } from '../../src/inputs/midi/feedback.ts';
import { parseMessage } from '../../src/inputs/midi/parse.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import type { BusEntry } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

const memory = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
};

const make = (storage = memory()) => {
  const store = createDreamStore(fixtureState());
  const runtime = createRuntime(store);
  runtime.clock.pause();
  const entries: BusEntry[] = [];
  runtime.onEntry((e) => entries.push(e));
  const said: string[] = [];
  const taps: string[] = [];
  const engine = createMappingEngine(runtime, { storage, say: (m) => said.push(m), tap: (s) => taps.push(s), now: () => 0 });
  const dream = () => store.getState().dream;
  /** MIDI bytes from port 'Box' through the parser, then a clock step of 0 (continuous values apply at a step). */
  const cc14 = freshCc14();
  const midi = (...messages: number[][]) => {
    for (const m of messages) for (const msg of parseMessage(m)) for (const e of controlEvents(msg, 'Box', cc14)) engine.control(e);
    runtime.clock.step(0);
  };
  return { store, runtime, engine, entries, said, taps, dream, midi, storage };
};

describe('the mapping engine, with the real runtime', () => {
  it('a CC drives a parameter through modulate (source midi), in its range, with its curve', () => {
    const { engine, midi, dream, entries } = make();
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 7 }, target: 'mood.valence' });
    midi([0xb0, 7, 127]);
    expect(dream().mood.valence).toBeCloseTo(1, 6);
    midi([0xb0, 7, 0]);
    expect(dream().mood.valence).toBeCloseTo(-1, 6);
    const m = engine.add({ source: { kind: 'midi', type: 'cc', channel: 2, number: 7 }, target: 'depth', min: 0.2, max: 0.6, curve: 'exp', invert: true });
    midi([0xb1, 7, 0]);
    expect(dream().depth).toBeCloseTo(0.6, 6);
    expect(engine.list().find((x) => x.id === m.id)!.last).toMatchObject({ raw: 0, value: 0.6 });
    expect(entries.filter((e) => e.action.type === 'modulate').map((e) => e.action.type === 'modulate' && e.action.path)).toEqual(['mood.valence', 'mood.valence', 'depth']);
    expect(entries.every((e) => e.source === 'midi')).toBe(true);
  });

  it('14-bit CC and pitch bend are 14-bit; a port-less mapping takes any port, a port mapping only its own', () => {
    const { engine, midi, dream } = make();
    engine.add({ source: { kind: 'midi', type: 'cc14', channel: 1, number: 1, port: 'Box' }, target: 'unity' });
    engine.add({ source: { kind: 'midi', type: 'pitchbend', channel: 3, port: 'Other' }, target: 'depth' });
    midi([0xb0, 1, 0x20], [0xb0, 33, 0x01]);
    expect(dream().unity).toBeCloseTo(((0x20 << 7) | 1) / 16383, 5);
    const before = dream().depth;
    midi([0xe2, 0x7f, 0x7f]);
    expect(dream().depth).toBe(before);
  });

  it('relative encoders step from where the target is', () => {
    const { engine, midi, dream, runtime } = make();
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 16, encoding: 'relative-twos' }, target: 'unity' });
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 17, encoding: 'relative-offset' }, target: 'unity' });
    runtime.act({ type: 'set', path: 'unity', value: 0.5 }, 'script');
    midi([0xb0, 16, 3]);
    expect(dream().unity).toBeCloseTo(0.5 + 3 / 128, 5);
    midi([0xb0, 16, 126]);
    expect(dream().unity).toBeCloseTo(0.5 + 1 / 128, 5);
    midi([0xb0, 17, 61]);
    expect(dream().unity).toBeCloseTo(0.5 - 2 / 128, 5);
  });

  it('actions fire on a press: a note on, a CC crossing 64 upward, every program change; taps go to the tap', () => {
    const { engine, midi, entries, taps, dream } = make();
    engine.add({ source: { kind: 'midi', type: 'note', channel: 10, number: 36 }, target: { action: 'glitch' } });
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 64 }, target: { action: 'fracture', amount: 0.5 } });
    engine.add({ source: { kind: 'midi', type: 'program', channel: 1, number: 4 }, target: { action: 'act', to: 'next' } });
    engine.add({ source: { kind: 'midi', type: 'note', channel: 10, number: 40 }, target: { action: 'tap' } });
    midi([0x99, 36, 100], [0x89, 36, 0], [0x99, 36, 1]);
    midi([0xb0, 64, 127], [0xb0, 64, 100], [0xb0, 64, 0], [0xb0, 64, 70]);
    midi([0xc0, 4], [0xc0, 4]);
    midi([0x99, 40, 100]);
    expect(entries.filter((e) => e.action.type !== 'modulate').map((e) => [e.source, e.action.type])).toEqual([
      ['midi', 'glitch'],
      ['midi', 'glitch'],
      ['midi', 'fracture'],
      ['midi', 'fracture'],
      ['midi', 'act'],
      ['midi', 'act'],
    ]);
    expect(taps).toEqual(['midi']);
    expect(dream().show.index).toBe(2);
  });

  it('learn maps the next control; it rejects on cancelLearn, after its time, and for a target that cannot be mapped', async () => {
    const { engine, midi } = make();
    const learned = engine.learn('mood.arousal');
    expect(engine.learning()).toBe('mood.arousal');
    midi([0xb0, 9, 10]);
    await expect(learned).resolves.toMatchObject({ source: { kind: 'midi', type: 'cc', channel: 1, number: 9, port: 'Box' }, target: 'mood.arousal' });
    const cancelled = engine.learn({ action: 'panic' });
    engine.cancelLearn();
    await expect(cancelled).rejects.toThrow(/cancelled/);
    await expect(engine.learn('depth', 20)).rejects.toThrow(/no control moved/);
    // A target that cannot be mapped is refused at once: nothing is armed.
    await expect(engine.learn('safety.flashGuard')).rejects.toThrow(/cannot be mapped/);
    expect(engine.learning()).toBeNull();
    midi([0xb0, 10, 10]);
    expect(engine.list().some((m) => m.target === 'safety.flashGuard')).toBe(false);
  });

  it('profiles: export, import (replace or merge), problems with paths and nothing changed, kept in storage across engines', () => {
    const storage = memory();
    const a = make(storage);
    a.engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 1 }, target: 'depth', takeover: 'pickup' });
    a.engine.add({ source: { kind: 'osc', address: '/fader/1' }, target: 'unity' });
    const profile = a.engine.export();
    expect(profile).toMatchObject({ format: 'dreamscape-mappings', version: 1 });
    expect(JSON.parse(storage.items.get(STORAGE_KEY)!)).toEqual(profile);
    const b = make(storage);
    expect(b.engine.export()).toEqual(profile);
    let problems: { path: string }[] = [];
    try {
      b.engine.import({ ...profile, mappings: [...profile.mappings, { source: { kind: 'midi', type: 'cc14', channel: 0, number: 40 }, target: 'safety.flashGuard' }] });
    } catch (err) {
      expect(err).toBeInstanceOf(MappingProblemsError);
      problems = (err as MappingProblemsError).problems;
    }
    expect(problems.map((p) => p.path)).toContain('$.mappings[2].source.channel');
    expect(b.engine.export()).toEqual(profile);
    b.engine.import({ format: 'dreamscape-mappings', version: 1, mappings: [{ source: { kind: 'midi', type: 'note', channel: 1, number: 1 }, target: { action: 'panic' } }] }, { merge: true });
    expect(b.engine.list()).toHaveLength(3);
    b.engine.import({ format: 'dreamscape-mappings', version: 1, mappings: [] });
    expect(b.engine.list()).toHaveLength(0);
  });

  it('feedback: each mapped CC where the dream is, only what changed', () => {
    const { engine, runtime } = make();
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 2, number: 7, port: 'Box' }, target: 'unity' });
    engine.add({ source: { kind: 'midi', type: 'cc14', channel: 1, number: 1 }, target: 'depth' });
    engine.add({ source: { kind: 'midi', type: 'note', channel: 1, number: 1 }, target: 'depth' });
    const sent = new Map<string, number>();
    runtime.act({ type: 'set', path: 'unity', value: 1 }, 'script');
    runtime.act({ type: 'set', path: 'depth', value: 0.5 }, 'script');
    const first = feedbackSends(engine.list(), (m) => engine.positionOf(m), sent);
    expect(first).toEqual([
      { port: 'Box', bytes: [0xb1, 7, 127] },
      { port: undefined, bytes: [0xb0, 1, 64, 0xb0, 33, 0] },
    ]);
    expect(feedbackSends(engine.list(), (m) => engine.positionOf(m), sent)).toEqual([]);
    runtime.act({ type: 'set', path: 'unity', value: 0 }, 'script');
    expect(feedbackSends(engine.list(), (m) => engine.positionOf(m), sent)).toEqual([{ port: 'Box', bytes: [0xb1, 7, 0] }]);
  });
});


describe('nothing the performer mapped is lost (review)', () => {
  it('a profile with a bad target leaves the mappings as they were, in replace mode too', () => {
    const { engine } = make();
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 1 }, target: 'depth' });
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 2 }, target: 'unity' });
    const bad = { format: 'dreamscape-mappings', version: 1, mappings: [{ source: { kind: 'midi', type: 'cc', channel: 1, number: 3 }, target: 'mood.arousal' }, { source: { kind: 'midi', type: 'cc', channel: 1, number: 4 }, target: 'safety.masterCap' }] };
    expect(() => engine.import(bad)).toThrow(MappingProblemsError);
    expect(engine.list().map((m) => m.target)).toEqual(['depth', 'unity']);
  });

  it('a merge keeps the performer’s own mappings when ids collide, replacing only the same source and target', () => {
    const { engine } = make();
    const mine = engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 1 }, target: 'mood.valence' });
    engine.import({ format: 'dreamscape-mappings', version: 1, mappings: [{ id: mine.id, source: { kind: 'midi', type: 'cc', channel: 1, number: 9 }, target: 'depth' }] }, { merge: true });
    const list = engine.list();
    expect(list.map((m) => m.target).sort()).toEqual(['depth', 'mood.valence']);
    expect(new Set(list.map((m) => m.id)).size).toBe(2);
    engine.import({ format: 'dreamscape-mappings', version: 1, mappings: [{ source: { kind: 'midi', type: 'cc', channel: 1, number: 1 }, target: 'mood.valence', curve: 's' }] }, { merge: true });
    expect(engine.list().filter((m) => m.target === 'mood.valence').map((m) => m.curve)).toEqual(['s']);
  });

  it('kept mappings naming a dreamer this preset lacks are restored; an unreadable profile is moved aside, never saved over', () => {
    const storage = memory();
    const a = make(storage);
    a.engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 1 }, target: 'dreamers.zed.presence' });
    a.engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 2 }, target: 'depth' });
    const b = make(storage);
    expect(b.engine.list().map((m) => m.target)).toEqual(['dreamers.zed.presence', 'depth']);
    b.midi([0xb0, 1, 64]); // no dreamer zed here: said, and the show goes on
    expect(b.said.some((m) => /zed/.test(m))).toBe(true);
    const future = JSON.stringify({ format: 'dreamscape-mappings', version: 9, mappings: [] });
    storage.items.set(STORAGE_KEY, future);
    const c = make(storage);
    c.engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 5 }, target: 'unity' });
    expect(storage.items.get(`${STORAGE_KEY}.unread`)).toBe(future);
    expect(c.said.some((m) => m.includes(`${STORAGE_KEY}.unread`))).toBe(true);
  });

  it('pickup lets go when someone else moves the target, and waits to be picked up again', () => {
    let t = 0;
    const store = createDreamStore(fixtureState());
    const runtime = createRuntime(store);
    runtime.clock.pause();
    const engine = createMappingEngine(runtime, { now: () => t });
    engine.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 7 }, target: 'unity', takeover: 'pickup' });
    const cc = (v: number) => {
      for (const msg of parseMessage([0xb0, 7, v])) for (const e of controlEvents(msg, 'Box', freshCc14())) engine.control(e);
      runtime.clock.step(0);
      t += 20;
    };
    const unity = () => store.getState().dream.unity;
    cc(Math.round(unity() * 127)); // on the value: engaged
    cc(100);
    expect(unity()).toBeCloseTo(100 / 127, 6);
    t += 1000;
    runtime.act({ type: 'set', path: 'unity', value: 0.1 }, 'panel');
    cc(101); // far from 0.1: waits
    expect(unity()).toBe(0.1);
    cc(20);
    cc(10); // crossed 0.1: follows again
    expect(unity()).toBeCloseTo(10 / 127, 6);
  });
});
