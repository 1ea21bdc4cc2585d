import { z } from './zod.ts';
import { reduce } from './actions.ts';
import type { DreamAction } from './actions.ts';
import { inspectJson } from './json-guard.ts';
import { issuesToProblems, migratePreset, resolvePreset, validatePreset } from './preset.ts';
import type { Problem } from './preset.ts';
import { eventActionSchema, pathSchema, presetSchema } from './schema.ts';
import type { Preset } from './schema.ts';
import { LIMITS } from './state.ts';
import type { DreamState } from './state.ts';
import { advanceTimeline, TICK_SECONDS, TIME_SNAP, timelineOf, viewOf } from './timeline.ts';
import type { Timeline } from './timeline.ts';

/**
 * A show is a log: the preset it began from (as validated), the seed, and every action of the
 * performance, each with the dream time at which it applied and the input it came from. The model
 * is pure and its time moves in whole steps, so nothing else is needed to replay it exactly.
 *
 * Continuous values (faders, CCs, sound features) are the coalesced value of each frame. Frames
 * that follow one another with nothing discrete between them are kept as one `sweep`: per path,
 * the steps between values and the values (rounded to 1e-6 at the input, so what is kept is what
 * was applied). A fader moved for an hour at 60 frames a second is ~2.6 MB.
 */
export const SHOW_LOG_FORMAT = 'dreamscape-show';
export const SHOW_LOG_VERSION = 1;

export const SOURCES = ['key', 'panel', 'cue', 'script', 'remote', 'midi', 'osc', 'listen', 'replay', 'file'] as const;
export type Source = (typeof SOURCES)[number];

/** A run of continuous values of one parameter from one source. */
export interface SweepTrack {
  path: string;
  source: Source;
  /** Steps (of TICK_SECONDS) after the previous value; the first after the entry's t. */
  steps: number[];
  values: number[];
}

/** What a log entry holds: the model's actions but its internal morph, or a sweep. */
export type LogAction = Exclude<DreamAction, { type: 'morph' }> | { type: 'sweep'; tracks: SweepTrack[] };

export interface LogEntry {
  /** Dream time (s) of the step at which it applied. */
  t: number;
  source: Source;
  action: LogAction;
}

export interface ShowLog {
  format: typeof SHOW_LOG_FORMAT;
  version: typeof SHOW_LOG_VERSION;
  preset: Preset;
  seed: number;
  /** The tile count the show ran at, when the performer chose one (?tiles=). */
  tiles?: number;
  entries: LogEntry[];
}

export const SHOW_LOG_LIMITS = {
  bytes: 16 * 1024 * 1024,
  entries: 200_000,
  tracks: 64,
  valuesPerTrack: 20_000,
  /** A show of at most a day. */
  seconds: 86_400,
  /** Presets loaded during a show, each carried whole. */
  presets: 256,
} as const;

/** Values a continuous input gives are rounded to this, so a log keeps exactly what was applied. */
export const MODULATE_RESOLUTION = 1e-6;
export const roundModulation = (v: number): number => Math.round(v / MODULATE_RESOLUTION) / (1 / MODULATE_RESOLUTION);

// ---- the schema ----------------------------------------------------------------------------------

