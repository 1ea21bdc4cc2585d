import { coerce, describe, DreamInputError, getParam, isContinuous, resolvePath, tablePaths, writeParam } from './params.ts';
import { resolvePreset } from './preset.ts';
import type { Preset } from './schema.ts';
import type { ParamSpec } from './params.ts';
import { nextRandom } from './random.ts';
import { revise } from './revise.ts';
import type { ReviseAction } from './revise.ts';
import type { DreamState, ParamValue } from './state.ts';
import { clamp } from './units.ts';

/** Everything that can happen to a dream. All are pure: (state, action) → state. */
export type DreamAction =
  | { type: 'set'; path: string; value: ParamValue; seconds?: number | undefined; confirm?: boolean }
  | { type: 'fracture'; amount?: number | undefined }
  | { type: 'glitch'; amount?: number | undefined }
  | { type: 'restabilize'; seconds?: number | undefined }
  | { type: 'act'; to: 'next' | 'prev' | number }
  | { type: 'panic' }
  | { type: 'recover' }
  /**
   * A tempo from a performer's hand (taps) or a clock (MIDI clock): sets the tempo, holds it
   * through act changes and morphs (show.tempoHold) and, with `phase` (how far into a beat the
   * dream is now, 0..1), moves the beat forward so that the next whole beat falls where the taps do.
   */
  | { type: 'tempo'; bpm: number; phase?: number | undefined }
  /** Morph to another dream (a resolved preset) over `seconds`. */
  | { type: 'morph'; to: DreamState; seconds: number }
  /**
   * Load a validated preset: switch to it at once (keeping the clock, the safety settings and the
   * output) or morph to it over `seconds`. loadPreset makes this action, and a show log keeps it.
   */
  | { type: 'preset'; preset: Preset; seconds: number; seed?: number | undefined; tiles?: number | undefined }
  /**
   * A continuous control's value (a fader, a CC, a sound feature): written at once, clamped, and
   * taken out of any glide or morph on its path. Only continuous parameters (isContinuous).
   */
  | { type: 'modulate'; path: string; value: number }
  /** An edit of the preset now playing (src/model/revise.ts): its structure in place, its values morphed to. */
  | ReviseAction;

export const ACTION_TYPES = ['set', 'fracture', 'glitch', 'restabilize', 'act', 'panic', 'recover', 'tempo', 'modulate', 'morph', 'preset', 'revise'] as const;
/** Actions that come only from loadPreset, never as a bare action from outside. */
const LOAD_ONLY: readonly string[] = ['morph', 'preset', 'revise'];

/** Without an amount, F and G step the disturbance up by a third: three presses reach the full climax. */
export const STEP = 0.34;

