import { z } from './zod.ts';
import { inspectJson } from './json-guard.ts';
import { issuesToProblems } from './preset.ts';
import type { Problem } from './preset.ts';
import { MAPPING_LIMITS, profileSchema } from './mapping-schema.ts';
import type { mappingSchema, sourceSchema, targetSchema } from './mapping-schema.ts';

/**
 * The controllers' format: a mapping ties a source (a MIDI control, an OSC address, a feature of
 * the sound the dream hears) to a target (a parameter the table marks `mappable`, or a live
 * action). A profile is the mappings of a performer's controllers, kept in the browser and
 * exported as a file; a preset may suggest some. Channels are counted 1-16, as musicians count them.
 */

export * from './mapping-schema.ts';

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
