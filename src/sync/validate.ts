import { z } from '../model/zod.ts';
import { DREAMER_PARAMS, eventActionSchema, inspectJson, isContinuous, LIMITS, PARAMS, pathStep, rowShapes, strictGroups } from '../model/index.ts';
import type { ParamSpec, Shape } from '../model/index.ts';
import type { DreamState } from '../model/index.ts';
import { PROTOCOL } from './protocol.ts';
import type { ClockReply, ClockRequest, ParamsMessage, PatchMessage, SyncMessage } from './protocol.ts';

/**
 * Every message that comes in is checked like a preset before it touches the store: a state
 * message and the dream it carries, a hello, a presence, a clock request or reply. Over the relay
 * its size is checked before it is parsed (bytes); over a BroadcastChannel it arrives as a
 * structured-clone object, so its depth and size are measured by walking it with an explicit
 * stack (never recursion) before the schema runs, and keys that reach an object's prototype
 * (`__proto__`, `constructor`, `prototype`) are refused anywhere. A dream state is not a preset:
 * it has the generator state, glides, a running show, a morph with a nested target (one level
 * deep at most). Its numbers are finite and within the parameter table's ranges, its lists
 * within the presets' limits (LIMITS), its strings bounded, `seq` a safe integer.
 */


/**
 * The largest state message taken from the relay (bytes): the relay's max_payload (1 MB). A
 * bundled preset's is ~6 KB, but a valid preset at every limit makes a state of ~565 KB, twice
 * that mid-morph less what the projection leaves out (relay/nats-server.conf).
 */
export const MAX_STATE_BYTES = 1024 * 1024;
/** A clock request is ~80 bytes: anything much larger is not one. */
export const MAX_CLOCK_BYTES = 256;
/** Nesting of a state message: the dream at 2, a morph target's act event action at 8. */
export const MAX_MESSAGE_DEPTH = 12;
/**
 * Values in one message: a full dream-temple state is ~1,500; a preset at every limit (128 acts
 * of 256 events) ~240,000, twice that mid-morph.
 */
export const MAX_MESSAGE_NODES = 600_000;
/** Ids of devices and performers: crypto.randomUUID(), or the fallback `w…` of an insecure page. */
export const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** Reply subjects the performer answers: nats-core's default inbox prefix. */
export const INBOX_PATTERN = /^_INBOX\.[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,3}$/;

export interface Rejection {
  /** What was wrong. */
  message: string;
  /** Where (JSON path, `$` for the whole message). */
  path: string;
}

/**
 * Depth, size and forbidden keys of a parsed or structured-clone value (the model's walk, with an
 * explicit stack): a 120,000-deep value is refused at depth `maxDepth + 1` without a stack frame
 * per level.
 */
export const inspectShape = (value: unknown, maxDepth = MAX_MESSAGE_DEPTH, maxNodes = MAX_MESSAGE_NODES): Rejection | null => {
  const r = inspectJson(value, { maxDepth, maxNodes });
  const path = r.where ?? '$';
  if (r.forbiddenKey !== null) return { message: `forbidden key "${r.forbiddenKey}"`, path };
  switch (r.stopped) {
    case 'depth':
      return { message: `nested deeper than ${maxDepth} levels`, path };
    case 'nodes':
      return { message: `more than ${maxNodes} values (the count ran out here)`, path };
    case 'not plain':
      return { message: 'not a plain object', path };
    default:
      return null;
  }
};

// ---- schemas ------------------------------------------------------------------------------------

const range = (min: number, max: number) => z.number().min(min).max(max);
const unit = range(0, 1);
const uint32 = z.number().int().min(0).max(4294967295);
/** Seconds of dream time: a year's show is 3.2e7. */
const time = range(0, 1e10);
const dreamerId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/);
const path = z.string().min(1).max(64);
const paramValue = z.union([z.number(), z.string().max(64), z.boolean()]);
/** Flat values: every global parameter and every field of every dreamer at most. */
const MAX_VALUES = Object.keys(PARAMS).length + LIMITS.dreamers * Object.keys(DREAMER_PARAMS).length;
const flatValues = z.record(path, paramValue).refine((r) => Object.keys(r).length <= MAX_VALUES, { message: `at most ${MAX_VALUES} values` });

