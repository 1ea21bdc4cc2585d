import { DREAMER_PARAMS, PARAMS } from './param-table.ts';
import type { DreamerField, GlobalPath, ParamSpec } from './param-table.ts';
import type { DreamState, Dreamer, ParamValue } from './state.ts';
import { clamp, isColour } from './units.ts';
import { readAt, setIn } from './tree.ts';

export * from './param-table.ts';

/*
 * Reading and writing parameters by path, with the parameter table (param-table.ts) saying what
 * each one is: resolve a path, coerce a value to its row, read it, write it.
 */

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
  if (typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${v}`;
  return typeof v === 'undefined' ? 'nothing' : `a ${typeof v}`;
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
  return readAt(state, r.path) as ParamValue;
};

/** Write an already-coerced value; returns a new state (structural sharing, no mutation). */
export const writeParam = (state: DreamState, resolved: ResolvedPath, value: ParamValue): DreamState => {
  if (resolved.dreamer) {
    const { index, field } = resolved.dreamer;
    const dreamers = state.dreamers.slice();
    dreamers[index] = { ...dreamers[index]!, [field]: value };
    return { ...state, dreamers };
  }
  const next = setIn(state, resolved.path, value);
  if (resolved.path.startsWith('mosaic.')) next.mosaic.stability = 1 - Math.max(next.mosaic.fracture, next.mosaic.glitch);
  return next;
};

/**
 * Whether a parameter is continuous: a number a fader, a CC or a sound feature may move every
 * frame (modulate). The table says (not integers or counts such as mosaic.tiles, not enums,
 * booleans, colours, nor the performer's safety settings).
 */
export const isContinuous = (r: { path?: string; spec: ParamSpec }): boolean => r.spec.continuous;

/** Every global path and every dreamer field (`dreamers.<i>.<field>`) the table marks with `has`. */
export const tablePaths = (has: (spec: ParamSpec) => boolean, dreamers: number): string[] => [
  ...Object.entries(PARAMS).filter(([, spec]) => has(spec)).map(([p]) => p),
  ...Array.from({ length: dreamers }, (_, i) => Object.entries(DREAMER_PARAMS).filter(([, spec]) => has(spec)).map(([f]) => `dreamers.${i}.${f}`)).flat(),
];

/** Every path whose value can be read now (global ones plus each dreamer's fields by index). */
export const allPaths = (state: DreamState): string[] => [
  ...Object.keys(PARAMS),
  ...state.dreamers.flatMap((_, i) => Object.keys(DREAMER_PARAMS).map((f) => `dreamers.${i}.${f}`)),
];
