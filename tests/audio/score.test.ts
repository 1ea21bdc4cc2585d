import { describe, expect, it } from 'vitest';
import { reduce, resolvePreset, tick, validatePreset } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { chordAt, degreeToSemitones, effectiveMode, glitchStep, resolutionBeat, SCALES, score, scoreParams, tonicMidi } from '../../src/audio/score.ts';
import type { NoteEvent } from '../../src/audio/score.ts';

/** A small dream of our own, so these tests do not move when the bundled presets are retuned. */
const FIXTURE = {
  version: 1,
  id: 'score-fixture',
  seed: 4242,
  tempo: 72,
  key: 'D',
  mode: 'dorian',
  mood: { valence: 0, arousal: 0.4 },
  depth: 0.5,
  unity: 0.3,
  dreamers: [
    { id: 'ana', name: 'Ana', voice: 'pad', motif: [0, 2, 4, 2] },
    { id: 'bo', name: 'Bo', voice: 'bell', motif: [4, null, 7, 6, 4] },
    { id: 'cy', name: 'Cy', voice: 'choir', motif: [2, 1, 0, null] },
    { id: 'di', name: 'Di', voice: 'lead', motif: [0, 4, 3, 2, 1] },
    { id: 'ed', name: 'Ed', voice: 'pluck', motif: [0, 2, 4, 7] },
  ],
  acts: [{ name: 'one', duration: 3600 }],
};

const base = (): DreamState => {
  const r = validatePreset(FIXTURE);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return resolvePreset(r.preset);
};
const set = (s: DreamState, path: string, value: number | string): DreamState => reduce(s, { type: 'set', path, value });
const performer = { audience: false };
const pc = (m: number) => ((m % 12) + 12) % 12;
const melodic = (n: NoteEvent) => n.voice !== 'pad' && n.voice !== 'bass' && n.voice !== 'glitch';

describe('score: determinism', () => {
  it('gives the same events for the same state, window and seed', () => {
    const s = set(base(), 'mosaic.glitch', 0.6);
    const a = score(s, 0, 64, performer);
    const b = score(structuredClone(s), 0, 64, performer);
    expect(b).toEqual(a);
    expect(a.notes.length).toBeGreaterThan(20);
    expect(a.glitches.length).toBeGreaterThan(5);
  });

  it('gives another piece for another seed', () => {
    const s = base();
    const a = score(s, 0, 64, performer).notes.map((n) => [n.beat, n.midi]);
    const b = score(s, 0, 64, { audience: false, seed: 777 }).notes.map((n) => [n.beat, n.midi]);
    expect(b).not.toEqual(a);
  });

  it('hears every onset once when the window is cut into pieces', () => {
    const s = base();
    const whole = score(s, 0, 48, performer).notes.map((n) => `${n.dreamer}:${n.beat.toFixed(4)}:${n.midi}`);
    const parts: string[] = [];
    for (let b = 0; b < 48; b += 0.37) parts.push(...score(s, b, Math.min(48, b + 0.37), performer).notes.map((n) => `${n.dreamer}:${n.beat.toFixed(4)}:${n.midi}`));
    expect(parts.sort()).toEqual(whole.sort());
  });
});

