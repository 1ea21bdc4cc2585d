import { z } from 'zod';
import { DREAMER_PARAMS, PARAMS } from './params.ts';
import type { DreamerField, GlobalPath, ParamSpec } from './params.ts';
import { CONSENTS, LIMITS, VOICES } from './state.ts';

/**
 * The preset format, written once. `presets/schema.json` is generated from it (npm run schema),
 * so an artist's editor autocompletes and underlines the same mistakes `npm run validate` reports.
 * Every object is strict: an unknown key is a typo, and typos are errors.
 */
export const PRESET_VERSION = 1;

// zod 4 compiles fast parsers with `new Function` when it can; presets are data only and our
// Content-Security-Policy forbids eval, so parse without code generation.
z.config({ jitless: true });

const specToZod = (spec: ParamSpec, description: string) => {
  switch (spec.kind) {
    case 'number': {
      const n = (spec.integer ? z.number().int() : z.number()).min(spec.min).max(spec.max);
      return n.describe(`${description}: ${spec.min} to ${spec.max}`);
    }
    case 'enum':
      return z.enum(spec.values as [string, ...string[]]).describe(description);
    case 'colour':
      return z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#7a5cff"').describe(`${description}: a colour '#rrggbb'`);
    case 'boolean':
      return z.boolean().describe(description);
  }
};

type ZodFor<S> = S extends { kind: 'number' }
  ? z.ZodNumber
  : S extends { kind: 'enum'; values: infer V extends readonly string[] }
    ? z.ZodEnum<{ [K in V[number]]: K }>
    : S extends { kind: 'colour' }
      ? z.ZodString
      : z.ZodBoolean;

/** The schema of one parameter, taken from the parameter table (ranges live there only). */
const p = <P extends GlobalPath>(path: P) => specToZod(PARAMS[path], PARAMS[path].label).optional() as unknown as z.ZodOptional<ZodFor<(typeof PARAMS)[P]>>;
const d = <F extends DreamerField>(field: F) => specToZod(DREAMER_PARAMS[field], DREAMER_PARAMS[field].label).optional() as unknown as z.ZodOptional<ZodFor<(typeof DREAMER_PARAMS)[F]>>;

// Safety belongs to the performer and the running show to the show: presets set neither.
// Acts shape the dream but do not rebuild it: tiles, pattern and restabilize time stay the preset's.
const actSettings = {
  tempo: p('tempo'),
  key: p('key'),
  mode: p('mode'),
  mood: z.strictObject({ valence: p('mood.valence'), arousal: p('mood.arousal') }).optional(),
  depth: p('depth'),
  unity: p('unity'),
  palette: z.strictObject({ deep: p('palette.deep'), haze: p('palette.haze'), glow: p('palette.glow'), accent: p('palette.accent') }).optional(),
  mosaic: z.strictObject({ fracture: p('mosaic.fracture'), glitch: p('mosaic.glitch') }).optional(),
  symphony: z.strictObject({ reverb: p('symphony.reverb'), level: p('symphony.level') }).optional(),
};
const presetSettings = {
  ...actSettings,
  mosaic: z
    .strictObject({
      tiles: p('mosaic.tiles'),
      pattern: p('mosaic.pattern'),
      fracture: p('mosaic.fracture'),
      glitch: p('mosaic.glitch'),
      restabilizeSeconds: p('mosaic.restabilizeSeconds'),
    })
    .optional(),
};

const dreamerValues = z.strictObject({ presence: d('presence'), level: d('level'), colour: d('colour'), consent: d('consent'), voice: d('voice') });

const amount = z.number().min(0).max(1);
export const eventActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('set'),
    path: z.string().min(1).max(64).describe('a parameter path, e.g. "mood.arousal" or "dreamers.lara.presence"'),
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
  colour: d('colour'),
  voice: z.enum(VOICES).optional().describe('the instrument of the dreamer in the neuro-symphony'),
  motif: z
    .array(z.union([z.number().int().min(-14).max(21), z.null()]))
    .min(1)
    .max(LIMITS.motifNotes)
    .optional()
    .describe('scale degrees from the tonic (0 = tonic); null is a rest'),
  presence: d('presence'),
  level: d('level'),
  consent: z.enum(CONSENTS).optional().describe('private: never shown or heard by the audience'),
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
});

export type PresetInput = z.input<typeof presetSchema>;
export type Preset = z.output<typeof presetSchema>;
export type DreamerInput = z.output<typeof dreamerSchema>;
export type ActInput = z.output<typeof actSchema>;
export type EventAction = z.output<typeof eventActionSchema>;

/** The JSON Schema for editors, generated from the schema above. */
export const presetJsonSchema = (): Record<string, unknown> => ({
  ...(z.toJSONSchema(presetSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>),
  title: 'dreamscape preset',
  description: 'A dreamscape preset: sparse overrides merged onto the defaults. Generated from src/model/schema.ts by `npm run schema`; do not edit.',
});
