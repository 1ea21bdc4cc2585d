import type { z } from 'zod';
import { coerce, defaultFor, describe, DREAMER_PARAMS, DreamInputError, findDreamer, getParam, PARAMS, resolvePath, writeParam } from './params.ts';
import type { ParamSpec, ParamTable } from './params.ts';
import { hashSeed } from './random.ts';
import { PRESET_VERSION, presetSchema } from './schema.ts';
import type { ActInput, DreamerInput, Preset } from './schema.ts';
import { inspectJson } from './json-guard.ts';
import { readAt, writeAt } from './tree.ts';
import { LIMITS } from './state.ts';
import type { Act, DreamParams, DreamState, Dreamer, DreamerParams, ParamValue, TimedEvent } from './state.ts';

/** A problem found in a preset: where (JSON path), what was expected and what was found. */
export interface Problem {
  path: string;
  message: string;
  expected: string;
  found: string;
}

export type PresetResult = { ok: true; preset: Preset } | { ok: false; problems: Problem[] };

/** What a preset leaves out and the table does not cover: its title, story, seed, act transitions. */
export const DEFAULTS = {
  title: 'Untitled dream',
  story: '',
  seed: 1,
  actTransition: 6,
} as const;

const DEFAULT_MOTIFS: (number | null)[][] = [
  [0, 2, 4, 2],
  [4, null, 7, 6, 4],
  [2, 1, 0, null],
  [0, 4, 3, 2, 1],
];


/**
 * A row's value for a dream: the given object's where it has one (and the row lets a preset set it),
 * the table's default elsewhere; coerced to the row (colours in lower case).
 */
const valueFor = (spec: ParamSpec, given: unknown, path: string, index = 0): ParamValue => {
  const v = spec.preset && given !== undefined ? given : defaultFor(spec, index);
  try {
    return coerce(spec, v, path);
  } catch {
    return defaultFor(spec, index);
  }
};

/** Every global parameter of a dream from a preset (or, with null, the defaults), nested as the state holds them. */
export const paramValues = (preset: unknown, table: ParamTable = PARAMS): DreamParams => {
  const out: Record<string, unknown> = {};
  for (const [path, spec] of Object.entries(table)) writeAt(out, path, valueFor(spec, readAt(preset, path), path));
  return out as unknown as DreamParams;
};

// ---- migration ---------------------------------------------------------------------------------

export type Migration = (preset: Record<string, unknown>) => Record<string, unknown>;
/**
 * The look every version-1 preset had (format 1 had no `scene`): a nebula sky, a rounded block of
 * tiles in spiral sectors breaking into plates, ribbons across it, no particles, a drifting camera.
 * Written out, not read from the table's defaults, so a v1 preset keeps this look if the defaults
 * ever change.
 */
export const V1_SCENE = {
  sky: { kind: 'nebula', brightness: 1 },
  mosaic: { shape: 'block', x: 0, y: 0, scale: 1, regions: 'sectors', relief: 0.5, grout: 0.5, fracture: 'plates' },
  threads: { style: 'ribbons', routing: 'across', brightness: 1 },
  particles: { kind: 'none', amount: 0.5 },
  camera: { distance: 12.5, height: 0, tilt: 0, fov: 38, motion: 'drift', speed: 0.5 },
  finish: { vignette: 0.5, grain: 0, chroma: 0, bloom: 1 },
} as const;

