import { describe, expect, it } from 'vitest';
import { parseAction, reduce, resolvePreset, tick, getParam, STEP, PANIC_SECONDS, RECOVER_SECONDS, validatePreset } from '../../src/model/index.ts';
import type { DreamAction, DreamState } from '../../src/model/index.ts';
import { FIXTURE, fixtureState, run } from './fixture.ts';

const go = (s: DreamState, seconds: number, dt = 1 / 30) => run(s, seconds, dt, tick);
const act = (s: DreamState, a: unknown) => reduce(s, parseAction(a));

describe('set', () => {
  it('sets by path, clamps out-of-range numbers and refuses the rest', () => {
    let s = fixtureState();
    s = act(s, { type: 'set', path: 'mood.arousal', value: 0.7 });
    expect(s.mood.arousal).toBe(0.7);
    s = act(s, { type: 'set', path: 'unity', value: 5 });
    expect(s.unity).toBe(1);
    s = act(s, { type: 'set', path: 'mood.valence', value: -9 });
    expect(s.mood.valence).toBe(-1);
    s = act(s, { type: 'set', path: 'mosaic.tiles', value: 1e9 });
    expect(s.mosaic.tiles).toBe(262_144);
    s = act(s, { type: 'set', path: 'mosaic.tiles', value: 99.6 });
    expect(s.mosaic.tiles).toBe(100);
    expect(() => act(s, { type: 'set', path: 'unity', value: Number.NaN })).toThrow(/unity expects a finite number, got NaN/);
    expect(() => act(s, { type: 'set', path: 'unity', value: Infinity })).toThrow(/finite/);
    expect(() => act(s, { type: 'set', path: 'unity', value: 'lots' })).toThrow(/unity expects a number from 0 to 1, got "lots"/);
    expect(() => act(s, { type: 'set', path: 'mode', value: 'jazz' })).toThrow(/mode expects one of major, minor/);
    expect(() => act(s, { type: 'set', path: 'palette.glow', value: 'red' })).toThrow(/colour/);
    expect(() => act(s, { type: 'set', path: 'nope', value: 1 })).toThrow(/unknown path 'nope'/);
    expect(s.unity).toBe(1);
  });

  it('addresses dreamers by id or index', () => {
    let s = fixtureState();
    s = act(s, { type: 'set', path: 'dreamers.ann.presence', value: 0.25 });
    s = act(s, { type: 'set', path: 'dreamers.1.consent', value: 'shared' });
    expect(s.dreamers[0]!.presence).toBe(0.25);
    expect(s.dreamers[1]!.consent).toBe('shared');
    expect(() => act(s, { type: 'set', path: 'dreamers.zed.presence', value: 1 })).toThrow(/no dreamer 'zed'/);
    expect(() => act(s, { type: 'set', path: 'dreamers.ann.height', value: 1 })).toThrow(/unknown dreamer field 'height'/);
  });

  it('glides to a value over the seconds given, beside a running act transition', () => {
    let s = act(fixtureState(), { type: 'act', to: 2 }); // unity → 1 over 6 s
    s = act(s, { type: 'set', path: 'depth', value: 1, seconds: 2 });
    s = act(s, { type: 'set', path: 'palette.deep', value: '#ffffff', seconds: 2 });
    s = go(s, 1);
    expect(s.depth).toBeGreaterThan(0.5);
    expect(s.depth).toBeLessThan(0.9);
    expect(s.palette.deep).not.toBe('#000000');
    s = go(s, 1.05);
    expect(s.depth).toBe(1);
    expect(s.palette.deep).toBe('#ffffff');
    expect(s.glides).toEqual([]);
    expect(s.unity).toBeLessThan(1); // the act transition was not restarted or cut short
    s = go(s, 4);
    expect(s.unity).toBe(1);
    // a plain set cancels a glide on the same path
    s = act(s, { type: 'set', path: 'depth', value: 0, seconds: 5 });
    s = act(s, { type: 'set', path: 'depth', value: 0.3 });
    s = go(s, 1);
    expect(s.depth).toBe(0.3);
  });

  it('turns the flash guard off only when confirmed', () => {
    const s = fixtureState();
    expect(() => act(s, { type: 'set', path: 'safety.flashGuard', value: false })).toThrow(/confirm: true/);
    expect(act(s, { type: 'set', path: 'safety.flashGuard', value: false, confirm: true }).safety.flashGuard).toBe(false);
  });
});

