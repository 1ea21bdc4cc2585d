import { z } from 'zod';
import { inspectJson } from './json-guard.ts';
import { issuesToProblems } from './preset.ts';
import type { Problem } from './preset.ts';
import { pathSchema } from './schema.ts';

/**
 * The controllers' format: a mapping ties a source (a MIDI control, an OSC address, a feature of
 * the sound the dream hears) to a target (a parameter the table marks `mappable`, or a live
 * action). A profile is the mappings of a performer's controllers, kept in the browser and
 * exported as a file; a preset may suggest some. Channels are counted 1-16, as musicians count them.
 */

export const MIDI_TYPES = ['cc', 'cc14', 'note', 'pitchbend', 'program'] as const;
export const ENCODINGS = ['absolute', 'relative-twos', 'relative-offset'] as const;
export const CURVES = ['linear', 'exp', 's'] as const;
export const TAKEOVERS = ['none', 'pickup', 'scale'] as const;
export const LISTEN_FEATURES = ['level', 'bass', 'lowMid', 'highMid', 'high', 'onset', 'centroid', 'beat'] as const;
export const MAPPING_ACTIONS = ['fracture', 'glitch', 'restabilize', 'act', 'morph', 'panic', 'recover', 'tap'] as const;
export const MAPPINGS_FORMAT = 'dreamscape-mappings';
export const MAPPINGS_VERSION = 1;
export const MAPPING_LIMITS = { mappings: 512, bytes: 256 * 1024 } as const;

const midiSource = z.strictObject({
  kind: z.literal('midi'),
  type: z.enum(MIDI_TYPES),
  channel: z.number().int().min(1).max(16).describe('MIDI channel 1-16'),
  number: z.number().int().min(0).max(127).optional().describe('the CC, note or program number (cc14: the MSB controller, 0-31; its LSB is number + 32); none for pitch bend'),
  encoding: z.enum(ENCODINGS).optional().describe('absolute (default), or a relative encoder: two\'s complement (1 up, 127 down) or offset (65 up, 63 down)'),
  port: z.string().max(128).optional().describe('the controller\'s port name; without it, any port'),
});
const oscSource = z.strictObject({ kind: z.literal('osc'), address: z.string().regex(/^\/[^\s#*,?[\]{}]{0,254}$/, 'an OSC address like "/fader/1"') });
const listenSource = z.strictObject({ kind: z.literal('listen'), feature: z.enum(LISTEN_FEATURES), on: z.literal('hit').optional().describe('fire on each hit instead of following the level') });
export const sourceSchema = z.discriminatedUnion('kind', [midiSource, oscSource, listenSource]);

const actionTarget = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('fracture'), amount: z.number().min(0).max(1).optional() }),
  z.strictObject({ action: z.literal('glitch'), amount: z.number().min(0).max(1).optional() }),
  z.strictObject({ action: z.literal('restabilize'), seconds: z.number().min(0.1).max(60).optional() }),
  z.strictObject({ action: z.literal('act'), to: z.union([z.literal('next'), z.literal('prev'), z.number().int().min(0).max(127)]) }),
  z.strictObject({ action: z.literal('morph'), preset: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/), seconds: z.number().min(0).max(600).optional() }),
  z.strictObject({ action: z.literal('panic') }),
  z.strictObject({ action: z.literal('recover') }),
  z.strictObject({ action: z.literal('tap') }),
]);
export const targetSchema = z.union([pathSchema('a parameter the table marks mappable (never safety.*)', (spec) => spec.mappable), actionTarget]);

export const mappingSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().describe('given when the mapping is added'),
  source: sourceSchema,
  target: targetSchema,
  min: z.number().optional().describe('the target value at the bottom of the control (default: the parameter\'s minimum)'),
  max: z.number().optional().describe('the target value at the top of the control (default: the parameter\'s maximum)'),
  curve: z.enum(CURVES).optional().describe('linear (default), exp (fine at the bottom), s (fine at both ends)'),
  takeover: z.enum(TAKEOVERS).optional().describe('none (default: jump), pickup (wait for the control to reach the value), scale (converge), as Ableton Live names them'),
  invert: z.boolean().optional(),
});

export const profileSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(MAPPINGS_FORMAT),
  version: z.literal(MAPPINGS_VERSION),
  name: z.string().max(128).optional().describe('the controller or setup these mappings are for'),
  mappings: z.array(mappingSchema).max(MAPPING_LIMITS.mappings),
});

export type MappingSource = z.output<typeof sourceSchema>;
export type MidiSource = Extract<MappingSource, { kind: 'midi' }>;
export type MappingTarget = z.output<typeof targetSchema>;
export type ActionTarget = Exclude<MappingTarget, string>;
export type MappingInput = z.output<typeof mappingSchema>;
export type Mapping = MappingInput & { id: string };
export type Profile = z.output<typeof profileSchema>;

export type ProfileResult = { ok: true; profile: Profile } | { ok: false; problems: Problem[] };

/** Check a parsed profile (or a preset's suggested mappings) and say what is wrong where. */
export const validateProfile = (raw: unknown): ProfileResult => {
  const seen = inspectJson(raw, { maxDepth: 8, maxNodes: MAPPING_LIMITS.bytes });
  if (seen.forbidden !== null) return { ok: false, problems: [{ path: seen.forbidden, message: `the key "${seen.forbiddenKey ?? ''}" is not allowed`, expected: 'no __proto__, constructor or prototype key', found: `"${seen.forbiddenKey ?? ''}"` }] };
  if (seen.stopped !== null) return { ok: false, problems: [{ path: seen.where ?? '$', message: seen.stopped === 'depth' ? 'nested too deeply' : 'too many values', expected: 'a mappings profile', found: 'more' }] };
  const parsed = profileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error.issues) };
  const problems: Problem[] = [];
  parsed.data.mappings.forEach((m, i) => {
    if (m.min !== undefined && m.max !== undefined && typeof m.target !== 'string') problems.push({ path: `$.mappings[${i}].min`, message: 'a range is for a parameter, not an action', expected: 'no min or max', found: String(m.min) });
    if (m.source.kind === 'midi' && m.source.type !== 'pitchbend' && m.source.number === undefined) problems.push({ path: `$.mappings[${i}].source.number`, message: `a ${m.source.type} source needs its number`, expected: 'a number 0-127', found: 'nothing' });
    if (m.source.kind === 'midi' && m.source.type === 'cc14' && (m.source.number ?? 0) > 31) problems.push({ path: `$.mappings[${i}].source.number`, message: 'a 14-bit CC is an MSB controller 0-31 (its LSB is number + 32)', expected: '0 to 31', found: String(m.source.number) });
  });
  return problems.length ? { ok: false, problems } : { ok: true, profile: parsed.data };
};

/** The JSON Schema of a profile file, for editors (npm run schema writes docs/mappings.schema.json). */
export const profileJsonSchema = (): Record<string, unknown> => ({
  ...(z.toJSONSchema(profileSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>),
  title: 'dreamscape mappings',
  description: 'Controller mappings: MIDI, OSC and sound features onto the dream\'s parameters and live actions. Generated from src/model/mapping.ts by `npm run schema`; do not edit.',
});

/** A stable key for a source (what a control is), to find its mappings fast. */
export const sourceKey = (s: MappingSource): string => {
  switch (s.kind) {
    case 'midi':
      return `midi:${s.type}:${s.channel}:${s.type === 'pitchbend' ? '-' : String(s.number ?? 0)}`;
    case 'osc':
      return `osc:${s.address}`;
    case 'listen':
      return `listen:${s.feature}${s.on ? `:${s.on}` : ''}`;
  }
};