/** MIGRATIONS[n] turns a version-n preset into version n+1. Format 1 is the first published one. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  // Format 2 adds the scene's layers; a format-1 preset gets the look it always had.
  1: (p) => ({ ...p, scene: p.scene === undefined ? structuredClone(V1_SCENE) : p.scene }),
};

/** Bring a parsed preset up to the current version, or report why it cannot be. */
export const migratePreset = (
  raw: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  current = PRESET_VERSION,
): { ok: true; value: unknown } | { ok: false; problems: Problem[] } => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '$', message: 'a preset is a JSON object', expected: 'an object', found: describe(raw) }] };
  }
  let p = raw as Record<string, unknown>;
  const v = p.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return { ok: false, problems: [{ path: '$.version', message: `"version" must be a format version (current: ${current})`, expected: `an integer from 1 to ${current}`, found: describe(v) }] };
  }
  if (v > current) {
    return { ok: false, problems: [{ path: '$.version', message: `made by a newer dreamscape (format ${v}); this one reads up to ${current}`, expected: `at most ${current}`, found: String(v) }] };
  }
  for (let from = v; from < current; from++) {
    const m = migrations[from];
    if (!m) return { ok: false, problems: [{ path: '$.version', message: `no migration from format ${from}`, expected: `format ${current}`, found: String(v) }] };
    p = { ...m(p), version: from + 1 };
  }
  return { ok: true, value: p };
};

// ---- validation ---------------------------------------------------------------------------------

const jsonPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(String(k)) ? `${acc}.${String(k)}` : `${acc}[${JSON.stringify(String(k))}]`), '$');

const issueToProblem = (issue: z.core.$ZodIssue): Problem[] => {
  const path = jsonPath(issue.path);
  const found = 'input' in issue ? describe(issue.input) : 'nothing';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: jsonPath([...issue.path, k]), message: `unknown key "${k}" (a typo?)`, expected: 'no such key', found: `"${k}"` }));
    case 'invalid_type':
      return [{ path, message: issue.input === undefined ? `missing ${issue.expected}` : issue.message, expected: issue.expected, found: issue.input === undefined ? 'nothing' : found }];
    case 'too_big':
      return [{ path, message: issue.message, expected: `${issue.origin === 'array' ? 'at most' : issue.inclusive === false ? 'under' : 'at most'} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`, found: issue.origin === 'array' && Array.isArray(issue.input) ? `${issue.input.length} items` : found }];
    case 'too_small':
      return [{ path, message: issue.message, expected: `at least ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`, found: issue.origin === 'array' && Array.isArray(issue.input) ? `${issue.input.length} items` : found }];
    case 'invalid_value':
      return [{ path, message: issue.message, expected: `one of ${issue.values.map((x) => JSON.stringify(x)).join(', ')}`, found }];
    case 'invalid_format':
      return [{ path, message: issue.message, expected: issue.format === 'regex' ? issue.message.replace(/^Invalid string: /, '') : issue.format, found }];
    case 'invalid_union': {
      const disc = issue.path.length >= 0 && typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>).type : undefined;
      return [{ path, message: issue.message, expected: disc === undefined ? 'one of the allowed forms' : 'an action of type set, fracture, glitch or restabilize', found }];
    }
    default:
      return [{ path, message: issue.message, expected: 'a valid value', found }];
  }
};

/** zod's issues as problems with JSON paths (presets, show logs). */
export const issuesToProblems = (issues: readonly z.core.$ZodIssue[]): Problem[] => issues.flatMap(issueToProblem);