const optionalUnit = (a: Record<string, unknown>, key: string, type: string): number | undefined => {
  const v = a[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DreamInputError(`${type}: ${key} must be a finite number, got ${describe(v)}`);
  return v;
};

const allowedKeys = (a: Record<string, unknown>, keys: string[]): void => {
  for (const k of Object.keys(a)) {
    if (!keys.includes(k)) throw new DreamInputError(`${String(a.type)}: unknown field '${k}' (allowed: ${keys.join(', ')})`);
  }
};

/** Check an action from outside (console, network, a preset) and say exactly what is wrong. */
export const parseAction = (input: unknown): DreamAction => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new DreamInputError(`an action is an object like {type:'fracture'}, got ${describe(input)}`);
  const a = input as Record<string, unknown>;
  switch (a.type) {
    case 'set':
      allowedKeys(a, ['type', 'path', 'value', 'seconds', 'confirm']);
      if (typeof a.path !== 'string') throw new DreamInputError(`set: path must be a string like 'mood.arousal', got ${describe(a.path)}`);
      if (!['number', 'string', 'boolean'].includes(typeof a.value)) throw new DreamInputError(`set ${a.path}: value must be a number, string or boolean, got ${describe(a.value)}`, a.path);
      if (a.confirm !== undefined && typeof a.confirm !== 'boolean') throw new DreamInputError(`set: confirm must be true or false`);
      const seconds = optionalUnit(a, 'seconds', 'set');
      return {
        type: 'set',
        path: a.path,
        value: a.value as ParamValue,
        ...(seconds === undefined ? {} : { seconds }),
        ...(a.confirm === undefined ? {} : { confirm: a.confirm }),
      };
    case 'fracture':
    case 'glitch': {
      allowedKeys(a, ['type', 'amount']);
      const amount = optionalUnit(a, 'amount', a.type);
      return amount === undefined ? { type: a.type } : { type: a.type, amount };
    }
    case 'restabilize': {
      allowedKeys(a, ['type', 'seconds']);
      const seconds = optionalUnit(a, 'seconds', 'restabilize');
      return seconds === undefined ? { type: 'restabilize' } : { type: 'restabilize', seconds };
    }
    case 'act':
      allowedKeys(a, ['type', 'to']);
      if (a.to === 'next' || a.to === 'prev') return { type: 'act', to: a.to };
      if (typeof a.to === 'number' && Number.isInteger(a.to)) return { type: 'act', to: a.to };
      throw new DreamInputError(`act: to must be 'next', 'prev' or an act index, got ${describe(a.to)}`);
    case 'panic':
    case 'recover':
      allowedKeys(a, ['type']);
      return { type: a.type };
    case 'tempo': {
      allowedKeys(a, ['type', 'bpm', 'phase']);
      if (typeof a.bpm !== 'number' || !Number.isFinite(a.bpm)) throw new DreamInputError(`tempo: bpm must be a finite number, got ${describe(a.bpm)}`, 'tempo');
      const phase = optionalUnit(a, 'phase', 'tempo');
      return phase === undefined ? { type: 'tempo', bpm: a.bpm } : { type: 'tempo', bpm: a.bpm, phase };
    }
    case 'modulate':
      allowedKeys(a, ['type', 'path', 'value']);
      if (typeof a.path !== 'string') throw new DreamInputError(`modulate: path must be a string like 'mood.arousal', got ${describe(a.path)}`);
      if (typeof a.value !== 'number' || !Number.isFinite(a.value)) throw new DreamInputError(`modulate ${a.path}: value must be a finite number, got ${describe(a.value)}`, a.path);
      return { type: 'modulate', path: a.path, value: a.value };
    case 'morph':
    case 'preset':
      throw new DreamInputError(`${a.type}: use loadPreset(id, {morphSeconds}) to switch or morph to another preset`);
    case 'revise':
      throw new DreamInputError('revise: saving the playing preset\'s file under npm start revises the show');
    default:
      throw new DreamInputError(`unknown action type ${describe(a.type)}; known: ${ACTION_TYPES.filter((t) => !LOAD_ONLY.includes(t)).join(', ')}`);
  }
};

// ---- helpers -------------------------------------------------------------------------------------

const withMosaic = (s: DreamState, patch: Partial<DreamState['mosaic']>): DreamState => {
  const mosaic = { ...s.mosaic, ...patch };
  mosaic.stability = 1 - Math.max(mosaic.fracture, mosaic.glitch);
  return { ...s, mosaic };
};

/** A live action on a parameter takes it out of the running morph: the performer wins. */
const releaseFromMorph = (state: DreamState, ...paths: string[]): DreamState => {
  const s = state.glides.some((g) => paths.includes(g.path)) ? { ...state, glides: state.glides.filter((g) => !paths.includes(g.path)) } : state;
  if (!s.morph || !paths.some((p) => p in s.morph!.to)) return s;
  const to = { ...s.morph.to };
  const from = { ...s.morph.from };
  for (const p of paths) {
    delete to[p];
    delete from[p];
  }
  return { ...s, morph: { ...s.morph, to, from } };
};

const random = (s: DreamState): [number, DreamState] => {
  const r = nextRandom(s.rng);
  return [r.value, { ...s, rng: r.state }];
};

export const specOf = (s: DreamState, path: string): ParamSpec => resolvePath(s, path).spec;

/** Numbers and colours glide; enums, booleans and tile counts switch at the midpoint (the table says). */
export const isGliding = (spec: ParamSpec): boolean => spec.morph === 'glide';