const time = z.number().min(0).max(SHOW_LOG_LIMITS.seconds);
const source = z.enum(SOURCES);
const [, fractureSchema, glitchSchema, restabilizeSchema] = eventActionSchema.options;
const liveAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('set'),
    path: pathSchema('a parameter path, e.g. "mood.arousal" or "dreamers.lara.presence"', () => true),
    value: z.union([z.number(), z.string().max(64), z.boolean()]),
    seconds: z.number().min(0).max(600).optional(),
    confirm: z.boolean().optional().describe('the performer confirmed turning the flash guard off'),
  }),
  fractureSchema,
  glitchSchema,
  restabilizeSchema,
  z.strictObject({ type: z.literal('act'), to: z.union([z.literal('next'), z.literal('prev'), z.number().int().min(0).max(LIMITS.acts - 1)]) }),
  z.strictObject({ type: z.literal('panic') }),
  z.strictObject({ type: z.literal('recover') }),
  z.strictObject({ type: z.literal('tempo'), bpm: z.number().min(1).max(1000).describe('beats a minute (clamped to the tempo\'s range)'), phase: z.number().min(0).max(1).optional().describe('how far into a beat the dream is when it applies') }),
  z.strictObject({ type: z.literal('modulate'), path: pathSchema('a continuous parameter path', (spec) => spec.continuous), value: z.number() }),
  z.strictObject({
    type: z.literal('preset'),
    preset: presetSchema,
    seconds: z.number().min(0).max(600).describe('morph over these seconds; 0 switches at once'),
    seed: z.number().int().min(0).max(4294967295).optional(),
    tiles: z.number().int().min(1).max(LIMITS.tiles).optional(),
  }),
  z.strictObject({
    type: z.literal('revise'),
    preset: presetSchema,
    seconds: z.number().min(0).max(600),
    tiles: z.number().int().min(1).max(LIMITS.tiles).optional(),
  }),
  z.strictObject({
    type: z.literal('sweep'),
    tracks: z
      .array(
        z.strictObject({
          path: pathSchema('a continuous parameter path', (spec) => spec.continuous),
          source,
          steps: z.array(z.number().int().min(0).max(SHOW_LOG_LIMITS.seconds / TICK_SECONDS)).max(SHOW_LOG_LIMITS.valuesPerTrack),
          values: z.array(z.number()).max(SHOW_LOG_LIMITS.valuesPerTrack),
        }),
      )
      .min(1)
      .max(SHOW_LOG_LIMITS.tracks)
      .describe('continuous values, frame by frame: per path, steps of 1/120 s after the previous value, and the values'),
  }),
]);

export const showLogSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(SHOW_LOG_FORMAT),
  version: z.literal(SHOW_LOG_VERSION).describe('show log format version'),
  preset: presetSchema.describe('the preset the show began from'),
  seed: z.number().int().min(0).max(4294967295),
  tiles: z.number().int().min(1).max(LIMITS.tiles).optional(),
  entries: z
    .array(z.strictObject({ t: time.describe('dream time (s) at which it applied'), source: source.describe('the input it came from'), action: liveAction }))
    .max(SHOW_LOG_LIMITS.entries),
});

