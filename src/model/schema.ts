import { z } from './zod.ts';
import { DREAMER_PARAMS, PARAMS } from './param-table.ts';
import { pathSchema } from './path-schema.ts';
import { mappingSchema } from './mapping-schema.ts';
import type { ParamSpec, ParamTable } from './param-table.ts';
import type { DreamParams, DreamerParams } from './state.ts';
import { LIMITS } from './vocabulary.ts';

/**
 * The preset format, written once. `presets/schema.json` is generated from it (npm run schema),
 * so an artist's editor autocompletes and underlines the same mistakes `npm run validate` reports.
 * Every object is strict: an unknown key is a typo, and typos are errors. The parameters' part is
 * derived from the parameter table (param-table.ts): which rows a preset, an act or an event may
 * set, their types, ranges and descriptions.
 */
export const PRESET_VERSION = 2;


/** What an editor shows for a row: its sentence, its range and unit. */
export const describeRow = (spec: ParamSpec): string => {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  switch (spec.kind) {
    case 'number':
      return `${spec.doc} ${spec.min} to ${spec.max}${unit}${spec.integer ? ', whole numbers' : ''}.`;
    case 'colour':
      return `${spec.doc} A colour '#rrggbb'.`;
    default:
      return spec.doc;
  }
};

/** The schema of one parameter, from its row (ranges live there only). */
export const rowSchema = (spec: ParamSpec): z.ZodType => {
  const description = describeRow(spec);
  switch (spec.kind) {
    case 'number':
      return (spec.integer ? z.number().int() : z.number()).min(spec.min).max(spec.max).describe(description);
    case 'enum':
      return z.enum(spec.values as [string, ...string[]]).describe(description);
    case 'colour':
      return z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#7a5cff"').describe(description);
    case 'boolean':
      return z.boolean().describe(description);
  }
};

export type Scope = 'preset' | 'act' | 'event';

export type Shape = Record<string, z.ZodType>;

/**
 * The rows `has` picks, nested as the state holds them: top-level rows as schemas, groups as the
 * raw shape of their fields (`{ depth: …, mood: { valence: …, arousal: … } }`), in the table's order.
 */
export const rowShapes = (table: ParamTable, has: (spec: ParamSpec) => boolean, optional: boolean): Record<string, z.ZodType | Shape> => {
  const shape: Record<string, z.ZodType | Shape> = {};
  for (const [path, spec] of Object.entries(table)) {
    if (!has(spec)) continue;
    const keys = path.split('.');
    const last = keys.pop()!;
    let group = shape;
    for (const k of keys) group = (group[k] ??= {}) as Record<string, z.ZodType | Shape>;
    group[last] = optional ? rowSchema(spec).optional() : rowSchema(spec);
  }
  return shape;
};

/** Groups (at any depth) as strict objects (optional ones when the fields are). */
export const strictGroups = (shapes: Record<string, z.ZodType | Shape>, optional: boolean): Shape =>
  Object.fromEntries(
    Object.entries(shapes).map(([k, v]) => {
      if (v instanceof z.ZodType) return [k, v];
      const group = z.strictObject(strictGroups(v as Record<string, z.ZodType | Shape>, optional));
      return [k, optional ? group.optional() : group];
    }),
  );

/**
 * The rows a scope may set, nested as the state holds them and all optional:
 * `{ mood: strictObject({ valence, arousal }).optional(), depth: number().optional(), ... }`.
 */
export const paramShape = (table: ParamTable, scope: Scope): Shape => strictGroups(rowShapes(table, (spec) => spec[scope], true), true);

type DeepPartial<T> = { [K in keyof T]?: (T[K] extends object ? DeepPartial<T[K]> : T[K]) | undefined };
/** The parameters a preset or an act may carry, typed from the table (the schema checks scopes). */
export type PresetParams = DeepPartial<DreamParams>;

export { pathJsonSchema, pathSchema } from './path-schema.ts';

// Safety belongs to the performer and the running show to the show: presets set neither.
// Acts shape the dream but do not rebuild it: tiles, pattern and restabilize time stay the preset's.
const actSettings = paramShape(PARAMS, 'act');
const presetSettings = paramShape(PARAMS, 'preset');