/** Check what the schema cannot see alone: references between parts of the preset. */
const crossCheck = (preset: Preset): Problem[] => {
  const problems: Problem[] = [];
  const dreamers = resolveDreamers(preset.dreamers);
  const ids = new Map<string, number>();
  dreamers.forEach((d, i) => {
    const prev = ids.get(d.id);
    if (prev !== undefined) problems.push({ path: `$.dreamers[${i}].id`, message: `two dreamers share the id "${d.id}" (dreamers ${prev} and ${i})`, expected: 'a unique id', found: `"${d.id}"` });
    ids.set(d.id, i);
  });
  const probe = { dreamers } as DreamState;
  preset.acts?.forEach((act, a) => {
    for (const ref of Object.keys(act.values?.dreamers ?? {})) {
      if (findDreamer(dreamers, ref) < 0) problems.push({ path: `$.acts[${a}].values.dreamers.${ref}`, message: `no dreamer with id "${ref}"`, expected: `one of ${dreamers.map((d) => d.id).join(', ')}`, found: `"${ref}"` });
    }
    act.events?.forEach((ev, e) => {
      if (ev.at > act.duration) problems.push({ path: `$.acts[${a}].events[${e}].at`, message: `the event would never fire: the act lasts ${act.duration} s`, expected: `at most ${act.duration}`, found: String(ev.at) });
      if (ev.action.type !== 'set') return;
      const where = `$.acts[${a}].events[${e}].action`;
      try {
        const r = resolvePath(probe, ev.action.path);
        if (!r.spec.event) throw new DreamInputError(r.path.startsWith('safety.') ? 'safety settings belong to the performer, not to a preset' : `${r.path} is not for a preset's events (the parameter table says so)`, ev.action.path);
        const c = coerce(r.spec, ev.action.value, ev.action.path);
        if (c !== ev.action.value) problems.push({ path: `${where}.value`, message: `${ev.action.path} is out of range`, expected: r.spec.kind === 'number' ? `${r.spec.min} to ${r.spec.max}` : r.spec.kind, found: describe(ev.action.value) });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        const onPath = err instanceof DreamInputError && !/ expects /.test(msg);
        problems.push({ path: onPath ? `${where}.path` : `${where}.value`, message: msg, expected: onPath ? 'a known parameter path' : 'a value of the parameter\'s type', found: describe(onPath ? ev.action.path : ev.action.value) });
      }
    });
  });
  return problems;
};

/** Validate an already-parsed preset object (after migration). */
export const validatePreset = (raw: unknown): PresetResult => {
  // Before anything reads it: zod would silently drop a `__proto__` inside a record, and a
  // hostile object nested past the limit must be refused without recursing into it.
  const seen = inspectJson(raw, { maxDepth: LIMITS.jsonDepth, maxNodes: LIMITS.fileBytes });
  if (seen.forbidden !== null) {
    const key = seen.forbiddenKey ?? '';
    return { ok: false, problems: [{ path: seen.forbidden, message: `the key "${key}" is not allowed in a preset (it names the object's prototype, not data)`, expected: 'no __proto__, constructor or prototype key', found: `"${key}"` }] };
  }
  if (seen.stopped === 'depth') return { ok: false, problems: [{ path: '$', message: `nested too deeply: more than ${LIMITS.jsonDepth} levels`, expected: `at most ${LIMITS.jsonDepth} levels`, found: `more than ${LIMITS.jsonDepth} levels` }] };
  if (seen.stopped === 'nodes') return { ok: false, problems: [{ path: '$', message: `too many values: more than ${LIMITS.fileBytes}`, expected: `at most ${LIMITS.fileBytes} values`, found: `more than ${LIMITS.fileBytes}` }] };
  const migrated = migratePreset(raw);
  if (!migrated.ok) return migrated;
  const parsed = presetSchema.safeParse(migrated.value, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(issueToProblem) };
  const problems = crossCheck(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, preset: parsed.data };
};

/** Measure nesting depth without parsing, so a hostile file cannot blow the parser's stack. */
export const jsonDepth = (text: string): number => {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
};

/** Validate a preset file's text: size and depth limits first, then JSON, then the schema. */
export const validatePresetText = (input: string): PresetResult => {
  // Some editors start a UTF-8 file with a byte-order mark; JSON.parse would refuse it.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > LIMITS.fileBytes) {
    return { ok: false, problems: [{ path: '$', message: `file too large: ${bytes} bytes`, expected: `at most ${LIMITS.fileBytes} bytes (256 KB)`, found: `${bytes} bytes` }] };
  }
  const depth = jsonDepth(text);
  if (depth > LIMITS.jsonDepth) {
    return { ok: false, problems: [{ path: '$', message: `nested too deeply: ${depth} levels`, expected: `at most ${LIMITS.jsonDepth} levels`, found: `${depth} levels` }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, problems: [{ path: '$', message: `not valid JSON: ${msg}`, expected: 'JSON', found: 'a syntax error' }] };
  }
  return validatePreset(raw);
};