describe('parseAction', () => {
  it('says what was wrong with a bad action', () => {
    expect(() => parseAction(null)).toThrow(/an action is an object/);
    expect(() => parseAction({ type: 'explode' })).toThrow(/unknown action type "explode"; known: set, fracture/);
    expect(() => parseAction({ type: 'fracture', amount: 'big' })).toThrow(/fracture: amount must be a finite number, got "big"/);
    expect(() => parseAction({ type: 'act', to: 'sideways' })).toThrow(/act: to must be 'next', 'prev' or an act index/);
    expect(() => parseAction({ type: 'panic', now: true })).toThrow(/unknown field 'now'/);
    expect(() => parseAction({ type: 'morph', to: {} })).toThrow(/loadPreset/);
  });
});

describe('fracture, glitch and restabilize', () => {
  it('steps up without an amount and sets an amount exactly', () => {
    let s = fixtureState();
    s = act(s, { type: 'fracture' });
    expect(s.mosaic.fracture).toBeCloseTo(STEP);
    s = act(s, { type: 'fracture' });
    s = act(s, { type: 'fracture' });
    expect(s.mosaic.fracture).toBe(1);
    s = act(s, { type: 'glitch', amount: 0.4 });
    expect(s.mosaic.glitch).toBe(0.4);
    expect(s.mosaic.stability).toBe(0);
    s = act(s, { type: 'fracture', amount: 3 });
    expect(s.mosaic.fracture).toBe(1);
  });

  it('cracks from a new seeded epicentre each time it fractures from calm', () => {
    const a = act(fixtureState(), { type: 'fracture', amount: 1 });
    const b = act(fixtureState(), { type: 'fracture', amount: 1 });
    const c = act(fixtureState({ seed: 43 }), { type: 'fracture', amount: 1 });
    expect(a.mosaic.epicentre).toEqual(b.mosaic.epicentre);
    expect(a.mosaic.fractureSeed).toBe(b.mosaic.fractureSeed);
    expect(c.mosaic.fractureSeed).not.toBe(a.mosaic.fractureSeed);
  });

  it('restabilizes over the seconds asked, eased, with a spring overshoot', () => {
    let s = act(fixtureState(), { type: 'fracture', amount: 1 });
    s = act(s, { type: 'glitch', amount: 0.8 });
    s = act(s, { type: 'restabilize', seconds: 3 });
    const samples: { f: number; g: number; r: number }[] = [];
    for (let i = 0; i < 91; i++) {
      s = tick(s, 1 / 30);
      samples.push({ f: s.mosaic.fracture, g: s.mosaic.glitch, r: s.mosaic.recoil });
    }
    // eased: slow start is not required, but values fall monotonically until the overshoot
    expect(samples[10]!.f).toBeLessThan(1);
    expect(samples[44]!.g).toBeGreaterThan(0.2);
    expect(samples[44]!.g).toBeLessThan(0.6);
    expect(Math.max(...samples.map((x) => x.r))).toBeGreaterThan(0.02);
    expect(s.mosaic.fracture).toBe(0);
    expect(s.mosaic.glitch).toBe(0);
    expect(s.mosaic.recoil).toBe(0);
    expect(s.mosaic.restabilize).toBeNull();
    expect(s.mosaic.stability).toBe(1);
  });

  it('uses the preset restabilize time by default and a new fracture interrupts it', () => {
    let s = act(fixtureState(), { type: 'fracture', amount: 1 });
    s = act(s, { type: 'restabilize' });
    expect(s.mosaic.restabilize?.seconds).toBe(2);
    s = go(s, 1);
    s = act(s, { type: 'fracture', amount: 0.6 });
    s = go(s, 2);
    expect(s.mosaic.fracture).toBe(0.6);
  });
});