const dreamerSchema = z.strictObject({
  id: dreamerId,
  name: z.string().max(64),
  role: z.string().max(96),
  motif: z.array(z.union([z.number().int().min(-14).max(21), z.null()])).max(LIMITS.motifNotes),
  ...(rowShapes(DREAMER_PARAMS, () => true, false) as Shape),
});

const actSchema = z.strictObject({
  name: z.string().max(64),
  duration: range(0, 3600),
  transition: range(0, 120),
  values: flatValues,
  events: z.array(z.strictObject({ at: range(0, 3600), action: eventActionSchema })).max(LIMITS.eventsPerAct),
  note: z.string().max(500),
});
const actsSchema = z.array(actSchema).max(LIMITS.acts);

// The parameters, from the table (every row, in its range); the model's own fields beside them.
const { mosaic: mosaicParams, show: showParams, ...params } = rowShapes(PARAMS, () => true, false) as Record<string, Shape>;
const dreamFields = {
  preset: z.string().min(1).max(64),
  title: z.string().max(96),
  seed: uint32,
  rng: uint32,
  clock: time,
  beat: range(0, 1e12),
  flow: range(0, 1e12),
  cameraTime: range(0, 1e12),
  ...strictGroups(params, false),
  dreamers: z.array(dreamerSchema).min(1).max(LIMITS.dreamers),
  mosaic: z.strictObject({
    ...mosaicParams,
    stability: unit,
    recoil: range(-1, 1),
    restabilize: z.strictObject({ from: z.strictObject({ fracture: unit, glitch: unit }), seconds: range(0, 600), elapsed: time }).nullable(),
    epicentre: z.tuple([range(-2, 2), range(-2, 2)]),
    fractureSeed: uint32,
    glitchSeed: uint32,
  }),
  acts: actsSchema,
  show: z.strictObject({ ...showParams, index: z.number().int().min(0).max(LIMITS.acts - 1), elapsed: time, fired: z.number().int().min(0).max(LIMITS.eventsPerAct) }),
  output: z.strictObject({ panic: z.boolean(), fade: unit }),
  glides: z.array(z.strictObject({ path, from: z.union([z.number(), z.string().max(64)]), to: z.union([z.number(), z.string().max(64)]), seconds: range(0, 600), elapsed: time })).max(MAX_VALUES),
};

const morphFields = { from: flatValues, to: flatValues, seconds: range(0, 600), elapsed: time, switched: z.boolean() };
/** A morph's target: a whole dream whose own morph is null (one level deep at most). */
const targetSchema = z.strictObject({ ...dreamFields, morph: z.null() });
const morphSchema = z.strictObject({ ...morphFields, target: targetSchema.nullable() }).nullable();

/** The dream a state message carries; its acts only on heartbeats, greetings and when they changed. */
export const messageDreamSchema = z.strictObject({ ...dreamFields, acts: actsSchema.optional(), scene: (dreamFields as unknown as { scene: z.ZodType }).scene.optional(), morph: morphSchema }) as unknown as z.ZodType<Omit<DreamState, 'acts' | 'scene'> & { acts?: DreamState['acts'] | undefined; scene?: DreamState['scene'] | undefined }>;

/** A whole dream-state as it is applied on a device. */
export const dreamStateSchema = z.strictObject({ ...dreamFields, morph: morphSchema }) as unknown as z.ZodType<DreamState>;

const protocol = z.literal(PROTOCOL);
const wallMs = range(-1e15, 1e15);

