/**
 * The neuro-symphony's score: pure functions from a dream-state and a window of beats to the
 * notes each dreamer sings and the targets of every sound parameter. No Tone, no clock, no
 * Math.random: the same state, window and seed always give the same music, so the live engine,
 * the offline renderer and the Node tests all hear one piece.
 *
 * Musical idea, in short: every dreamer is a tape loop of its motif, each loop a different length
 * (Eno's "Music for Airports" phasing), over a slow diatonic progression. Unity pulls the loops
 * onto one shared chant grid, first harmonized, then in unison. Fracture smears the harmony into
 * clusters and lets the voices fall behind the beat; glitch chops the beat grid the visuals use
 * (steps of a sixteenth, floor(beat * 4)); restabilize draws everyone back onto a tonic chord.
 */
import type { DreamState, Dreamer, Mode, Voice } from '../model/index.ts';
import { KEYS, clamp, lerp } from '../model/index.ts';
import { hashInts, stepValue, unit } from '../model/hash.ts';

export type Beats = number;
export type Hz = number;
export type Cents = number;
export type Midi = number;

export interface ScoreOptions {
  /** The audience's mix: private dreamers are not heard. */
  audience: boolean;
  /** Defaults to the dream's seed. */
  seed?: number;
}

export interface NoteEvent {
  /** Index of the dreamer in state.dreamers (-1 for the glitch voice). */
  dreamer: number;
  id: string;
  /** The instrument that plays it; 'glitch' is the stutter voice of the glitch section. */
  voice: Voice | 'glitch';
  /** Onset on the dream's beat grid. */
  beat: Beats;
  /** Onset in dream seconds, at the tempo of the moment. */
  time: number;
  duration: Beats;
  seconds: number;
  midi: Midi;
  /** Microtuning of this note (fracture pulls voices out of tune). */
  cents: Cents;
  velocity: number;
  pan: number;
  /** What made the note: the dreamer's own loop, the shared chant, the pad's chord, a glitch retrigger, the resolution. */
  part: 'own' | 'chant' | 'chord' | 'bass' | 'ornament' | 'retrigger' | 'resolve';
}

export interface GlitchEvent {
  /** floor(beat * 4): the step index shared with the visual glitch. */
  step: number;
  beat: Beats;
  time: number;
  duration: Beats;
  seconds: number;
  /** Repeats of a slice of the step (0: no stutter). */
  stutter: number;
  /** 0..1 extra bit-crush for this step. */
  crush: number;
  /** Signed pitch bend of the whole band for this step. */
  wobble: Cents;
}

export interface DreamerMix {
  /** Linear gain 0..1 (presence × level; 0 when not heard). */
  gain: number;
  pan: number;
  /** Detune of the dreamer's voice (fracture). */
  detune: Cents;
  heard: boolean;
}

export interface SymphonyParams {
  /** Linear master gain: output fade × symphony level (0 on panic). */
  master: number;
  /** 0 dark .. 1 bright: valence, depth, arousal and glitch together. */
  brightness: number;
  /** Cutoff of the band's low-pass filter. */
  cutoff: Hz;
  /** Reverb send 0..1. */
  reverbWet: number;
  /** 0 = the small room, 1 = the hall (depth). */
  reverbSize: number;
  /** Tempo-synced echo: time in beats, feedback and send. */
  echoBeats: Beats;
  echoFeedback: number;
  echoWet: number;
  /** Bit-crush mix 0..1 (glitch). */
  crush: number;
  /** Largest pitch wobble of a glitch step. */
  wobble: Cents;
  /** Probability that a glitch step stutters. */
  stutter: number;
  /** Choir vowel: 0 'oo' (deep) .. 1 'ah' (bright). */
  vowel: number;
  /** The disturbance as heard: 0 calm .. 1 fully fractured/glitched. */
  disturbance: number;
  /** Restabilize progress 0..1 (0 when none). */
  resolve: number;
  dreamers: DreamerMix[];
}

export interface Chord {
  /** Scale degree of the root (0 = tonic). */
  degree: number;
  /** Scale degrees of the chord tones, root first. */
  tones: number[];
  tonic: boolean;
}