describe('acts', () => {
  it('steps next, prev and by index, and refuses an index out of range', () => {
    let s = fixtureState();
    s = act(s, { type: 'act', to: 'prev' });
    expect(s.show.index).toBe(0);
    s = act(s, { type: 'act', to: 'next' });
    expect(s.show.index).toBe(1);
    s = act(s, { type: 'act', to: 2 });
    s = act(s, { type: 'act', to: 'next' });
    expect(s.show.index).toBe(2);
    expect(() => act(s, { type: 'act', to: 7 })).toThrow(/index 7 is out of range 0..2/);
  });

  it('morphs an act’s values in over its transition', () => {
    // the first act's values apply at load
    expect(fixtureState().unity).toBe(0.2);
    let s = act(fixtureState(), { type: 'act', to: 2 });
    expect(s.unity).toBe(0.2);
    s = go(s, 3);
    expect(s.unity).toBeGreaterThan(0.4);
    expect(s.unity).toBeLessThan(1);
    s = go(s, 3.1);
    expect(s.unity).toBe(1);
    expect(s.palette.glow).toBe('#ffffff');
  });

  it('fires timed events in order and auto-advances by duration', () => {
    let s = fixtureState();
    s = go(s, 4.9);
    expect(s.mosaic.glitch).toBe(0);
    s = go(s, 0.2);
    expect(s.mosaic.glitch).toBe(0.3);
    s = go(s, 5); // act 1 begins at t=10
    expect(s.show.index).toBe(1);
    expect(s.mood.arousal).toBe(0.9); // transition 0: at once
    expect(s.dreamers[1]!.presence).toBe(1);
    s = go(s, 1.1);
    expect(s.dreamers[0]!.presence).toBeCloseTo(0.1);
    s = go(s, 1);
    expect(s.mosaic.fracture).toBe(0.9);
    s = go(s, 2);
    expect(s.mosaic.restabilize).not.toBeNull();
    s = go(s, 2.5);
    expect(s.mosaic.fracture).toBe(0);
    s = go(s, 30);
    expect(s.show.index).toBe(2); // the last act holds
  });

  it('stays on an act when auto-advance is off', () => {
    let s = act(fixtureState(), { type: 'set', path: 'show.auto', value: false });
    s = go(s, 25);
    expect(s.show.index).toBe(0);
  });
});

describe('panic and recover', () => {
  it('fades to nothing within half a second and back on recover', () => {
    let s = act(fixtureState(), { type: 'panic' });
    s = go(s, PANIC_SECONDS + 0.05);
    expect(s.output.fade).toBe(0);
    s = act(s, { type: 'recover' });
    s = go(s, RECOVER_SECONDS / 2);
    expect(s.output.fade).toBeGreaterThan(0.3);
    expect(s.output.fade).toBeLessThan(0.7);
    s = go(s, RECOVER_SECONDS);
    expect(s.output.fade).toBe(1);
  });
});

describe('morph', () => {
  it('interpolates numbers and colours and switches discrete values at the midpoint', () => {
    const start = fixtureState();
    const target: DreamState = {
      ...fixtureState(),
      preset: 'other',
      title: 'Other',
      depth: 1,
      mode: 'minor',
      palette: { ...start.palette, deep: '#ffffff' },
      mosaic: { ...start.mosaic, tiles: 4096, pattern: 'grid' },
    };
    let s = reduce(start, { type: 'morph', to: target, seconds: 4 });
    s = go(s, 1.9);
    expect(s.preset).toBe('test-dream');
    expect(s.mode).toBe('major');
    expect(s.mosaic.tiles).toBe(1024);
    expect(s.depth).toBeGreaterThan(0.5);
    expect(s.depth).toBeLessThan(1);
    expect(s.palette.deep).not.toBe('#000000');
    s = go(s, 0.2);
    expect(s.preset).toBe('other');
    expect(s.mode).toBe('minor');
    expect(s.mosaic.tiles).toBe(4096);
    expect(s.mosaic.pattern).toBe('grid');
    s = go(s, 2);
    expect(s.depth).toBe(1);
    expect(s.unity).toBe(0.2); // the target's first act sets unity
    expect(s.palette.deep).toBe('#ffffff');
    expect(s.morph).toBeNull();
  });

  it('lets a live action take a parameter out of a running morph', () => {
    const target = { ...fixtureState(), unity: 1, depth: 1 };
    let s = reduce(fixtureState(), { type: 'morph', to: target, seconds: 4 });
    s = go(s, 1);
    s = act(s, { type: 'set', path: 'unity', value: 0.1 });
    s = go(s, 4);
    expect(s.unity).toBe(0.1);
    expect(s.depth).toBe(1);
  });

  it('keeps the performer’s safety settings and the clock', () => {
    let s = act(fixtureState(), { type: 'set', path: 'safety.reducedMotion', value: true });
    s = go(s, 3);
    const clock = s.clock;
    s = reduce(s, { type: 'morph', to: fixtureState(), seconds: 1 });
    s = go(s, 1);
    expect(s.safety.reducedMotion).toBe(true);
    expect(s.clock).toBeCloseTo(clock + 1);
  });
});