/** Start a morph toward `to` (flat paths) over `seconds`; a running morph's other targets carry on. */
export const startMorph = (s: DreamState, to: Record<string, ParamValue>, seconds: number, target: DreamState | null): DreamState => {
  const prev = s.morph;
  const merged: Record<string, ParamValue> = { ...(prev && !prev.switched ? prev.to : {}), ...to };
  const from: Record<string, ParamValue> = {};
  for (const p of Object.keys(merged)) from[p] = getParam(s, p);
  const keepTarget = target ?? (prev && !prev.switched ? prev.target : null);
  const glides = s.glides.filter((g) => !(g.path in merged));
  return { ...s, glides, morph: { from, to: merged, seconds: Math.max(0, seconds), elapsed: 0, target: keepTarget, switched: false } };
};

export const enterAct = (s: DreamState, index: number, carry = 0): DreamState => {
  const act = s.acts[index];
  if (!act) return s;
  const next: DreamState = { ...s, show: { ...s.show, index, elapsed: carry, fired: 0 } };
  // Act values are flattened by index at load; drop any that no longer resolve.
  const to: Record<string, ParamValue> = {};
  for (const [p, v] of Object.entries(act.values)) {
    if (p === 'tempo' && s.show.tempoHold) continue;
    try {
      to[p] = coerce(specOf(next, p), v, p);
    } catch {
      /* a dreamer path from another preset: skip */
    }
  }
  return startMorph(next, to, act.transition, null);
};

// ---- the actions that take more than a few lines -----------------------------------------------

const reduceSet = (state: DreamState, action: Extract<DreamAction, { type: 'set' }>): DreamState => {
  const r = resolvePath(state, action.path);
  const value = coerce(r.spec, action.value, action.path);
  if (r.path === 'safety.flashGuard' && value === false && action.confirm !== true) {
    throw new DreamInputError('turning the flash guard off puts photosensitive viewers at risk: dispatch it with confirm: true', r.path);
  }
  let s = releaseFromMorph(state, r.path);
  if (r.path === 'mosaic.fracture' || r.path === 'mosaic.glitch') s = withMosaic(s, { restabilize: null, recoil: 0 });
  const glides = s.glides.filter((g) => g.path !== r.path);
  if (glides.length !== s.glides.length) s = { ...s, glides };
  const seconds = action.seconds !== undefined && Number.isFinite(action.seconds) ? clamp(action.seconds, 0, 600) : 0;
  if (seconds > 0 && isGliding(r.spec)) {
    // A glide runs on its own time, beside any morph, so an act's transition is not restarted.
    return { ...s, glides: [...s.glides, { path: r.path, from: getParam(s, r.path) as number | string, to: value as number | string, seconds, elapsed: 0 }] };
  }
  return writeParam(s, r, value);
};

const reduceFracture = (state: DreamState, action: Extract<DreamAction, { type: 'fracture' }>): DreamState => {
  let s = releaseFromMorph(state, 'mosaic.fracture');
  const target = clamp(action.amount ?? s.mosaic.fracture + STEP, 0, 1);
  if (s.mosaic.fracture < 0.05 && target > 0) {
    // A fracture from calm cracks from a new place with new shards.
    let x: number, y: number, seed: number;
    [x, s] = random(s);
    [y, s] = random(s);
    [seed, s] = random(s);
    s = withMosaic(s, { epicentre: [x * 1.6 - 0.8, y * 1.2 - 0.6], fractureSeed: Math.floor(seed * 2 ** 32) >>> 0 });
  }
  const rs = s.mosaic.restabilize;
  return withMosaic(s, { fracture: target, recoil: 0, restabilize: rs && rs.from.glitch > 0 ? { ...rs, from: { ...rs.from, fracture: 0 } } : null });
};

const reduceGlitch = (state: DreamState, action: Extract<DreamAction, { type: 'glitch' }>): DreamState => {
  let s = releaseFromMorph(state, 'mosaic.glitch');
  const target = clamp(action.amount ?? s.mosaic.glitch + STEP, 0, 1);
  const [seed, seeded] = random(s);
  s = seeded;
  const rs = s.mosaic.restabilize;
  return withMosaic(s, { glitch: target, glitchSeed: Math.floor(seed * 2 ** 32) >>> 0, restabilize: rs && rs.from.fracture > 0 ? { ...rs, from: { ...rs.from, glitch: 0 } } : null });
};