describe('score: mappings', () => {
  it('brightens with valence and darkens without it', () => {
    expect(effectiveMode('dorian', 0.9)).toBe('major');
    expect(effectiveMode('dorian', 0.5)).toBe('mixolydian');
    expect(effectiveMode('dorian', 0)).toBe('dorian');
    expect(effectiveMode('dorian', -0.5)).toBe('minor');
    expect(effectiveMode('dorian', -0.9)).toBe('phrygian');
    const sum = (m: keyof typeof SCALES) => SCALES[m].reduce((a, b) => a + b, 0);
    const bright = score(set(base(), 'mood.valence', 0.9), 0, 64, performer);
    const dark = score(set(base(), 'mood.valence', -0.9), 0, 64, performer);
    expect(sum(bright.mode)).toBeGreaterThan(sum(dark.mode));
    expect(bright.params.cutoff).toBeGreaterThan(dark.params.cutoff * 1.5);
    // The third above the tonic is major when bright and minor when dark.
    const tonic = tonicMidi('D');
    const thirds = (w: typeof bright) => new Set(w.notes.map((n) => pc(n.midi - tonic)).filter((x) => x === 3 || x === 4));
    expect([...thirds(bright)]).toEqual([4]);
    expect([...thirds(dark)]).toEqual([3]);
  });

  it('plays more notes the more aroused the dream', () => {
    const count = (arousal: number) => score(set(base(), 'mood.arousal', arousal), 0, 128, performer).notes.length;
    const calm = count(0.05);
    const mid = count(0.5);
    const wild = count(0.95);
    expect(mid).toBeGreaterThan(calm * 1.2);
    expect(wild).toBeGreaterThan(mid * 1.2);
  });

  it('sinks the register and darkens the filter with depth, and grows the reverb', () => {
    const shallow = score(set(base(), 'depth', 0.1), 0, 64, performer);
    const deep = score(set(base(), 'depth', 0.95), 0, 64, performer);
    const mean = (w: typeof deep) => w.notes.filter(melodic).reduce((a, n) => a + n.midi, 0) / w.notes.filter(melodic).length;
    expect(mean(deep)).toBeLessThan(mean(shallow) - 3);
    expect(deep.params.cutoff).toBeLessThan(shallow.params.cutoff);
    expect(deep.params.reverbSize).toBeGreaterThan(shallow.params.reverbSize);
  });

  it('lets the voices drift apart at low unity and sing one chant at high unity', () => {
    const agreement = (unity: number) => {
      const notes = score(set(base(), 'unity', unity), 0, 128, performer).notes.filter(melodic);
      const byBeat = new Map<string, NoteEvent[]>();
      for (const n of notes) {
        const k = n.beat.toFixed(3);
        byBeat.set(k, [...(byBeat.get(k) ?? []), n]);
      }
      const together = notes.filter((n) => (byBeat.get(n.beat.toFixed(3)) ?? []).some((o) => o.dreamer !== n.dreamer)).length / notes.length;
      const samePitch = [...byBeat.values()].filter((g) => g.length > 1).filter((g) => new Set(g.map((n) => pc(n.midi))).size === 1).length;
      const groups = [...byBeat.values()].filter((g) => g.length > 1).length;
      return { together, unison: groups ? samePitch / groups : 0 };
    };
    const apart = agreement(0);
    const chant = agreement(1);
    expect(apart.together).toBeLessThan(0.35);
    expect(chant.together).toBeGreaterThan(0.95);
    expect(chant.unison).toBeGreaterThan(0.95);
    // In between, the chant is harmonized: shared onsets, different pitches.
    const harmonized = agreement(0.8);
    expect(harmonized.together).toBeGreaterThan(apart.together);
  });

  it('keeps a private dreamer out of the audience mix, and lets the performer hear it', () => {
    const s = set(base(), 'dreamers.bo.consent', 'private');
    const audience = score(s, 0, 96, { audience: true });
    const perf = score(s, 0, 96, performer);
    expect(audience.notes.some((n) => n.id === 'bo')).toBe(false);
    expect(audience.params.dreamers[1]!.gain).toBe(0);
    expect(perf.notes.some((n) => n.id === 'bo')).toBe(true);
    expect(perf.params.dreamers[1]!.gain).toBeGreaterThan(0);
    // Even in the chant, the private dreamer's motif is never the one everybody sings.
    const chanting = set(set(s, 'unity', 1), 'dreamers.cy.consent', 'private');
    const heard = score(chanting, 0, 64, { audience: true }).notes.filter((n) => n.part === 'chant');
    expect(heard.length).toBeGreaterThan(0);
    const dMotif = [0, 4, 3, 2, 1].map((d) => pc(tonicMidi('D') + degreeToSemitones(SCALES.dorian, d)));
    expect(heard.every((n) => dMotif.includes(pc(n.midi)))).toBe(true);
  });

  it('silences the music on panic and follows the fade back', () => {
    let s = reduce(base(), { type: 'panic' });
    expect(scoreParams(s, performer).master).toBe(0);
    s = tick(s, 1);
    s = reduce(s, { type: 'recover' });
    s = tick(s, 1);
    const m = scoreParams(s, performer).master;
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThan(s.symphony.level);
  });
});

