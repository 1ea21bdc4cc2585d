import { z } from './zod.ts';
import { pathSchema } from './path-schema.ts';

/**
 * The mappings' schemas (the format is described in mapping.ts). Apart from mapping.ts so the
 * preset schema can carry a preset's suggested mappings without an import cycle: schema.ts and
 * mapping.ts both import this file, and it imports only the path schema.
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
  attack: z.number().min(0).max(10_000).optional().describe('smoothing as the control rises: a time constant in ms (0 or none: at once); for sound features'),
  release: z.number().min(0).max(10_000).optional().describe('smoothing as the control falls: a time constant in ms (0 or none: at once); for sound features'),
  gate: z.number().min(0).max(1).optional().describe('below this position the control reads 0 (a hit does not fire), above it the rest of its travel is 0..1; for sound features'),
});

export const profileSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(MAPPINGS_FORMAT),
  version: z.literal(MAPPINGS_VERSION),
  name: z.string().max(128).optional().describe('the controller or setup these mappings are for'),
  mappings: z.array(mappingSchema).max(MAPPING_LIMITS.mappings),
});