export interface ScoreWindow {
  from: Beats;
  to: Beats;
  notes: NoteEvent[];
  glitches: GlitchEvent[];
  params: SymphonyParams;
  chord: Chord;
  /** The scale in use (semitones from the tonic), after valence. */
  scale: readonly number[];
  mode: Mode;
}

// ---- randomness: stateless hashing of (seed, ...ints) --------------------------------------------

/** A deterministic number in [0, 1) for a seed and any integers. */
export const hash01 = (seed: number, ...parts: number[]): number => unit(hashInts(seed, parts));
const signed = (seed: number, ...parts: number[]): number => hash01(seed, ...parts) * 2 - 1;

// ---- harmony -------------------------------------------------------------------------------------

export const SCALES: Readonly<Record<Mode, readonly number[]>> = {
  lydian: [0, 2, 4, 6, 7, 9, 11],
  major: [0, 2, 4, 5, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  minor: [0, 2, 3, 5, 7, 8, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
};
/** From the brightest mode to the darkest. */
export const MODE_LADDER: readonly Mode[] = ['lydian', 'major', 'mixolydian', 'dorian', 'minor', 'phrygian'];

/** Valence brightens or darkens the preset's mode by up to two rungs of the ladder. */
export const effectiveMode = (mode: Mode, valence: number): Mode => {
  const v = clamp(valence, -1, 1);
  const steps = Math.abs(v) >= 0.85 ? 2 : Math.abs(v) >= 0.4 ? 1 : 0;
  const i = MODE_LADDER.indexOf(mode) - Math.sign(v) * steps;
  return MODE_LADDER[clamp(i, 0, MODE_LADDER.length - 1)]!;
};

export const degreeToSemitones = (scale: readonly number[], degree: number): number => {
  const n = scale.length;
  const octave = Math.floor(degree / n);
  return scale[degree - octave * n]! + 12 * octave;
};

/** The tonic near the C below middle C (MIDI 42..53). */
export const tonicMidi = (key: DreamState['key']): Midi => {
  const pc = KEYS.indexOf(key);
  return 48 + ((pc + 6) % 12) - 6;
};

export const midiToHz = (m: number): Hz => 440 * 2 ** ((m - 69) / 12);

/** Slow, dreamy progressions in scale degrees; one is chosen per phrase of four chords. */
const PROGRESSIONS: readonly (readonly number[])[] = [
  [0, 5, 3, 4],
  [0, 3, 5, 4],
  [0, 2, 3, 0],
  [0, 5, 1, 4],
  [0, 3, 0, 4],
  [0, 4, 5, 3],
  [0, 6, 5, 3],
  [0, 3, 1, 4],
];
export const CHORD_BEATS = 8;
const PHRASE_CHORDS = 4;

const restabilizeProgress = (s: DreamState): number => {
  const r = s.mosaic.restabilize;
  return r ? clamp(r.elapsed / r.seconds, 0, 1) : 0;
};

/** The chord sounding at a beat; restabilizing pulls it home to the tonic. */
export const chordAt = (s: DreamState, beat: Beats, seed = s.seed): Chord => {
  const index = Math.floor(beat / CHORD_BEATS);
  const phrase = Math.floor(index / PHRASE_CHORDS);
  const prog = PROGRESSIONS[Math.floor(hash01(seed, 11, phrase) * PROGRESSIONS.length)]!;
  let degree = prog[((index % PHRASE_CHORDS) + PHRASE_CHORDS) % PHRASE_CHORDS]!;
  if (restabilizeProgress(s) >= 0.3) degree = 0;
  return { degree, tones: [degree, degree + 2, degree + 4], tonic: degree === 0 };
};

/** Nearest degree (same octave region) that is a tone of the chord. */
const snapToChord = (degree: number, chord: Chord, n = 7): number => {
  let best = degree;
  let bestDist = Infinity;
  for (const t of chord.tones) {
    const pc = ((t % n) + n) % n;
    for (let o = -2; o <= 2; o++) {
      const cand = pc + n * (Math.floor(degree / n) + o);
      const d = Math.abs(cand - degree);
      if (d < bestDist || (d === bestDist && cand < best)) {
        best = cand;
        bestDist = d;
      }
    }
  }
  return best;
};

/** A semitone or minor ninth against a chord tone grates on a held note: move it to the chord. */
const clashes = (degree: number, chord: Chord, scale: readonly number[]): boolean => {
  const pc = ((degreeToSemitones(scale, degree) % 12) + 12) % 12;
  return chord.tones.some((t) => {
    const cp = ((degreeToSemitones(scale, t) % 12) + 12) % 12;
    const d = (pc - cp + 12) % 12;
    return d === 1 || d === 11;
  });
};

// ---- voices ---------------------------------------------------------------------------------------

interface Profile {
  /** Beats per motif note in the dreamer's own loop. */
  step: Beats;
  /** Rest at the end of the loop. */
  gap: Beats;
  /** Note length as a multiple of the step. */
  legato: number;
  /** Octaves above the tonic near MIDI 48. */
  octave: number;
  /** Ornament grid and the most ornaments it takes at full arousal. */
  sub: Beats;
  ornament: number;
  velocity: number;
  /** Lower by an octave in deep sleep. */
  sinks: boolean;
  /** Chant harmony voice (scale degrees below/above the melody). */
  harmony: number;
}

export const PROFILES: Readonly<Record<Voice, Profile>> = {
  pad: { step: 4, gap: 2, legato: 1.5, octave: 1, sub: 2, ornament: 0, velocity: 0.5, sinks: false, harmony: -2 },
  strings: { step: 2, gap: 3, legato: 1.15, octave: 1, sub: 1, ornament: 0.3, velocity: 0.55, sinks: true, harmony: -4 },
  choir: { step: 3, gap: 1, legato: 1.05, octave: 1, sub: 1.5, ornament: 0.2, velocity: 0.6, sinks: true, harmony: 0 },
  bell: { step: 1.5, gap: 2.5, legato: 2, octave: 3, sub: 0.75, ornament: 0.45, velocity: 0.45, sinks: true, harmony: 2 },
  pluck: { step: 1, gap: 1.5, legato: 0.9, octave: 2, sub: 0.5, ornament: 0.9, velocity: 0.5, sinks: true, harmony: 4 },
  bass: { step: 4, gap: 0, legato: 0.95, octave: -1, sub: 2, ornament: 0.5, velocity: 0.6, sinks: false, harmony: -7 },
  lead: { step: 1, gap: 3, legato: 0.92, octave: 2, sub: 0.5, ornament: 0.35, velocity: 0.55, sinks: true, harmony: 0 },
};

/** Is this dreamer heard in this mix? */
export const isHeard = (d: Dreamer, options: ScoreOptions): boolean => !(options.audience && d.consent === 'private') && d.presence * d.level > 0.001;

/** Voices that sing the chant; the pad and the bass hold the harmony under it. */
const CHANT_ORDER: readonly Voice[] = ['choir', 'lead', 'strings', 'bell', 'pluck'];

/**
 * The chant follows a shared singer's motif (a choir first): a private dream never leaks into
 * it, so the chant is the same in the performer's and the audience's mix.
 */
export const chantLeader = (s: DreamState): Dreamer | undefined => {
  for (const v of CHANT_ORDER) {
    const d = s.dreamers.find((x) => x.consent === 'shared' && x.voice === v);
    if (d) return d;
  }
  return undefined;
};

interface Context {
  s: DreamState;
  seed: number;
  scale: readonly number[];
  root: Midi;
  fracture: number;
  glitch: number;
  resolve: number;
  /** Unity as heard: fracture breaks it, restabilize restores it. */
  unity: number;
  arousal: number;
  options: ScoreOptions;
  secondsPerBeat: number;
}

const beatToTime = (c: Context, beat: Beats): number => c.s.clock + (beat - c.s.beat) * c.secondsPerBeat;

/** The unity at which a dreamer leaves its own loop and joins the chant (the leader goes first). */
const joinThreshold = (c: Context, i: number, leader: boolean): number => (leader ? 0.4 : 0.48 + 0.34 * hash01(c.seed, 31, i));

const basePan = (i: number, n: number, seed: number): number => {
  if (n <= 1) return 0;
  const spread = lerp(-0.55, 0.55, i / (n - 1));
  return clamp(spread + 0.1 * signed(seed, 41, i), -0.7, 0.7);
};

export const dreamerPan = (s: DreamState, i: number, seed = s.seed): number => {
  const n = s.dreamers.length;
  const f = effectiveFracture(s);
  const u = clamp(s.unity, 0, 1);
  // Unity gathers the voices toward the centre; fracture flings them to the edges.
  const home = basePan(i, n, seed) * (1 - 0.6 * u);
  const flung = (i % 2 === 0 ? -1 : 1) * (0.75 + 0.25 * hash01(seed, 43, i));
  return clamp(lerp(home, flung, f), -1, 1);
};

const effectiveFracture = (s: DreamState): number => clamp(s.mosaic.fracture + s.mosaic.recoil, 0, 1);

const midiFor = (c: Context, degree: number, octave: number): Midi => {
  let m = c.root + 12 * octave + degreeToSemitones(c.scale, degree);
  while (m > 96) m -= 12;
  while (m < 28) m += 12;
  return m;
};

const octaveOf = (c: Context, d: Dreamer): number => {
  const p = PROFILES[d.voice];
  return p.octave - (p.sinks && c.s.depth > 0.65 ? 1 : 0);
};

interface Emit {
  (e: Omit<NoteEvent, 'time' | 'seconds' | 'id' | 'pan' | 'cents'> & { cents?: Cents }): void;
}

/** A dreamer's own loop: its motif, at its own step, with its own rest; the loops drift apart. */
const ownLoop = (c: Context, i: number, d: Dreamer, from: Beats, to: Beats, emit: Emit): void => {
  const p = PROFILES[d.voice];
  const motif = d.motif.length ? d.motif : [0];
  const L = motif.length;
  const gap = p.gap + 0.5 * Math.floor(hash01(c.seed, 21, i) * 4);
  const period = L * p.step + gap;
  const phase = 0.5 * Math.floor(hash01(c.seed, 22, i) * (period * 2));
  const octave = octaveOf(c, d);
  // Arousal thins or fills the loop: a nested set of notes, so more arousal only adds.
  const keep = 0.35 + 0.65 * Math.sqrt(c.arousal);
  const ornament = p.ornament * c.arousal ** 1.3;
  const firstCycle = Math.floor((from - phase) / period) - 1;
  const lastCycle = Math.floor((to - phase) / period);
  for (let cyc = firstCycle; cyc <= lastCycle; cyc++) {
    for (let j = 0; j < L; j++) {
      const onset = phase + cyc * period + j * p.step;
      const deg = motif[j];
      const chord = chordAt(c.s, onset, c.seed);
      if (onset >= from && onset < to && deg !== null && deg !== undefined && (j === 0 || hash01(c.seed, 23, i, cyc, j) < keep)) {
        let degree = deg;
        if (c.resolve >= 0.6) degree = snapToChord(degree, chord);
        else if (c.fracture < 0.3 && p.legato * p.step >= 2 && clashes(degree, chord, c.scale)) degree = snapToChord(degree, chord);
        emit({
          dreamer: i,
          voice: d.voice,
          beat: onset,
          duration: p.step * p.legato,
          midi: midiFor(c, degree, octave),
          velocity: p.velocity * (j === 0 ? 1.1 : 0.92 + 0.16 * hash01(c.seed, 24, i, cyc, j)),
          part: 'own',
        });
      }
      // Ornaments between the motif's notes: chord tones next to it, more of them when aroused.
      const subs = Math.round(p.step / p.sub);
      for (let m = 1; m < subs; m++) {
        const at = onset + m * p.sub;
        if (at < from || at >= to || hash01(c.seed, 25, i, cyc * 64 + j, m) >= ornament) continue;
        const tone = chord.tones[Math.floor(hash01(c.seed, 26, i, cyc * 64 + j, m) * chord.tones.length)]!;
        const near = deg ?? tone;
        const degree = c.resolve >= 0.6 ? snapToChord(near, chord) : snapToChord(near + (hash01(c.seed, 27, i, cyc, j * 8 + m) < 0.5 ? 1 : -1), { ...chord, tones: [tone, ...chord.tones] });
        emit({ dreamer: i, voice: d.voice, beat: at, duration: p.sub * 0.9, midi: midiFor(c, degree, octave), velocity: p.velocity * 0.7, part: 'ornament' });
      }
    }
  }
};

/** The chant: one shared grid and the leader's motif, harmonized, then in unison as unity grows. */
const chant = (c: Context, i: number, d: Dreamer, leader: Dreamer, from: Beats, to: Beats, emit: Emit): void => {
  const p = PROFILES[d.voice];
  const motif = leader.motif.length ? leader.motif : [0];
  const L = motif.length;
  const step = c.arousal >= 0.55 ? 1 : 2;
  const period = Math.ceil((L * step) / 4) * 4;
  const unison = c.unity >= 0.85;
  const octave = octaveOf(c, d);
  const first = Math.floor(from / period) - 1;
  const last = Math.floor(to / period);
  for (let cyc = first; cyc <= last; cyc++) {
    for (let j = 0; j < L; j++) {
      const onset = cyc * period + j * step;
      if (onset < from || onset >= to) continue;
      const deg = motif[j];
      if (deg === null || deg === undefined) continue;
      const chord = chordAt(c.s, onset, c.seed);
      let melody = c.resolve >= 0.6 ? snapToChord(deg, chord) : deg;
      if (clashes(melody, chord, c.scale)) melody = snapToChord(melody, chord);
      const h = unison || d === leader ? 0 : p.harmony;
      const degree = h === 0 ? melody : snapToChord(melody + h, chord);
      const duration = (j === L - 1 ? period - j * step : step) * 1.02;
      emit({ dreamer: i, voice: d.voice, beat: onset, duration, midi: midiFor(c, degree, octave), velocity: p.velocity * (j === 0 ? 1.05 : 0.9), part: 'chant' });
    }
  }
};

/** The pad's chord: re-voiced at every chord change, its top note led by the dreamer's motif. */
const padChords = (c: Context, i: number, d: Dreamer, from: Beats, to: Beats, emit: Emit): void => {
  const p = PROFILES[d.voice];
  const motif = d.motif.filter((x): x is number => x !== null);
  const octave = octaveOf(c, d);
  const first = Math.floor(from / CHORD_BEATS);
  const last = Math.floor(to / CHORD_BEATS);
  for (let k = first; k <= last; k++) {
    // At high arousal the chord is struck again halfway through.
    const onsets = [0, ...(hash01(c.seed, 51, i, k) < c.arousal - 0.35 ? [CHORD_BEATS / 2] : [])];
    for (const off of onsets) {
      const onset = k * CHORD_BEATS + off;
      if (onset < from || onset >= to) continue;
      const chord = chordAt(c.s, onset, c.seed);
      const top = snapToChord((motif.length ? motif[k % motif.length]! : chord.degree + 4) % 7 + 7, chord);
      const tones = new Set<number>([chord.degree, chord.degree + 2, chord.degree + 4, top]);
      const voicing = [...new Set([...tones].map((t) => midiFor(c, t, octave)))];
      // A dreamier chord in deep sleep or good spirits: the ninth, where it does not rub.
      if (c.s.depth > 0.55 || c.s.mood.valence > 0.25) {
        const ninth = midiFor(c, chord.degree + 8, octave);
        if (voicing.every((m) => Math.abs(m - ninth) > 2)) voicing.push(ninth);
      }
      // Fracture smears the chord into clusters: seconds beside its tones, then semitones.
      const cluster: number[] = [];
      if (c.fracture > 0.05 && c.resolve < 0.3) {
        [...tones].forEach((t, n) => {
          if (hash01(c.seed, 52, i, k * 8 + n) < c.fracture) cluster.push(midiFor(c, t + 1, octave));
          if (hash01(c.seed, 53, i, k * 8 + n) < (c.fracture - 0.45) * 2) cluster.push(midiFor(c, t, octave) + 1);
        });
      }
      const duration = (CHORD_BEATS - off) * p.legato * 0.75;
      for (const midi of [...voicing, ...cluster]) {
        emit({ dreamer: i, voice: d.voice, beat: onset, duration, midi, velocity: p.velocity * (off ? 0.75 : 1) / Math.sqrt(voicing.length / 3), part: 'chord' });
      }
    }
  }
};

/** The bass: the chord's root, a fifth or octave between when the dream is restless. */
const bassLine = (c: Context, i: number, d: Dreamer, from: Beats, to: Beats, emit: Emit): void => {
  const p = PROFILES[d.voice];
  const octave = octaveOf(c, d);
  const first = Math.floor(from / 2);
  const last = Math.floor(to / 2);
  for (let k = first; k <= last; k++) {
    const onset = k * 2;
    if (onset < from || onset >= to) continue;
    const chord = chordAt(c.s, onset, c.seed);
    const pos = ((onset % CHORD_BEATS) + CHORD_BEATS) % CHORD_BEATS;
    if (pos === 0) {
      emit({ dreamer: i, voice: 'bass', beat: onset, duration: CHORD_BEATS * 0.9, midi: midiFor(c, chord.degree, octave), velocity: p.velocity, part: 'bass' });
    } else if (hash01(c.seed, 61, i, k) < (c.arousal - 0.25) * p.ornament * 2 && c.resolve < 0.6) {
      const move = [4, 7, 2][Math.floor(hash01(c.seed, 62, i, k) * 3)]!;
      emit({ dreamer: i, voice: 'bass', beat: onset, duration: 1.8, midi: midiFor(c, chord.degree + move, octave), velocity: p.velocity * 0.8, part: 'bass' });
    }
  }
};

/** Is the glitch step active, and how hard? Shared with the visuals: same seed, same grid. */
export const glitchStep = (glitchSeed: number, step: number, glitch: number): { active: boolean; strength: number; roll: number } => {
  const roll = stepValue(glitchSeed, step);
  const p = clamp(glitch, 0, 1) ** 0.8 * 0.8;
  return { active: glitch > 0.02 && roll < p, strength: p > 0 ? 1 - roll / p : 0, roll };
};

/** The resolution chord of a restabilize: where it lands and how long it rings. */
export const resolutionBeat = (s: DreamState): { beat: Beats; end: Beats } | null => {
  const r = s.mosaic.restabilize;
  if (!r) return null;
  const bps = s.tempo / 60;
  const start = s.beat - r.elapsed * bps;
  const end = start + r.seconds * bps;
  return { beat: Math.ceil(start + 0.7 * (end - start)), end };
};

// ---- the score -----------------------------------------------------------------------------------

/** The targets of every sound parameter for a state. */
export const scoreParams = (s: DreamState, options: ScoreOptions): SymphonyParams => {
  const seed = options.seed ?? s.seed;
  const f = effectiveFracture(s);
  const g = clamp(s.mosaic.glitch, 0, 1);
  const v = clamp(s.mood.valence, -1, 1);
  const a = clamp(s.mood.arousal, 0, 1);
  const depth = clamp(s.depth, 0, 1);
  const brightness = clamp(0.55 - 0.4 * depth + 0.2 * v + 0.15 * a + 0.25 * g, 0.03, 1);
  const cutoff = 2 ** lerp(Math.log2(900), Math.log2(14000), brightness);
  const resolve = restabilizeProgress(s);
  return {
    master: s.output.panic ? 0 : clamp(s.output.fade, 0, 1) * clamp(s.symphony.level, 0, 1),
    brightness,
    cutoff,
    reverbWet: clamp(s.symphony.reverb * (0.55 + 0.45 * depth) + 0.15 * f, 0, 1),
    reverbSize: clamp(0.15 + 0.85 * depth, 0, 1),
    echoBeats: 0.75,
    echoFeedback: clamp(0.25 + 0.3 * depth + 0.15 * f, 0, 0.7),
    echoWet: clamp(0.18 + 0.2 * (1 - s.unity) + 0.2 * f, 0, 0.6),
    crush: clamp(g ** 0.7, 0, 1),
    wobble: 15 + 70 * g,
    stutter: g,
    vowel: clamp(0.7 - 0.5 * depth + 0.2 * v, 0, 1),
    disturbance: Math.max(f, g),
    resolve,
    dreamers: s.dreamers.map((d, i) => {
      const heard = isHeard(d, options);
      return {
        heard,
        gain: heard ? clamp(d.presence * d.level, 0, 1) : 0,
        pan: dreamerPan(s, i, seed),
        detune: f * 28 * signed(seed, 45, i),
      };
    }),
  };
};

const scoreContext = (s: DreamState, options: ScoreOptions): Context => {
  const resolve = restabilizeProgress(s);
  const fracture = effectiveFracture(s);
  return {
    s,
    seed: options.seed ?? s.seed,
    scale: SCALES[effectiveMode(s.mode, s.mood.valence)],
    root: tonicMidi(s.key),
    fracture,
    glitch: clamp(s.mosaic.glitch, 0, 1),
    resolve,
    unity: Math.max(clamp(s.unity, 0, 1) * (1 - fracture) ** 1.5, resolve * 0.95),
    arousal: clamp(s.mood.arousal, 0, 1),
    options,
    secondsPerBeat: 60 / Math.max(1, s.tempo),
  };
};

type Resolution = ReturnType<typeof resolutionBeat>;

/** One dreamer's notes in [from, to): their part (pad, chant, bass or own loop), then the resolution chord. */
const dreamerNotes = (c: Context, i: number, mix: SymphonyParams['dreamers'][number], from: Beats, to: Beats, res: Resolution, notes: NoteEvent[]): void => {
  const d = c.s.dreamers[i]!;
  const { seed, fracture, resolve } = c;
  const leader = chantLeader(c.s);
  const emit: Emit = (e) => {
    // Out of step: fracture drags each voice behind the beat by its own amount; at low unity
    // the loops breathe a little on their own.
    const drag = fracture * (0.12 * (i % 4) + 0.45 * hash01(seed, 81, i, Math.round(e.beat * 8), e.midi));
    const drift = (1 - c.unity) * 0.06 * hash01(seed, 82, i, Math.round(e.beat * 8));
    const beat = e.beat + (e.part === 'chant' || e.part === 'resolve' ? 0 : (drag + drift) * (1 - resolve));
    // After the resolution chord the voices hold their breath until the restabilize ends.
    if (res && beat >= res.beat && beat < res.end) return;
    const duration = Math.max(0.05, e.duration);
    notes.push({
      ...e,
      id: d.id,
      beat,
      time: beatToTime(c, beat),
      duration,
      seconds: duration * c.secondsPerBeat,
      cents: e.cents ?? mix.detune,
      pan: mix.pan,
      velocity: clamp(e.velocity * (0.8 + 0.3 * c.arousal), 0.05, 1),
    });
  };
  const inChant = leader !== undefined && CHANT_ORDER.includes(d.voice) && c.unity >= joinThreshold(c, i, d === leader);
  if (d.voice === 'pad') padChords(c, i, d, from, to, emit);
  else if (inChant) chant(c, i, d, leader, from, to, emit);
  else if (d.voice === 'bass') bassLine(c, i, d, from, to, emit);
  else ownLoop(c, i, d, from, to, emit);
  if (res && res.beat >= from && res.beat < to) resolutionChord(c, i, mix, res, notes);
};

/** The resolution: everyone lands on the tonic chord together and lets it ring. */
const resolutionChord = (c: Context, i: number, mix: SymphonyParams['dreamers'][number], res: NonNullable<Resolution>, notes: NoteEvent[]): void => {
  const d = c.s.dreamers[i]!;
  const tones = d.voice === 'pad' ? [0, 2, 4, 7] : d.voice === 'bass' ? [0] : [[0, 4, 2, 7][i % 4]!];
  const length = Math.max(4, res.end - res.beat + 4);
  for (const t of tones) {
    notes.push({
      dreamer: i,
      id: d.id,
      voice: d.voice,
      beat: res.beat,
      time: beatToTime(c, res.beat),
      duration: length,
      seconds: length * c.secondsPerBeat,
      midi: midiFor(c, t, octaveOf(c, d)),
      cents: 0,
      velocity: PROFILES[d.voice].velocity * 0.9,
      pan: mix.pan,
      part: 'resolve',
    });
  }
};

/** Retrigger: a heard voice's chord tone stammered in thirty-seconds on a glitch step. */
const retrigger = (c: Context, step: number, heard: (readonly [Dreamer, number])[], params: SymphonyParams, notes: NoteEvent[]): void => {
  const { s, glitch } = c;
  const beat = step / 4;
  const pick = heard[Math.floor(hash01(s.mosaic.glitchSeed, 75, step) * heard.length)];
  if (!pick || hash01(s.mosaic.glitchSeed, 76, step) >= 0.3 + 0.5 * glitch) return;
  const [d, i] = pick;
  const chord = chordAt(s, beat, c.seed);
  const tone = chord.tones[Math.floor(hash01(s.mosaic.glitchSeed, 77, step) * 3)]!;
  const midi = midiFor(c, tone, Math.max(1, octaveOf(c, d)));
  const reps = 2 + Math.floor(hash01(s.mosaic.glitchSeed, 78, step) * 3);
  for (let r = 0; r < reps; r++) {
    const b = beat + (r * 0.25) / reps;
    notes.push({
      dreamer: i,
      id: d.id,
      voice: 'glitch',
      beat: b,
      time: beatToTime(c, b),
      duration: 0.18 / reps,
      seconds: (0.18 / reps) * c.secondsPerBeat,
      midi,
      cents: 0,
      velocity: clamp(0.55 * glitch * (1 - r * 0.18), 0.05, 1),
      pan: params.dreamers[i]!.pan,
      part: 'retrigger',
    });
  }
};

/** Glitch: on the visuals' grid of sixteenths, seeded by the glitch seed. */
const glitchSteps = (c: Context, from: Beats, to: Beats, params: SymphonyParams, notes: NoteEvent[]): GlitchEvent[] => {
  const { s, glitch } = c;
  const glitches: GlitchEvent[] = [];
  if (glitch <= 0.02) return glitches;
  const heard = s.dreamers.map((d, i) => [d, i] as const).filter(([d]) => isHeard(d, c.options));
  for (let step = Math.ceil(from * 4); step < to * 4; step++) {
    const gs = glitchStep(s.mosaic.glitchSeed, step, glitch);
    if (!gs.active) continue;
    const beat = step / 4;
    const h = hash01(s.mosaic.glitchSeed, 72, step);
    const stutter = h < 0.35 * glitch + 0.15 ? [2, 3, 4][Math.floor(hash01(s.mosaic.glitchSeed, 73, step) * 3)]! : 0;
    glitches.push({
      step,
      beat,
      time: beatToTime(c, beat),
      duration: 0.25,
      seconds: 0.25 * c.secondsPerBeat,
      stutter,
      crush: clamp(0.3 + 0.7 * gs.strength * glitch, 0, 1),
      wobble: signed(s.mosaic.glitchSeed, 74, step) * params.wobble,
    });
    retrigger(c, step, heard, params, notes);
  }
  return glitches;
};

/**
 * Every note and glitch step with an onset in [from, to) beats, and the parameter targets, for
 * the dream as it is now. The engine calls it for each look-ahead window; a window is heard once.
 */
export const score = (s: DreamState, from: Beats, to: Beats, options: ScoreOptions): ScoreWindow => {
  const c = scoreContext(s, options);
  const params = scoreParams(s, options);
  const notes: NoteEvent[] = [];
  const res = resolutionBeat(s);
  s.dreamers.forEach((d, i) => {
    if (isHeard(d, options)) dreamerNotes(c, i, params.dreamers[i]!, from, to, res, notes);
  });
  const glitches = glitchSteps(c, from, to, params, notes);
  notes.sort((x, y) => x.beat - y.beat || x.dreamer - y.dreamer || x.midi - y.midi);
  return { from, to, notes, glitches, params, chord: chordAt(s, from, c.seed), scale: c.scale, mode: effectiveMode(s.mode, s.mood.valence) };
};