export const stateMessageSchema = z.strictObject({
  kind: z.literal('state'),
  protocol,
  from: z.string().regex(ID_PATTERN),
  seq: z.number().int().min(1),
  clock: time,
  sentAt: wallMs,
  clockAt: wallMs,
  /** The wall time (ms) at which this performer took the room over explicitly (0: never). */
  takeover: range(0, 1e15).optional(),
  /** When this performer first joined the room (wall ms); the oldest live one holds it. */
  since: range(0, 1e15).optional(),
  standby: z.boolean().optional(),
  actsKey: z.string().max(32),
  sceneKey: z.string().max(32),
  dream: messageDreamSchema,
  audio: z.enum(['audience', 'performer']),
  devices: z.union([z.literal('all'), z.array(z.string().max(64)).max(LIMITS.dreamers)]),
});

/**
 * A patch: some top-level fields of the dream, each checked as in a state (the acts too, when
 * they come); at least one. A device merges them into a dream that was whole and valid.
 */
export const patchSchema = z.strictObject({
  kind: z.literal('patch'),
  protocol,
  from: z.string().regex(ID_PATTERN),
  seq: z.number().int().min(1),
  sentAt: wallMs,
  actsKey: z.string().max(32),
  sceneKey: z.string().max(32),
  dream: z
    .strictObject({ ...dreamFields, morph: morphSchema })
    .partial()
    .refine((d) => Object.keys(d).length > 0, { message: 'an empty patch' }),
});

/** The range of a continuous parameter path as the performer sends it (index form), or null. */
const continuousRange = (path: string): { min: number; max: number } | null => {
  const spec = (Object.prototype.hasOwnProperty.call(PARAMS, path) ? PARAMS[path as keyof typeof PARAMS] : null) as ParamSpec | null;
  if (spec) return spec.kind === 'number' && isContinuous({ path, spec }) ? { min: spec.min, max: spec.max } : null;
  const m = /^dreamers\.(0|[1-9]\d{0,2})\.([a-z]+)$/.exec(path);
  if (!m || Number(m[1]) >= LIMITS.dreamers || !Object.prototype.hasOwnProperty.call(DREAMER_PARAMS, m[2]!)) return null;
  const f = DREAMER_PARAMS[m[2] as keyof typeof DREAMER_PARAMS] as ParamSpec;
  return f.kind === 'number' && isContinuous({ path, spec: f }) ? { min: f.min, max: f.max } : null;
};

/**
 * Params: continuous values by path, each a known continuous parameter (index form for dreamers)
 * within its range; at least one, at most every such path there is.
 */
export const paramsSchema = z.strictObject({
  kind: z.literal('params'),
  protocol,
  from: z.string().regex(ID_PATTERN),
  seq: z.number().int().min(1),
  sentAt: wallMs,
  values: z.record(z.string().max(64), z.number()).superRefine((r, ctx) => {
    const keys = Object.keys(r);
    if (keys.length === 0 || keys.length > MAX_VALUES) ctx.addIssue({ code: 'custom', message: `${keys.length} values: 1 to ${MAX_VALUES}` });
    for (const k of keys) {
      const range = continuousRange(k);
      const v = r[k]!;
      if (!range) ctx.addIssue({ code: 'custom', message: `not a continuous parameter: ${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}`, path: [k] });
      else if (!(v >= range.min && v <= range.max)) ctx.addIssue({ code: 'custom', message: `${v} is out of range ${range.min}..${range.max}`, path: [k] });
    }
  }),
});

export const helloSchema = z.strictObject({ kind: z.literal('hello'), protocol, id: z.string().regex(ID_PATTERN) });
export const presenceSchema = z.strictObject({ kind: z.literal('presence'), protocol, id: z.string().regex(ID_PATTERN), leaving: z.boolean().optional() });
export const clockRequestSchema = z.strictObject({ kind: z.literal('clock'), protocol, id: z.string().regex(ID_PATTERN) });
export const clockReplySchema = z.strictObject({ kind: z.literal('clock'), protocol, t: wallMs });