/** The JSON Schema for editors, generated from the schema above. */
export const showLogJsonSchema = (): Record<string, unknown> => ({
  ...(z.toJSONSchema(showLogSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>),
  title: 'dreamscape show log',
  description: 'A performance: the preset it began from, the seed, and every action with its dream time and source. Generated from src/model/show-log.ts by `npm run schema`; do not edit.',
});

// ---- validation and migration ------------------------------------------------------------------------

export type ShowLogResult = { ok: true; log: ShowLog } | { ok: false; problems: Problem[] };

/** LOG_MIGRATIONS[n] turns a version-n log into version n+1. Format 1 is the first. */
export const LOG_MIGRATIONS: Readonly<Record<number, (log: Record<string, unknown>) => Record<string, unknown>>> = {};

const problem = (path: string, message: string, expected: string, found: string): ShowLogResult => ({ ok: false, problems: [{ path, message, expected, found }] });

/** A preset of an older format in a log is brought up to this one (a format-1 preset gets its v1 look); one that cannot be is left for the schema to report. */
const migrated = (preset: unknown): unknown => {
  const r = migratePreset(preset);
  return r.ok ? r.value : preset;
};

/** The log with its starting preset and every loaded or revised one in the current preset format. */
const withPresetsMigrated = (log: Record<string, unknown>): Record<string, unknown> => {
  const entries = Array.isArray(log.entries)
    ? log.entries.map((e: unknown) => {
        const action = (e as { action?: { type?: unknown; preset?: unknown } } | null)?.action;
        return action && (action.type === 'preset' || action.type === 'revise') ? { ...(e as object), action: { ...action, preset: migrated(action.preset) } } : e;
      })
    : log.entries;
  return { ...log, preset: migrated(log.preset), entries };
};

/** Check a parsed log: keys and depth, version (migrated), its presets' formats (migrated), schema, then what the schema cannot see. */
export const validateShowLog = (raw: unknown): ShowLogResult => {
  const seen = inspectJson(raw, { maxDepth: LIMITS.jsonDepth + 4, maxNodes: SHOW_LOG_LIMITS.bytes });
  if (seen.forbidden !== null) return problem(seen.forbidden, `the key "${seen.forbiddenKey ?? ''}" is not allowed in a show log`, 'no __proto__, constructor or prototype key', `"${seen.forbiddenKey ?? ''}"`);
  if (seen.stopped !== null) return problem('$', seen.stopped === 'depth' ? 'nested too deeply' : 'too many values', seen.stopped === 'depth' ? `at most ${LIMITS.jsonDepth + 4} levels` : `at most ${SHOW_LOG_LIMITS.bytes} values`, 'more');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return problem('$', 'a show log is a JSON object', 'an object', typeof raw);
  let log = raw as Record<string, unknown>;
  if (log.format !== SHOW_LOG_FORMAT) return problem('$.format', `not a show log (a preset? open it with Import)`, `"${SHOW_LOG_FORMAT}"`, JSON.stringify(log.format) ?? 'nothing');
  const v = log.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return problem('$.version', 'a show log has a format version', `an integer from 1 to ${SHOW_LOG_VERSION}`, JSON.stringify(v) ?? 'nothing');
  if (v > SHOW_LOG_VERSION) return problem('$.version', `made by a newer dreamscape (format ${v}); this one reads up to ${SHOW_LOG_VERSION}`, `at most ${SHOW_LOG_VERSION}`, String(v));
  for (let from = v; from < SHOW_LOG_VERSION; from++) {
    const m = LOG_MIGRATIONS[from];
    if (!m) return problem('$.version', `no migration from format ${from}`, `format ${SHOW_LOG_VERSION}`, String(v));
    log = { ...m(log), version: from + 1 };
  }
  const parsed = showLogSchema.safeParse(withPresetsMigrated(log), { reportInput: true });
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error.issues) };
  const problems: Problem[] = [];
  const start = validatePreset(parsed.data.preset);
  if (!start.ok) problems.push(...start.problems.map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.preset') })));
  let last = 0;
  let presets = 0;
  parsed.data.entries.forEach((e, i) => {
    if (e.t < last) problems.push({ path: `$.entries[${i}].t`, message: 'entries are in the order they happened', expected: `at least ${last}`, found: String(e.t) });
    last = Math.max(last, e.t);
    if (e.action.type === 'preset' || e.action.type === 'revise') {
      if (e.action.type === 'preset') presets++;
      const r = validatePreset(e.action.preset);
      if (!r.ok) problems.push(...r.problems.map((p) => ({ ...p, path: p.path.replace(/^\$/, `$.entries[${i}].action.preset`) })));
    }
    if (e.action.type === 'sweep')
      e.action.tracks.forEach((tr, k) => {
        if (tr.steps.length !== tr.values.length) problems.push({ path: `$.entries[${i}].action.tracks[${k}]`, message: 'a track has one step count per value', expected: `${tr.values.length} steps`, found: `${tr.steps.length}` });
      });
  });
  if (presets > SHOW_LOG_LIMITS.presets) problems.push({ path: '$.entries', message: 'too many presets loaded in one show', expected: `at most ${SHOW_LOG_LIMITS.presets}`, found: String(presets) });
  return problems.length ? { ok: false, problems } : { ok: true, log: parsed.data as ShowLog };
};

