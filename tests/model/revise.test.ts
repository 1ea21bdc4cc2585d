import { describe, expect, it } from 'vitest';
import { getParam, logStateAt, parseAction, reduce, tick, validatePreset, validateShowLogText } from '../../src/model/index.ts';
import type { DreamState, Preset, PresetInput } from '../../src/model/index.ts';
import { REVISE_SECONDS } from '../../src/model/revise.ts';
import { createRecorder } from '../../src/log/recorder.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { expectClose } from './close.ts';
import { FIXTURE, fixtureState, run } from './fixture.ts';

const go = (s: DreamState, seconds: number) => run(s, seconds, 1 / 60, tick);
const valid = (input: PresetInput): Preset => {
  const r = validatePreset(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.preset;
};
/** The fixture with an edit applied (a copy: the fixture itself stays as it is). */
const edited = (edit: (p: PresetInput & Record<string, unknown>) => void): Preset => {
  const p = structuredClone(FIXTURE) as PresetInput & Record<string, unknown>;
  edit(p);
  return valid(p);
};
const actsOf = (p: PresetInput) => p.acts as unknown as { values?: Record<string, unknown>; events?: unknown[] }[];

/** The fixture played into its climax (act 1, 3 s in) with a live fracture and glitch. */
const inClimax = (): DreamState => {
  let s = go(fixtureState(), 6);
  s = reduce(s, { type: 'act', to: 1 });
  s = go(s, 3);
  s = reduce(s, { type: 'glitch', amount: 0.4 });
  return s;
};

describe('revise: an edit of the playing preset', () => {
  it('keeps the act, its elapsed time, the clock and the live disturbance, and morphs to the edited act values', () => {
    const s = inClimax();
    expect(s.show.index).toBe(1);
    const preset = edited((p) => {
      actsOf(p)[1]!.values = { mood: { arousal: 0.4 }, dreamers: { bo: { presence: 1 } } };
      (p.palette as Record<string, string>).glow = '#ff8000';
      p.title = 'Edited dream';
    });
    const r = reduce(s, { type: 'revise', preset, seconds: REVISE_SECONDS });
    expect(r.show.index).toBe(1);
    expect(r.show.elapsed).toBe(s.show.elapsed);
    expect(r.clock).toBe(s.clock);
    expect(r.beat).toBe(s.beat);
    expect(r.rng).toBe(s.rng);
    expect(r.mosaic.glitch).toBe(s.mosaic.glitch);
    expect(r.mosaic.fracture).toBe(s.mosaic.fracture);
    expect(r.title).toBe('Edited dream');
    // No jump: the values start where they were and reach the edit over the morph.
    expect(r.mood.arousal).toBe(s.mood.arousal);
    const half = go(r, REVISE_SECONDS / 2);
    expect(half.mood.arousal).toBeGreaterThan(0.4);
    expect(half.mood.arousal).toBeLessThan(s.mood.arousal);
    const done = go(r, REVISE_SECONDS + 0.1);
    expect(done.morph).toBeNull();
    expect(done.mood.arousal).toBeCloseTo(0.4, 9);
    expect(done.palette.glow).toBe('#ff8000');
    // The preset's own value where this act sets none (the first act's unity is not this act's).
    expect(done.unity).toBe(0.5);
    expect(done.dreamers[1]!.presence).toBe(1);
    expect(done.show.index).toBe(1);
    expect(done.show.elapsed).toBeCloseTo(s.show.elapsed + REVISE_SECONDS + 0.1, 9);
    expect(done.clock).toBeCloseTo(s.clock + REVISE_SECONDS + 0.1, 9);
  });

  it('changes a scene kind as a morph changes it: at the midpoint, the picture cross-fading', () => {
    const s = inClimax();
    const preset = edited((p) => {
      p.scene = { sky: { kind: 'aurora' } };
    });
    const r = reduce(s, { type: 'revise', preset, seconds: REVISE_SECONDS });
    expect(getParam(r, 'scene.sky.kind')).toBe(getParam(s, 'scene.sky.kind'));
    expect(getParam(go(r, REVISE_SECONDS * 0.4), 'scene.sky.kind')).toBe(getParam(s, 'scene.sky.kind'));
    expect(getParam(go(r, REVISE_SECONDS * 0.6), 'scene.sky.kind')).toBe('aurora');
  });

  it('replaces the acts and their events in place: passed events stay fired, new ones fire on time', () => {
    const s = inClimax();
    const preset = edited((p) => {
      actsOf(p)[1]!.events = [
        { at: 1, action: { type: 'set', path: 'depth', value: 0.05 } },
        { at: 5, action: { type: 'set', path: 'depth', value: 0.95 } },
      ];
      actsOf(p)[1]!.values = {};
    });
    const r = reduce(s, { type: 'revise', preset, seconds: 0 });
    expect(r.acts[1]!.events).toHaveLength(2);
    expect(r.show.fired).toBe(1);
    // The passed set (depth 0.05 at 1 s) is where the edit morphs to, not undone.
    expect(go(r, 0.5).depth).toBeCloseTo(0.05);
    const later = go(r, 2.5);
    expect(later.depth).toBe(0.95);
  });

  it('does not undo what this act\'s passed events set: an edit of anything else keeps them', () => {
    let s = go(fixtureState(), 1);
    s = reduce(s, { type: 'act', to: 1 });
    const withEvent = edited((p) => {
      actsOf(p)[1]!.events = [{ at: 1, action: { type: 'set', path: 'scene.sky.kind', value: 'aurora' } }, { at: 2, action: { type: 'set', path: 'mood.valence', value: -0.8, seconds: 1 } }];
    });
    s = reduce(s, { type: 'revise', preset: withEvent, seconds: 0 });
    s = go(s, 4);
    expect([s.scene.sky.kind, s.mood.valence]).toEqual(['aurora', -0.8]);
    // Now an edit of the title alone, after both events: the sky and the mood stay as they were set.
    const retitled = edited((p) => {
      actsOf(p)[1]!.events = [{ at: 1, action: { type: 'set', path: 'scene.sky.kind', value: 'aurora' } }, { at: 2, action: { type: 'set', path: 'mood.valence', value: -0.8, seconds: 1 } }];
      p.title = 'Renamed';
    });
    const r = go(reduce(s, { type: 'revise', preset: retitled, seconds: 1.5 }), 2);
    expect(r.title).toBe('Renamed');
    expect([r.scene.sky.kind, r.mood.valence]).toEqual(['aurora', -0.8]);
  });

  it('clamps the act when the edit removed it, and takes added dreamers with their values', () => {
    let s = go(fixtureState(), 1);
    s = reduce(s, { type: 'act', to: 2 });
    s = go(s, 4);
    const preset = edited((p) => {
      p.acts = p.acts!.slice(0, 2);
      p.dreamers = [...p.dreamers!, { name: 'Cy Three', colour: '#0000ff', voice: 'choir', presence: 0.7 }];
    });
    const r = reduce(s, { type: 'revise', preset, seconds: 1 });
    expect(r.acts).toHaveLength(2);
    expect(r.show.index).toBe(1);
    expect(r.show.elapsed).toBe(s.show.elapsed);
    expect(r.dreamers.map((d) => d.id)).toEqual(['ann', 'bo', 'cy']);
    const done = go(r, 1.1);
    expect(done.mood.arousal).toBeCloseTo(0.9, 9);
    expect(done.dreamers[2]!.presence).toBe(0.7);
    expect(done.show.index).toBe(1);
  });

  it('keeps the show\'s tile count when asked, and a held tempo', () => {
    let s = fixtureState();
    s = reduce(s, { type: 'tempo', bpm: 100 });
    s = reduce(s, { type: 'set', path: 'mosaic.tiles', value: 300 });
    const preset = edited((p) => {
      p.tempo = 90;
    });
    const done = go(reduce(s, { type: 'revise', preset, seconds: 1, tiles: 300 }), 1.5);
    expect(done.tempo).toBe(100);
    expect(done.mosaic.tiles).toBe(300);
  });

  it('is not an action from outside', () => {
    expect(() => parseAction({ type: 'revise', preset: FIXTURE, seconds: 1 })).toThrow(/revise: saving the playing preset's file/);
  });

  it('is logged with its source and a log replays it to the same states', () => {
    const start = valid(FIXTURE);
    const runtime = createRuntime(createDreamStore(fixtureState({ seed: 9 })));
    const recorder = createRecorder({ preset: start, seed: 9 });
    runtime.start(recorder);
    const preset = edited((p) => {
      actsOf(p)[0]!.values = { unity: 0.9, mood: { valence: -0.5 } };
      p.acts = p.acts!.slice(0, 2);
    });
    const live: DreamState[] = [];
    for (let f = 1; f <= 20 * 60; f++) {
      if (f === 4 * 60) runtime.act({ type: 'fracture', amount: 0.6 }, 'key');
      if (f === 7 * 60) runtime.act({ type: 'revise', preset, seconds: REVISE_SECONDS }, 'file');
      runtime.clock.step(1 / 60);
      if (f % 60 === 0) live.push(runtime.store.getState().dream);
    }
    const checked = validateShowLogText(JSON.stringify(recorder.log()));
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems.slice(0, 3)));
    const entry = checked.log.entries.find((e) => e.action.type === 'revise');
    expect(entry?.source).toBe('file');
    // Acted between frames: at the step the clock stood on (7 s less one frame).
    expect(entry?.t).toBeCloseTo(7 - 1 / 60, 9);
    live.forEach((state, i) => expectClose(logStateAt(checked.log, i + 1), state, 1e-9, `$[${i + 1} s]`));
    expect(live[9]!.unity).toBeCloseTo(0.9, 9);
    expect(live[15]!.acts).toHaveLength(2);
  });

  it('a log refuses a revise with a bad preset, with its path', () => {
    const log = { format: 'dreamscape-show', version: 1, preset: valid(FIXTURE), seed: 1, entries: [{ t: 1, source: 'file', action: { type: 'revise', preset: { ...valid(FIXTURE), unity: 3 }, seconds: 1.5 } }] };
    const r = validateShowLogText(JSON.stringify(log));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toMatch(/^\$\.entries\[0\]\.action\.preset\.unity/);
  });
});