export const formatProblem = (p: Problem, file?: string): string =>
  `${file ? `${file}: ` : ''}${p.path}: ${p.message} (expected ${p.expected}, found ${p.found})`;

// ---- resolution: a valid preset merged onto the defaults becomes a dream-state ------------------

const slug = (name: string): string =>
  name
    .toLowerCase()
    .split(/\s+/)[0]!
    .normalize('NFKD')
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 48) || 'dreamer';

export const resolveDreamers = (input: readonly DreamerInput[] | undefined): Dreamer[] => {
  const list = input ?? [{ name: 'The Dreamer' }];
  const used = new Set<string>();
  return list.map((d, i) => {
    let id = d.id ?? slug(d.name);
    if (!d.id) {
      const base = id;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    }
    used.add(id);
    const params: Record<string, unknown> = {};
    for (const [field, spec] of Object.entries(DREAMER_PARAMS)) params[field] = valueFor(spec, (d as Record<string, unknown>)[field], `dreamers.${i}.${field}`, i);
    return { id, name: d.name, role: d.role ?? '', motif: d.motif ?? DEFAULT_MOTIFS[i % DEFAULT_MOTIFS.length]!, ...(params as unknown as DreamerParams) };
  });
};

/** Nested groups (`{sky: {kind: 'fog'}}`) as paths under `prefix` (`scene.sky.kind`), at any depth. */
const flattenGroup = (out: Record<string, ParamValue>, prefix: string, group: Record<string, unknown>): void => {
  for (const [f, fv] of Object.entries(group)) {
    if (fv !== null && typeof fv === 'object') flattenGroup(out, `${prefix}.${f}`, fv as Record<string, unknown>);
    else if (fv !== undefined) out[`${prefix}.${f}`] = fv as ParamValue;
  }
};

/** Flatten nested values (`{mood: {arousal: 1}}`, `{scene: {sky: {kind: 'fog'}}}`) to parameter paths (`mood.arousal`, `scene.sky.kind`). */
export const flattenValues = (values: Record<string, unknown> | undefined, dreamers: readonly Dreamer[]): Record<string, ParamValue> => {
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (k === 'dreamers' && v && typeof v === 'object') {
      for (const [ref, fields] of Object.entries(v as Record<string, Record<string, ParamValue>>)) {
        const i = findDreamer(dreamers, ref);
        if (i < 0) continue;
        for (const [f, fv] of Object.entries(fields)) out[`dreamers.${i}.${f}`] = fv;
      }
    } else if (v !== null && typeof v === 'object') flattenGroup(out, k, v as Record<string, unknown>);
    else if (v !== undefined) out[k] = v as ParamValue;
  }
  return out;
};

const resolveAct = (act: ActInput, dreamers: readonly Dreamer[]): Act => {
  const events: TimedEvent[] = (act.events ?? [])
    .map((e) => ({ at: e.at, action: e.action.type === 'set' ? { ...e.action } : { ...e.action } }))
    .sort((x, y) => x.at - y.at);
  return {
    name: act.name,
    duration: act.duration,
    transition: act.transition ?? DEFAULTS.actTransition,
    values: flattenValues(act.values, dreamers),
    events,
    note: act.note ?? '',
  };
};

export interface ResolveOptions {
  seed?: number;
  tiles?: number;
}

