import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { profileJsonSchema } from '../../src/model/mapping.ts';

// docs/mappings.schema.json as an editor reads it (ajv, not zod), and that it is what
// `npm run schema` writes from src/model/mapping.ts today.
const file = JSON.parse(readFileSync(new URL('../../docs/mappings.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(file);
const errorsAt = (value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e) => e.instancePath));

describe('docs/mappings.schema.json', () => {
  it('is the generated schema (npm run schema)', () => {
    expect(file).toEqual(JSON.parse(JSON.stringify(profileJsonSchema())));
  });

  it('accepts a profile with every kind of source and target, and underlines mistakes where they are', () => {
    const good = {
      format: 'dreamscape-mappings',
      version: 1,
      mappings: [
        { source: { kind: 'midi', type: 'cc', channel: 1, number: 7, port: 'nanoKONTROL2' }, target: 'mood.arousal', curve: 's', takeover: 'pickup' },
        { source: { kind: 'midi', type: 'cc14', channel: 16, number: 1 }, target: 'dreamers.lara.presence', min: 0.2, max: 0.8 },
        { source: { kind: 'midi', type: 'cc', channel: 2, number: 16, encoding: 'relative-twos' }, target: 'unity', invert: true },
        { source: { kind: 'midi', type: 'pitchbend', channel: 1 }, target: 'depth' },
        { source: { kind: 'midi', type: 'note', channel: 10, number: 36 }, target: { action: 'fracture', amount: 0.5 } },
        { source: { kind: 'midi', type: 'program', channel: 1, number: 3 }, target: { action: 'act', to: 2 } },
        { source: { kind: 'osc', address: '/fader/1' }, target: { action: 'morph', preset: 'dream-hub', seconds: 8 } },
        { source: { kind: 'listen', feature: 'onset', on: 'hit' }, target: { action: 'tap' } },
      ],
    };
    expect(errorsAt(good)).toEqual([]);
    const bad = { ...good, mappings: [{ source: { kind: 'midi', type: 'cc', channel: 17, number: 7 }, target: 'safety.flashGuard', curve: 'cubic' }] };
    const at = errorsAt(bad);
    expect(at).toContain('/mappings/0/source/channel');
    expect(at).toContain('/mappings/0/curve');
    expect(at.some((p) => p.startsWith('/mappings/0/target'))).toBe(true);
  });
});
