import type { AudioRange, BPM, Colour, Decibels, NormalRange, Seconds } from './units.ts';
import type { DreamAction } from './actions.ts';

export const KEYS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export const MODES = ['major', 'minor', 'dorian', 'phrygian', 'lydian', 'mixolydian'] as const;
export const VOICES = ['pad', 'bell', 'choir', 'pluck', 'strings', 'bass', 'lead'] as const;
export const PATTERNS = ['voronoi', 'hex', 'grid'] as const;
export const CONSENTS = ['shared', 'private'] as const;

export type Key = (typeof KEYS)[number];
export type Mode = (typeof MODES)[number];
export type Voice = (typeof VOICES)[number];
export type Pattern = (typeof PATTERNS)[number];
export type Consent = (typeof CONSENTS)[number];

export const LIMITS = {
  fileBytes: 256 * 1024,
  tiles: 262_144,
  dreamers: 64,
  acts: 128,
  eventsPerAct: 256,
  motifNotes: 32,
  jsonDepth: 16,
} as const;

export interface Dreamer {
  /** Stable handle used in paths (`dreamers.lara.presence`) and act values. */
  id: string;
  name: string;
  role: string;
  colour: Colour;
  voice: Voice;
  /** Scale degrees from the tonic (0 = tonic, 7 = octave in a seven-note mode); null is a rest. */
  motif: (number | null)[];
  presence: NormalRange;
  /** Mix level of the dreamer's voice in the symphony. */
  level: NormalRange;
  /** A private dreamer's thread is never shown or heard by the audience. */
  consent: Consent;
}

export interface Palette {
  /** The depths of the sky. */
  deep: Colour;
  /** The haze between the depths and the light. */
  haze: Colour;
  /** The glow of the nebulae and the mosaic's grout. */
  glow: Colour;
  /** Sparks: glitch edges and highlights. */
  accent: Colour;
}

export interface TimedEvent {
  at: Seconds;
  action: DreamAction;
}

export interface Act {
  name: string;
  /** Seconds the act lasts when the show auto-advances. */
  duration: Seconds;
  /** Seconds over which the act's values morph in. */
  transition: Seconds;
  /** Flat parameter values (`mood.arousal`, `dreamers.lara.presence`...) the act moves to. */
  values: Record<string, ParamValue>;
  /** Sorted by `at`. */
  events: TimedEvent[];
  note: string;
}

export type ParamValue = number | string | boolean;

export interface Restabilize {
  from: { fracture: NormalRange; glitch: NormalRange };
  seconds: Seconds;
  elapsed: Seconds;
}

export interface Morph {
  from: Record<string, ParamValue>;
  to: Record<string, ParamValue>;
  seconds: Seconds;
  elapsed: Seconds;
  /** For a preset morph: the structure (dreamers, acts, names) that switches in at the midpoint. */
  target: DreamState | null;
  switched: boolean;
}

export interface Glide {
  path: string;
  from: number | string;
  to: number | string;
  seconds: Seconds;
  elapsed: Seconds;
}

export interface DreamState {
  preset: string;
  title: string;
  seed: number;
  /** Generator state (mulberry32); advances only through actions. */
  rng: number;
  /** The dream clock: seconds of dream time since the show began. */
  clock: Seconds;
  /** Beats elapsed, accumulated at the tempo of the moment (glitch steps lock to it). */
  beat: number;
  tempo: BPM;
  key: Key;
  mode: Mode;
  mood: { valence: AudioRange; arousal: NormalRange };
  /** 0 = drowsy surface, 1 = the deepest sleep. */
  depth: NormalRange;
  /** 0 = every dreamer's own dream, 1 = one homogenized dream. */
  unity: NormalRange;
  palette: Palette;
  dreamers: Dreamer[];
  mosaic: {
    tiles: number;
    pattern: Pattern;
    fracture: NormalRange;
    glitch: NormalRange;
    /** 1 - the larger of fracture and glitch: how whole the shared dream is. */
    stability: NormalRange;
    /** The spring's overshoot past rest while restabilizing (0..~0.15). */
    recoil: number;
    restabilizeSeconds: Seconds;
    restabilize: Restabilize | null;
    /** Where the last fracture began, in mosaic space (-1..1). */
    epicentre: [number, number];
    /** Seeds each fracture's and glitch's per-tile motion. */
    fractureSeed: number;
    glitchSeed: number;
  };
  symphony: { reverb: NormalRange; level: NormalRange };
  acts: Act[];
  show: { index: number; elapsed: Seconds; auto: boolean; fired: number };
  safety: { flashGuard: boolean; reducedMotion: boolean; masterCap: Decibels };
  /** Panic fades picture and sound to nothing; `fade` is 1 when all is seen and heard. */
  output: { panic: boolean; fade: NormalRange };
  morph: Morph | null;
  /** Single parameters gliding to a value (`set` with `seconds`), each on its own time. */
  glides: Glide[];
}
