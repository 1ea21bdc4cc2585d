import type { NormalRange, Seconds } from './units.ts';
import type { DREAMER_PARAMS, PARAMS, ParamTree } from './param-table.ts';

export { KEYS, MODES, VOICES, PATTERNS, CONSENTS, LIMITS, SKY_KINDS, MOSAIC_SHAPES, REGION_KINDS, FRACTURE_KINDS, THREAD_STYLES, THREAD_ROUTINGS, PARTICLE_KINDS, CAMERA_MOTIONS } from './vocabulary.ts';
export type { Key, Mode, Voice, Pattern, Consent, SkyKind, MosaicShape, RegionKind, FractureKind, ThreadStyle, ThreadRouting, ParticleKind, CameraMotion } from './vocabulary.ts';

/**
 * The dream's parameters as the state holds them, derived from the parameter table
 * (param-table.ts): `{ mood: { valence, arousal }, depth, palette: {...}, ... }`.
 */
export type DreamParams = ParamTree<typeof PARAMS>;
export type DreamerParams = ParamTree<typeof DREAMER_PARAMS>;

/** A dreamer: who they are (id, name, role, motif) and their parameters from the table. */
export interface Dreamer extends DreamerParams {
  /** Stable handle used in paths (`dreamers.lara.presence`) and act values. */
  id: string;
  name: string;
  role: string;
  /** Scale degrees from the tonic (0 = tonic, 7 = octave in a seven-note mode); null is a rest. */
  motif: (number | null)[];
}

export type Palette = DreamParams['palette'];

/** What a preset's timed event may do (a subset of the model's actions). */
export type TimedAction =
  | { type: 'set'; path: string; value: ParamValue; seconds?: number | undefined }
  | { type: 'fracture'; amount?: number | undefined }
  | { type: 'glitch'; amount?: number | undefined }
  | { type: 'restabilize'; seconds?: number | undefined };

export interface TimedEvent {
  at: Seconds;
  action: TimedAction;
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

/**
 * The whole dream: its parameters (from the table) and what the model keeps beside them: the
 * clock, the generator, the dreamers and acts, the mosaic's disturbance, the morph and the glides.
 */
export interface DreamState extends Omit<DreamParams, 'mosaic' | 'show'> {
  preset: string;
  title: string;
  seed: number;
  /** Generator state (mulberry32); advances only through actions. */
  rng: number;
  /** The dream clock: seconds of dream time since the show began. */
  clock: Seconds;
  /** Beats elapsed, accumulated at the tempo of the moment (glitch steps lock to it). */
  beat: number;
  /**
   * The dream's own pace, accumulated: dream seconds weighted by arousal (tick.ts flowRate).
   * Particles and the threads' rivers move by it, so the same dream time draws them in the same
   * place (a replay, an audience, a render), and a change of arousal changes their speed, never
   * their place.
   */
  flow: number;
  /**
   * The camera's own time: dream seconds at the camera's speed (scene.camera.speed / 0.5),
   * accumulated, so a change of speed (an act's, a fader's) changes how fast the camera moves,
   * never where it is. Equal to the clock while the speed stays 0.5.
   */
  cameraTime: number;
  dreamers: Dreamer[];
  mosaic: DreamParams['mosaic'] & {
    /** 1 - the larger of fracture and glitch: how whole the shared dream is. */
    stability: NormalRange;
    /** The spring's overshoot past rest while restabilizing (0..~0.15). */
    recoil: number;
    restabilize: Restabilize | null;
    /** Where the last fracture began, in mosaic space (-1..1). */
    epicentre: [number, number];
    /** Seeds each fracture's and glitch's per-tile motion. */
    fractureSeed: number;
    glitchSeed: number;
  };
  acts: Act[];
  show: DreamParams['show'] & { index: number; elapsed: Seconds; fired: number };
  /** Panic fades picture and sound to nothing; `fade` is 1 when all is seen and heard. */
  output: { panic: boolean; fade: NormalRange };
  morph: Morph | null;
  /** Single parameters gliding to a value (`set` with `seconds`), each on its own time. */
  glides: Glide[];
}