/** A validated preset merged onto the defaults: the dream at the start of its first act. */
export const resolvePreset = (preset: Preset, options: ResolveOptions = {}): DreamState => {
  const dreamers = resolveDreamers(preset.dreamers);
  const seed = (options.seed ?? preset.seed ?? hashSeed(preset.id)) >>> 0;
  const acts = (preset.acts ?? [{ name: 'Dream', duration: 600 }]).map((a) => resolveAct(a, dreamers));
  const params = paramValues(preset);
  const tiles = Math.round(Math.min(LIMITS.tiles, Math.max(1, options.tiles ?? params.mosaic.tiles)));
  const state: DreamState = {
    preset: preset.id,
    title: preset.title ?? DEFAULTS.title,
    seed,
    rng: hashSeed(seed),
    clock: 0,
    beat: 0,
    flow: 0,
    cameraTime: 0,
    ...params,
    dreamers,
    mosaic: {
      ...params.mosaic,
      tiles,
      stability: 1 - Math.max(params.mosaic.fracture, params.mosaic.glitch),
      recoil: 0,
      restabilize: null,
      epicentre: [0, 0],
      fractureSeed: seed,
      glitchSeed: (seed ^ 0x9e3779b9) >>> 0,
    },
    acts,
    show: { index: 0, elapsed: 0, ...params.show, fired: 0 },
    output: { panic: false, fade: 1 },
    morph: null,
    glides: [],
  };
  // The dream begins where its first act says.
  return applyValues(state, acts[0]?.values ?? {});
};

/** Write flat values at once (clamped to their ranges); paths that do not resolve are skipped. */
export const applyValues = (state: DreamState, values: Record<string, ParamValue>): DreamState => {
  let s = state;
  for (const [p, v] of Object.entries(values)) {
    try {
      const r = resolvePath(s, p);
      s = writeParam(s, r, coerce(r.spec, v, p));
    } catch {
      /* validated presets only carry resolvable paths */
    }
  }
  return s;
};

// ---- export: the current dream as a preset file ----------------------------------------------

/** Nest flat values (`mood.arousal`, `scene.sky.kind`, `dreamers.2.presence`) back into preset form. */
const nestValues = (values: Record<string, ParamValue>, dreamers: readonly Dreamer[]): Record<string, unknown> => {
  const out: Record<string, Record<string, unknown> | ParamValue> = {};
  for (const [path, v] of Object.entries(values)) {
    const parts = path.split('.');
    if (parts[0] === 'dreamers' && parts.length === 3) {
      const d = dreamers[Number(parts[1])];
      if (!d) continue;
      const group = (out.dreamers ??= {}) as Record<string, Record<string, ParamValue>>;
      (group[d.id] ??= {})[parts[2]!] = v;
    } else writeAt(out, path, v);
  }
  return out;
};

const round = (n: number): number => Math.round(n * 1e4) / 1e4;
const rounded = (v: ParamValue): ParamValue => (typeof v === 'number' ? round(v) : v);

/** What a preset file written from the state carries: what a preset may set, but not the live disturbance. */
const exported = (spec: ParamSpec): boolean => spec.preset && spec.morph !== 'keep';

/** The dream as it stands, as a preset that `npm run validate` accepts (calm: no fracture or glitch). */
export const presetFromState = (s: DreamState): Record<string, unknown> => {
  const params: Record<string, unknown> = {};
  for (const [path, spec] of Object.entries(PARAMS)) if (exported(spec)) writeAt(params, path, rounded(getParam(s, path)));
  return {
    $schema: './schema.json',
    version: PRESET_VERSION,
    id: s.preset,
    title: s.title,
    seed: s.seed,
    ...params,
    dreamers: s.dreamers.map((d, i) => {
      const fields: Record<string, unknown> = {};
      for (const [f, spec] of Object.entries(DREAMER_PARAMS)) if (exported(spec)) fields[f] = rounded(getParam(s, `dreamers.${i}.${f}`));
      return { id: d.id, name: d.name, ...(d.role ? { role: d.role } : {}), motif: d.motif, ...fields };
    }),
    acts: s.acts.map((a) => ({
      name: a.name,
      duration: a.duration,
      transition: a.transition,
      values: nestValues(a.values, s.dreamers),
      events: a.events.map((e) => ({ at: e.at, action: e.action })),
      ...(a.note ? { note: a.note } : {}),
    })),
  };
};