const dreamerValues = z.strictObject(paramShape(DREAMER_PARAMS, 'act'));

const amount = z.number().min(0).max(1);
export const eventActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('set'),
    path: pathSchema('a parameter path, e.g. "mood.arousal" or "dreamers.lara.presence"', (spec) => spec.event),
    value: z.union([z.number(), z.string().max(64), z.boolean()]),
    seconds: z.number().min(0).max(600).optional().describe('glide to the value over these seconds (numbers and colours)'),
  }),
  z.strictObject({ type: z.literal('fracture'), amount: amount.optional() }),
  z.strictObject({ type: z.literal('glitch'), amount: amount.optional() }),
  z.strictObject({ type: z.literal('restabilize'), seconds: z.number().min(0.1).max(60).optional() }),
]);

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lower-case letters, digits and hyphens, at most 48');

export const dreamerSchema = z.strictObject({
  id: id.optional().describe('handle used in act values and paths; defaults to the first name in lower case'),
  name: z.string().min(1).max(64),
  role: z.string().max(96).optional(),
  motif: z
    .array(z.union([z.number().int().min(-14).max(21), z.null()]))
    .min(1)
    .max(LIMITS.motifNotes)
    .optional()
    .describe('scale degrees from the tonic (0 = tonic); null is a rest'),
  ...paramShape(DREAMER_PARAMS, 'preset'),
});

export const actValuesSchema = z.strictObject({
  ...actSettings,
  dreamers: z.record(id, dreamerValues).optional().describe('per-dreamer values, keyed by dreamer id'),
});

export const actSchema = z.strictObject({
  name: z.string().min(1).max(64),
  duration: z.number().min(1).max(3600).describe('seconds the act lasts when acts auto-advance'),
  transition: z.number().min(0).max(120).optional().describe('seconds over which the act values morph in (default 6)'),
  values: actValuesSchema.optional(),
  events: z
    .array(z.strictObject({ at: z.number().min(0).max(3600).describe('seconds into the act'), action: eventActionSchema }))
    .max(LIMITS.eventsPerAct)
    .optional(),
  note: z.string().max(500).optional(),
});

export const presetSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(PRESET_VERSION).describe('preset format version'),
  id: id.describe('the preset id, as in ?preset='),
  title: z.string().min(1).max(96).optional(),
  story: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(4294967295).optional(),
  ...presetSettings,
  dreamers: z.array(dreamerSchema).min(1).max(LIMITS.dreamers).optional(),
  acts: z.array(actSchema).min(1).max(LIMITS.acts).optional(),
  mappings: z.array(mappingSchema).max(64).optional().describe('controller mappings this preset suggests (MIDI, OSC, sound features); the performer is offered them when it loads'),
});

// The parameters' part of the schema is built from the table at run time; its type comes from the
// table too (the schema, not the type, checks which scope may set what).
type WithParams<T, P> = Omit<T, keyof P> & P;
export type PresetInput = WithParams<z.input<typeof presetSchema>, PresetParams & { dreamers?: DreamerInput[] | undefined; acts?: ActInput[] | undefined }>;
export type DreamerInput = WithParams<z.output<typeof dreamerSchema>, Partial<DreamerParams>>;
export type ActValues = PresetParams & { dreamers?: Record<string, Partial<DreamerParams>> | undefined };
export type ActInput = WithParams<z.output<typeof actSchema>, { values?: ActValues | undefined }>;
export type Preset = WithParams<z.output<typeof presetSchema>, PresetParams & { dreamers?: DreamerInput[] | undefined; acts?: ActInput[] | undefined }>;
export type EventAction = z.output<typeof eventActionSchema>;

/** The JSON Schema for editors, generated from the schema above. */
export const presetJsonSchema = (): Record<string, unknown> => ({
  ...(z.toJSONSchema(presetSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>),
  title: 'dreamscape preset',
  description: 'A dreamscape preset: sparse overrides merged onto the defaults. Generated from src/model/schema.ts by `npm run schema`; do not edit.',
});