// The messages' own schemas must describe their types exactly (the typecheck fails first). The
// dream's part is built from the parameter table at run time, so tests/sync/validate.test.ts checks
// that every bundled preset's dream, and one mid-morph, parse with no key missing or extra.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameKeys: [
  Same<z.output<typeof clockRequestSchema>, ClockRequest>,
  Same<keyof z.output<typeof patchSchema>, keyof PatchMessage>,
  Same<z.output<typeof paramsSchema>, ParamsMessage>,
  Same<z.output<typeof clockReplySchema>, ClockReply>,
] = [true, true, true, true];
void sameKeys;

// ---- checking -----------------------------------------------------------------------------------

export type Checked<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

const pathOf = (p: readonly PropertyKey[]): string => p.reduce<string>((acc, k) => pathStep(acc, typeof k === 'number' ? k : String(k)), '$');

const bySchema = <T>(schema: z.ZodType, value: unknown): Checked<T> => {
  const shape = inspectShape(value);
  if (shape) return { ok: false, rejection: shape };
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data as T };
  const issue = r.error.issues[0]!;
  return { ok: false, rejection: { message: issue.message, path: pathOf(issue.path) } };
};

const kindOf = (m: unknown): unknown => (typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as { kind?: unknown }).kind : undefined);

const SCHEMAS: Record<SyncMessage['kind'], z.ZodType> = { state: stateMessageSchema, patch: patchSchema, params: paramsSchema, hello: helloSchema, presence: presenceSchema };

/** A sync message (state, patch, params, hello or presence) from a window or the relay, checked whole. */
export const checkSyncMessage = (m: unknown): Checked<SyncMessage> => {
  const kind = kindOf(m);
  const schema = typeof kind === 'string' && Object.prototype.hasOwnProperty.call(SCHEMAS, kind) ? SCHEMAS[kind as SyncMessage['kind']] : null;
  if (!schema) return { ok: false, rejection: { message: `not a sync message (kind ${typeof kind === 'string' ? JSON.stringify(kind.slice(0, 20)) : typeof kind})`, path: '$.kind' } };
  return bySchema<SyncMessage>(schema, m);
};

export const checkClockRequest = (m: unknown): Checked<ClockRequest> => bySchema<ClockRequest>(clockRequestSchema, m);
export const checkClockReply = (m: unknown): Checked<ClockReply> => bySchema<ClockReply>(clockReplySchema, m);

const textDecoder = new TextDecoder();

/** Bytes from the relay: size first, then JSON, then the check. */
export const checkBytes = <T>(data: Uint8Array, maxBytes: number, check: (m: unknown) => Checked<T>): Checked<T> => {
  if (data.length > maxBytes) return { ok: false, rejection: { message: `${data.length} bytes, more than ${maxBytes}`, path: '$' } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(textDecoder.decode(data)) as unknown;
  } catch {
    return { ok: false, rejection: { message: 'not JSON', path: '$' } };
  }
  return check(parsed);
};

// ---- one console line ---------------------------------------------------------------------------

/** At most one line a second: a flood of bad messages does not flood the console. */
export const WARN_EVERY_MS = 1000;

export interface DropReporter {
  (what: string, rejection: Rejection): void;
  /** Messages dropped so far. */
  readonly count: () => number;
}

export const createDropReporter = (warn: (line: string) => void = (line) => console.warn(line), now: () => number = () => Date.now()): DropReporter => {
  let count = 0;
  let lastLine = Number.NEGATIVE_INFINITY;
  let silenced = 0;
  const report = ((what: string, r: Rejection) => {
    count++;
    const t = now();
    if (t - lastLine < WARN_EVERY_MS) {
      silenced++;
      return;
    }
    lastLine = t;
    const more = silenced ? ` (and ${silenced} more dropped since the last line)` : '';
    silenced = 0;
    warn(`dreamscape: dropped a ${what}: ${r.path}: ${r.message}${more}`);
  }) as DropReporter;
  (report as { count: () => number }).count = () => count;
  return report;
};

/** The page's reporter (every carrier of this page shares it). */
export const reportDropped = createDropReporter();