/** Validate a log file's text: size first, a byte-order mark allowed, then JSON, then the schema. */
export const validateShowLogText = (input: string): ShowLogResult => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.length > SHOW_LOG_LIMITS.bytes) return problem('$', `file too large: ${text.length} characters`, `at most ${SHOW_LOG_LIMITS.bytes} (16 MB)`, `${text.length}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return problem('$', `not valid JSON: ${err instanceof Error ? err.message : String(err)}`, 'JSON', 'a syntax error');
  }
  return validateShowLog(raw);
};

// ---- replay: the model alone -----------------------------------------------------------------------

/** Where a replay is in its log: the next entry, and how far into a sweep's tracks. */
export interface LogCursor {
  index: number;
  /** For the sweep at `index`: per track, how many values were applied and the step of the last. */
  applied: number[];
  steps: number[];
}

const HALF_STEP = TICK_SECONDS / 2;

/** The entries a replay has applied up to its cursor: a sweep under way is cut where it stands. */
export const entriesBefore = (log: ShowLog, cursor: LogCursor): LogEntry[] => {
  const out = log.entries.slice(0, cursor.index);
  const e = log.entries[cursor.index];
  if (e && e.action.type === 'sweep' && cursor.applied.some((n) => n > 0)) {
    const tracks = e.action.tracks
      .map((tr, k) => ({ ...tr, steps: tr.steps.slice(0, cursor.applied[k] ?? 0), values: tr.values.slice(0, cursor.applied[k] ?? 0) }))
      .filter((tr) => tr.values.length > 0);
    out.push({ ...e, action: { type: 'sweep', tracks } });
  }
  return out;
};

/** The dream time of a log's last entry (a sweep's last value included). */
export const logDuration = (log: ShowLog): number => {
  let end = 0;
  for (const e of log.entries) {
    end = Math.max(end, e.t);
    if (e.action.type === 'sweep') for (const tr of e.action.tracks) end = Math.max(end, e.t + tr.steps.reduce((a, b) => a + b, 0) * TICK_SECONDS);
  }
  return end;
};

/** The dream a log begins with. */
export const logStart = (log: ShowLog): DreamState => resolvePreset(log.preset, { seed: log.seed, ...(log.tiles === undefined ? {} : { tiles: log.tiles }) });

/** An entry as the model applies it; one the model refuses (as it was refused live) changes nothing. */
export const applyLogAction = (s: DreamState, a: Exclude<LogAction, { type: 'sweep' }>): DreamState => {
  try {
    return reduce(s, a);
  } catch {
    return s;
  }
};

/** Apply every entry due at the base's time, in the order they happened, moving the cursor. */
export const applyDue = (log: ShowLog, cursor: LogCursor, base: DreamState, apply = applyLogAction): DreamState => {
  let s = base;
  const now = base.clock + HALF_STEP;
  for (;;) {
    const e = log.entries[cursor.index];
    if (!e || e.t > now) return s;
    if (e.action.type !== 'sweep') {
      s = apply(s, e.action);
      cursor.index++;
      continue;
    }
    const tracks = e.action.tracks;
    if (cursor.applied.length !== tracks.length) {
      cursor.applied = tracks.map(() => 0);
      cursor.steps = tracks.map(() => 0);
    }
    let done = true;
    for (let k = 0; k < tracks.length; k++) {
      const tr = tracks[k]!;
      while (cursor.applied[k]! < tr.values.length) {
        const step = cursor.steps[k]! + tr.steps[cursor.applied[k]!]!;
        if (e.t + step * TICK_SECONDS > now) break;
        s = apply(s, { type: 'modulate', path: tr.path, value: tr.values[cursor.applied[k]!]! });
        cursor.steps[k] = step;
        cursor.applied[k]!++;
      }
      if (cursor.applied[k]! < tr.values.length) done = false;
    }
    if (!done) return s;
    cursor.index++;
    cursor.applied = [];
    cursor.steps = [];
  }
};

export const newCursor = (): LogCursor => ({ index: 0, applied: [], steps: [] });
export const copyCursor = (c: LogCursor): LogCursor => ({ index: c.index, applied: [...c.applied], steps: [...c.steps] });

/** The timeline of a log at dream time `t`, from a known point (the start, or a kept snapshot). */
export const replayTo = (
  log: ShowLog,
  t: number,
  from: { tl: Timeline; cursor: LogCursor } = { tl: timelineOf(logStart(log)), cursor: newCursor() },
  apply = applyLogAction,
): { tl: Timeline; cursor: LogCursor } => {
  const cursor = copyCursor(from.cursor);
  const due = (b: DreamState) => applyDue(log, cursor, b, apply);
  let tl: Timeline = from.tl;
  const dt = t - (tl.base.clock + tl.ahead);
  if (dt > 0) tl = advanceTimeline(tl, dt, due);
  // Past a step, what was done at it is done. Exactly at a step, the state is the one before
  // anything done there, as a live show is seen at a step before anyone acts on it.
  if (tl.ahead > TIME_SNAP) tl = { ...tl, base: due(tl.base) };
  return { tl, cursor };
};

/** The dream of a log at dream time `t` (the model alone: for Node, tests and the renderer). */
export const logStateAt = (log: ShowLog, t: number): DreamState => viewOf(replayTo(log, t).tl);