describe('score: the climax', () => {
  it('glitches on the visuals grid of sixteenths, seeded by the glitch seed', () => {
    const calm = score(base(), 0, 64, performer);
    expect(calm.glitches).toEqual([]);
    const s = reduce(base(), { type: 'glitch', amount: 0.8 });
    const w = score(s, 0, 64, performer);
    expect(w.glitches.length).toBeGreaterThan(32);
    for (const g of w.glitches) {
      expect(g.beat * 4).toBe(g.step);
      expect(glitchStep(s.mosaic.glitchSeed, g.step, s.mosaic.glitch).active).toBe(true);
    }
    expect(w.notes.some((n) => n.part === 'retrigger')).toBe(true);
    expect(w.params.crush).toBeGreaterThan(0.7);
    const again = reduce(s, { type: 'glitch', amount: 0.8 });
    expect(score(again, 0, 64, performer).glitches.map((g) => g.step)).not.toEqual(w.glitches.map((g) => g.step));
  });

  it('fractures the harmony into clusters, flings the voices apart and out of step', () => {
    const whole = score(base(), 0, 64, performer);
    const s = reduce(base(), { type: 'fracture', amount: 0.95 });
    const broken = score(s, 0, 64, performer);
    const spread = (w: typeof whole) => Math.max(...w.params.dreamers.map((d) => Math.abs(d.pan)));
    expect(spread(broken)).toBeGreaterThan(0.7);
    expect(spread(whole)).toBeLessThan(0.6);
    const semitones = (w: typeof whole) => {
      const chords = w.notes.filter((n) => n.part === 'chord');
      return chords.filter((n) => chords.some((o) => o !== n && Math.abs(o.beat - n.beat) < 0.01 && Math.abs(o.midi - n.midi) === 1)).length;
    };
    expect(semitones(whole)).toBe(0);
    expect(semitones(broken)).toBeGreaterThan(0);
    // How far the onsets fall behind the half-beat grid, on average.
    const lag = (w: typeof whole) => w.notes.reduce((a, n) => a + Math.abs(n.beat - Math.round(n.beat * 2) / 2), 0) / w.notes.length;
    expect(lag(whole)).toBeLessThan(0.05);
    expect(lag(broken)).toBeGreaterThan(0.12);
    expect(broken.params.dreamers.some((d) => Math.abs(d.detune) > 5)).toBe(true);
  });

  it('restabilizes onto the tonic chord: the score ends on it', () => {
    let s = reduce(reduce(base(), { type: 'fracture', amount: 0.9 }), { type: 'glitch', amount: 0.8 });
    s = tick(s, 3);
    s = reduce(s, { type: 'restabilize', seconds: 8 });
    const res = resolutionBeat(s)!;
    expect(res).not.toBeNull();
    // Run the score as the engine does: the dream ticks on, each window is scored once.
    const heard: NoteEvent[] = [];
    let cursor = s.beat;
    for (;;) {
      s = tick(s, 0.05);
      if (!s.mosaic.restabilize) break;
      heard.push(...score(s, cursor, s.beat, performer).notes);
      cursor = s.beat;
    }
    const tonic = tonicMidi('D');
    const tonicTriad = [0, 2, 4].map((d) => pc(tonic + degreeToSemitones(SCALES.dorian, d)));
    const resolved = heard.filter((n) => n.part === 'resolve');
    expect(resolved.length).toBeGreaterThanOrEqual(5);
    expect(new Set(resolved.map((n) => pc(n.midi)))).toEqual(new Set(tonicTriad));
    // After the resolution lands, nothing but the tonic chord sounds until the restabilize ends.
    const after = heard.filter((n) => n.beat >= resolved[0]!.beat);
    expect(after.every((n) => tonicTriad.includes(pc(n.midi)))).toBe(true);
    // The notes leading into the resolution are already drawn onto the tonic chord.
    const span = res.end - (s.beat - 8 * (s.tempo / 60));
    const last = heard.filter((n) => n.beat >= res.beat - 0.1 * span);
    expect(last.length).toBeGreaterThan(resolved.length);
    expect(last.every((n) => tonicTriad.includes(pc(n.midi)))).toBe(true);
    expect(chordAt(tick(reduce(base(), { type: 'restabilize', seconds: 1 }), 0.5), 3 * 8).tonic).toBe(true);
    expect(s.mosaic.fracture).toBe(0);
    expect(s.mosaic.glitch).toBe(0);
  });
});