const reduceTempo = (state: DreamState, action: Extract<DreamAction, { type: 'tempo' }>): DreamState => {
  const r = resolvePath(state, 'tempo');
  const s = releaseFromMorph(state, 'tempo');
  const phase = action.phase === undefined ? null : clamp(action.phase, 0, 0.999999);
  const beat = phase === null ? s.beat : Math.ceil(s.beat - phase - 1e-9) + phase;
  return { ...writeParam(s, r, coerce(r.spec, action.bpm, 'tempo')), beat, show: { ...s.show, tempoHold: true } };
};

const reduceMorph = (state: DreamState, action: Extract<DreamAction, { type: 'morph' }>): DreamState => {
  const target = action.to;
  const seconds = Number.isFinite(action.seconds) ? clamp(action.seconds, 0, 600) : 0;
  // Everything the table lets a morph move: global parameters, and the dreamers both dreams have.
  const to: Record<string, ParamValue> = {};
  for (const p of tablePaths((spec) => spec.morph !== 'keep', Math.min(state.dreamers.length, target.dreamers.length))) to[p] = getParam(target, p);
  if (state.show.tempoHold) delete to.tempo;
  const s: DreamState = { ...state, morph: null };
  return startMorph(s, to, seconds, { ...target, morph: null });
};

/**
 * An immediate preset switch: the new dream, with the running clock and output kept, and every
 * parameter that is the performer's rather than a preset's (safety, the show's switches: the
 * table's rows no preset sets and no morph moves), and a held tempo.
 */
const switchKeeping = (state: DreamState, target: DreamState): DreamState => {
  let s: DreamState = { ...target, clock: state.clock, beat: state.beat, flow: state.flow, cameraTime: state.cameraTime, output: state.output };
  for (const p of tablePaths((spec) => !spec.preset && spec.morph === 'keep', 0)) s = writeParam(s, resolvePath(s, p), getParam(state, p));
  if (state.show.tempoHold) s = writeParam(s, resolvePath(s, 'tempo'), state.tempo);
  return s;
};

// ---- the reducer -----------------------------------------------------------------------------------

export const reduce = (state: DreamState, action: DreamAction): DreamState => {
  switch (action.type) {
    case 'set':
      return reduceSet(state, action);
    case 'fracture':
      return reduceFracture(state, action);
    case 'glitch':
      return reduceGlitch(state, action);
    case 'restabilize': {
      const seconds = clamp(action.seconds ?? state.mosaic.restabilizeSeconds, 0.1, 60);
      const s = releaseFromMorph(state, 'mosaic.fracture', 'mosaic.glitch');
      return withMosaic(s, { restabilize: { from: { fracture: s.mosaic.fracture, glitch: s.mosaic.glitch }, seconds, elapsed: 0 } });
    }
    case 'act': {
      const last = state.acts.length - 1;
      const cur = state.show.index;
      const to = action.to === 'next' ? Math.min(last, cur + 1) : action.to === 'prev' ? Math.max(0, cur - 1) : action.to;
      if (!Number.isInteger(to) || to < 0 || to > last) throw new DreamInputError(`act: index ${describe(action.to)} is out of range 0..${last} (${state.acts.length} acts)`);
      if (to === cur && typeof action.to === 'string') return state;
      return enterAct(state, to);
    }
    case 'tempo':
      return reduceTempo(state, action);
    case 'panic':
      return { ...state, output: { ...state.output, panic: true } };
    case 'recover':
      return { ...state, output: { ...state.output, panic: false } };
    case 'modulate': {
      const r = resolvePath(state, action.path);
      if (!isContinuous(r)) throw new DreamInputError(`${action.path} is not a continuous parameter (numbers only; not integers such as mosaic.tiles, not enums, booleans, colours or safety settings): use set`, action.path);
      return reduce(state, { type: 'set', path: r.path, value: action.value });
    }
    case 'preset': {
      const target = resolvePreset(action.preset, { seed: action.seed ?? action.preset.seed ?? state.seed, ...(action.tiles === undefined ? {} : { tiles: action.tiles }) });
      const seconds = Number.isFinite(action.seconds) ? clamp(action.seconds, 0, 600) : 0;
      // An immediate switch keeps the running clock and the performer's safety settings.
      if (seconds === 0) return switchKeeping(state, target);
      return reduce(state, { type: 'morph', to: target, seconds });
    }
    case 'morph':
      return reduceMorph(state, action);
    case 'revise': {
      const r = revise(state, action);
      return startMorph(r.state, r.to, r.seconds, null);
    }
  }
};