describe('determinism', () => {
  const script: DreamAction[] = [
    { type: 'fracture' },
    { type: 'glitch', amount: 0.5 },
    { type: 'act', to: 'next' },
    { type: 'restabilize' },
    { type: 'fracture', amount: 1 },
    { type: 'set', path: 'unity', value: 0.9 },
  ];
  const play = (seed: number) => {
    let s = fixtureState({ seed });
    for (const a of script) {
      s = reduce(s, a);
      s = go(s, 1.37);
    }
    return s;
  };
  it('gives the same states for the same preset, seed and actions', () => {
    expect(play(5)).toEqual(play(5));
    expect(JSON.parse(JSON.stringify(play(5)))).toEqual(play(5));
  });
  it('gives a different dream for a different seed', () => {
    expect(play(6).mosaic.fractureSeed).not.toBe(play(5).mosaic.fractureSeed);
  });
  it('reads back what it set through getParam', () => {
    expect(getParam(play(5), 'unity')).toBeCloseTo(0.9);
  });
});

describe('tempo (a tapped or received tempo)', () => {
  it('sets the tempo, clamps it to 30-240 BPM, refuses what is not a number', () => {
    const s = fixtureState();
    expect(act(s, { type: 'tempo', bpm: 120 }).tempo).toBe(120);
    expect(act(s, { type: 'tempo', bpm: 999 }).tempo).toBe(240);
    expect(act(s, { type: 'tempo', bpm: 5 }).tempo).toBe(30);
    expect(() => act(s, { type: 'tempo', bpm: Number.NaN })).toThrow(/bpm must be a finite number/);
    expect(() => act(s, { type: 'tempo', bpm: 120, swing: 1 })).toThrow(/unknown field 'swing'/);
  });

  it('with a phase, moves the beat forward so the next whole beat falls where the taps say', () => {
    let s = go(fixtureState(), 1.37);
    const before = s.beat;
    s = act(s, { type: 'tempo', bpm: 120, phase: 0.25 });
    expect(s.beat).toBeGreaterThanOrEqual(before);
    expect(s.beat - before).toBeLessThan(1);
    expect(s.beat - Math.floor(s.beat)).toBeCloseTo(0.25, 9);
    // Half a second later at 120 BPM the dream is a whole beat on: the phase is the taps'.
    s = go(s, 0.5, 1 / 120);
    expect(s.beat - Math.floor(s.beat)).toBeCloseTo(0.25, 6);
  });

  it('holds through act changes and preset morphs until released', () => {
    const fixture = fixtureState();
    const acts = fixture.acts.map((a, i) => (i === 1 ? { ...a, values: { ...a.values, tempo: 90 } } : a));
    let s = act({ ...fixture, acts }, { type: 'tempo', bpm: 132 });
    expect(s.show.tempoHold).toBe(true);
    s = go(act(s, { type: 'act', to: 1 }), 3);
    expect(s.tempo).toBe(132);
    s = act(s, { type: 'set', path: 'show.tempoHold', value: false });
    s = go(act(s, { type: 'act', to: 0 }), 0.1);
    s = go(act(s, { type: 'act', to: 1 }), 3);
    expect(s.tempo).toBe(90);
  });
});

describe('a held tempo and the performer’s switches survive what a preset does (review)', () => {
  const presetOf = (over: Record<string, unknown>) => {
    const v = validatePreset({ ...FIXTURE, id: 'other', ...over });
    if (!v.ok) throw new Error(JSON.stringify(v.problems));
    return v.preset;
  };
  it('an immediate preset switch keeps a held tempo, auto-advance and safety', () => {
    let s = act(fixtureState(), { type: 'tempo', bpm: 120 });
    s = act(s, { type: 'set', path: 'show.auto', value: false });
    s = act(s, { type: 'set', path: 'safety.reducedMotion', value: true });
    s = reduce(s, { type: 'preset', preset: presetOf({ tempo: 60 }), seconds: 0 });
    expect([s.preset, s.tempo, s.show.tempoHold, s.show.auto, s.safety.reducedMotion]).toEqual(['other', 120, true, false, true]);
    s = act(s, { type: 'set', path: 'show.tempoHold', value: false });
    s = reduce(s, { type: 'preset', preset: presetOf({ tempo: 60 }), seconds: 0 });
    expect(s.tempo).toBe(60);
  });

  it("a timed tempo event does not override a held tempo", () => {
    const acts = [{ name: 'A', duration: 10, events: [{ at: 1, action: { type: 'set', path: 'tempo', value: 90 } }] }];
    const free = go(resolvePreset(presetOf({ acts })), 2);
    expect(free.tempo).toBe(90);
    const held = go(act(resolvePreset(presetOf({ acts })), { type: 'tempo', bpm: 140 }), 2);
    expect(held.tempo).toBe(140);
  });
});
