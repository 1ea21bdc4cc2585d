import { CONSENTS, KEYS, MODES, PATTERNS, VOICES } from './state.ts';
import type { DreamState, Dreamer, ParamValue } from './state.ts';
import { clamp, isColour } from './units.ts';

/**
 * Every parameter a performer, an act or a morph may change, with its type and range. This one
 * table drives clamping, the `set` action, morphs, the act values in the preset schema and the
 * leva panels, so a new parameter is added in exactly one place.
 */
export type ParamSpec =
  | { kind: 'number'; min: number; max: number; integer?: boolean; discrete?: boolean; label: string }
  | { kind: 'enum'; values: readonly string[]; label: string }
  | { kind: 'colour'; label: string }
  | { kind: 'boolean'; label: string };

const num = (min: number, max: number, label: string, extra: { integer?: boolean; discrete?: boolean } = {}): Extract<ParamSpec, { kind: 'number' }> => ({
  kind: 'number',
  min,
  max,
  label,
  ...extra,
});

/** Parameters of the dream as a whole. */
export const PARAMS = {
  tempo: num(40, 180, 'tempo (BPM)'),
  key: { kind: 'enum', values: KEYS, label: 'key' },
  mode: { kind: 'enum', values: MODES, label: 'mode' },
  'mood.valence': num(-1, 1, 'valence (sad..joyful)'),
  'mood.arousal': num(0, 1, 'arousal (calm..agitated)'),
  depth: num(0, 1, 'sleep depth'),
  unity: num(0, 1, 'unity (own dreams..one dream)'),
  'palette.deep': { kind: 'colour', label: 'deep' },
  'palette.haze': { kind: 'colour', label: 'haze' },
  'palette.glow': { kind: 'colour', label: 'glow' },
  'palette.accent': { kind: 'colour', label: 'accent' },
  'mosaic.tiles': num(1, 262_144, 'tiles', { integer: true, discrete: true }),
  'mosaic.pattern': { kind: 'enum', values: PATTERNS, label: 'pattern' },
  'mosaic.fracture': num(0, 1, 'fracture'),
  'mosaic.glitch': num(0, 1, 'glitch'),
  'mosaic.restabilizeSeconds': num(0.1, 60, 'restabilize time (s)'),
  'symphony.reverb': num(0, 1, 'reverb'),
  'symphony.level': num(0, 1, 'master level'),
  'safety.flashGuard': { kind: 'boolean', label: 'flash guard' },
  'safety.reducedMotion': { kind: 'boolean', label: 'reduced motion' },
  'safety.masterCap': num(-48, -1, 'master cap (dBFS)'),
  'show.auto': { kind: 'boolean', label: 'auto-advance acts' },
} as const satisfies Record<string, ParamSpec>;

/** Parameters of each dreamer, addressed as `dreamers.<index or id>.<field>`. */
export const DREAMER_PARAMS = {
  presence: num(0, 1, 'presence'),
  level: num(0, 1, 'voice level'),
  colour: { kind: 'colour', label: 'colour' },
  consent: { kind: 'enum', values: CONSENTS, label: 'consent' },
  voice: { kind: 'enum', values: VOICES, label: 'voice' },
} as const satisfies Record<string, ParamSpec>;

export type GlobalPath = keyof typeof PARAMS;
export type DreamerField = keyof typeof DREAMER_PARAMS;

export class DreamInputError extends Error {
  constructor(
    message: string,
    readonly path: string = '',
  ) {
    super(message);
    this.name = 'DreamInputError';
  }
}

export interface ResolvedPath {
  path: string;
  spec: ParamSpec;
  dreamer?: { index: number; field: DreamerField };
}

const isGlobalPath = (p: string): p is GlobalPath => Object.prototype.hasOwnProperty.call(PARAMS, p);

export const findDreamer = (dreamers: readonly Dreamer[], ref: string): number => {
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    return i < dreamers.length ? i : -1;
  }
  return dreamers.findIndex((d) => d.id === ref);
};

/** Resolve a path against the state; dreamer paths are normalized to their index. */
export const resolvePath = (state: DreamState, path: unknown): ResolvedPath => {
  if (typeof path !== 'string' || path.length === 0) throw new DreamInputError(`path must be a non-empty string, got ${describe(path)}`);
  if (isGlobalPath(path)) return { path, spec: PARAMS[path] };
  const m = /^dreamers\.([^.]+)\.([a-z]+)$/.exec(path);
  if (m) {
    const [, ref = '', field = ''] = m;
    if (!Object.prototype.hasOwnProperty.call(DREAMER_PARAMS, field)) {
      throw new DreamInputError(`unknown dreamer field '${field}' in '${path}'; known: ${Object.keys(DREAMER_PARAMS).join(', ')}`, path);
    }
    const index = findDreamer(state.dreamers, ref);
    if (index < 0) {
      throw new DreamInputError(`no dreamer '${ref}' in '${path}'; dreamers: ${state.dreamers.map((d, i) => `${i}/${d.id}`).join(', ')}`, path);
    }
    const f = field as DreamerField;
    return { path: `dreamers.${index}.${f}`, spec: DREAMER_PARAMS[f], dreamer: { index, field: f } };
  }
  throw new DreamInputError(`unknown path '${path}'; known: ${Object.keys(PARAMS).join(', ')}, dreamers.<index|id>.{${Object.keys(DREAMER_PARAMS).join(',')}}`, path);
};

export function describe(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'undefined' ? 'nothing' : `${typeof v} ${String(v)}`;
}

/** Coerce a value to a spec: clamp numbers, refuse non-finite numbers and wrong types. */
export const coerce = (spec: ParamSpec, value: unknown, path: string): ParamValue => {
  switch (spec.kind) {
    case 'number': {
      if (typeof value !== 'number') throw new DreamInputError(`${path} expects a number from ${spec.min} to ${spec.max}, got ${describe(value)}`, path);
      if (!Number.isFinite(value)) throw new DreamInputError(`${path} expects a finite number, got ${describe(value)}`, path);
      const v = clamp(value, spec.min, spec.max);
      return spec.integer ? Math.round(v) : v;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw new DreamInputError(`${path} expects one of ${spec.values.join(', ')}, got ${describe(value)}`, path);
      }
      return value;
    case 'colour':
      if (!isColour(value)) throw new DreamInputError(`${path} expects a colour '#rrggbb', got ${describe(value)}`, path);
      return value.toLowerCase();
    case 'boolean':
      if (typeof value !== 'boolean') throw new DreamInputError(`${path} expects true or false, got ${describe(value)}`, path);
      return value;
  }
};

export const getParam = (state: DreamState, path: string): ParamValue => {
  const r = resolvePath(state, path);
  if (r.dreamer) return state.dreamers[r.dreamer.index]![r.dreamer.field];
  const [a, b] = r.path.split('.') as [string, string | undefined];
  const top = (state as unknown as Record<string, unknown>)[a];
  return (b === undefined ? top : (top as Record<string, unknown>)[b]) as ParamValue;
};

/** Write an already-coerced value; returns a new state (structural sharing, no mutation). */
export const writeParam = (state: DreamState, resolved: ResolvedPath, value: ParamValue): DreamState => {
  if (resolved.dreamer) {
    const { index, field } = resolved.dreamer;
    const dreamers = state.dreamers.slice();
    dreamers[index] = { ...dreamers[index]!, [field]: value };
    return { ...state, dreamers };
  }
  const [a, b] = resolved.path.split('.') as [keyof DreamState, string | undefined];
  if (b === undefined) return { ...state, [a]: value };
  const inner = state[a] as unknown as Record<string, unknown>;
  const next = { ...state, [a]: { ...inner, [b]: value } };
  if (a === 'mosaic') next.mosaic.stability = 1 - Math.max(next.mosaic.fracture, next.mosaic.glitch);
  return next;
};

/**
 * Whether a parameter is continuous: a number a fader, a CC or a sound feature may move every
 * frame (modulate). Not integers or counts (mosaic.tiles), enums, booleans, colours, nor anything
 * under safety. (the performer's own, never driven by a controller).
 */
export const isContinuous = (r: ResolvedPath): boolean => r.spec.kind === 'number' && r.spec.integer !== true && r.spec.discrete !== true && !r.path.startsWith('safety.');

/** Every path whose value can be read now (global ones plus each dreamer's fields by index). */
export const allPaths = (state: DreamState): string[] => [
  ...Object.keys(PARAMS),
  ...state.dreamers.flatMap((_, i) => Object.keys(DREAMER_PARAMS).map((f) => `dreamers.${i}.${f}`)),
];
