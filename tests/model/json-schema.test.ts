import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { PARAMS } from '../../src/model/index.ts';

// What an artist's editor sees: the generated JSON Schemas, read by a standard validator (ajv),
// not by zod. Paths in events and show logs come from the parameter table.
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
const presetsDir = new URL('../../presets/', import.meta.url);
const ajv = new Ajv2020({ allErrors: true, strict: false });
const preset = ajv.compile(read(new URL('schema.json', presetsDir)));
const showLog = ajv.compile(read(new URL('../../docs/show-log.schema.json', import.meta.url)));

const temple = read(new URL('dream-temple.json', presetsDir));
const withEvent = (action: Record<string, unknown>) => ({ ...temple, acts: [{ name: 'A', duration: 10, events: [{ at: 1, action }] }] });
const errorsAt = (validate: typeof preset, value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e) => e.instancePath));

describe('the generated JSON Schemas, read by ajv', () => {
  it('accept every bundled preset', () => {
    for (const f of readdirSync(presetsDir).filter((x) => x.endsWith('.json') && x !== 'schema.json')) {
      expect(errorsAt(preset, read(new URL(f, presetsDir))), f).toEqual([]);
    }
  });

  it("list an event's parameter paths (an editor completes them) and underline a misspelt one", () => {
    expect(errorsAt(preset, withEvent({ type: 'set', path: 'mood.arousal', value: 0.5 }))).toEqual([]);
    expect(errorsAt(preset, withEvent({ type: 'set', path: 'dreamers.lara.presence', value: 0.5 }))).toEqual([]);
    expect(errorsAt(preset, withEvent({ type: 'set', path: 'dreamers.2.level', value: 0.5 }))).toEqual([]);
    for (const typo of ['mood.arousl', 'dreamers.lara.presense', 'safety.flashGuard', 'unity.x']) {
      expect(errorsAt(preset, withEvent({ type: 'set', path: typo, value: 0.5 })), typo).toContain('/acts/0/events/0/action/path');
    }
    const text = readFileSync(new URL('schema.json', presetsDir), 'utf8');
    for (const [path, spec] of Object.entries(PARAMS)) expect(text.includes(`"${path}"`), path).toBe(spec.event);
  });

  it('check a show log: modulate only continuous parameters, set any', () => {
    const log = (action: Record<string, unknown>) => ({ format: 'dreamscape-show', version: 1, preset: temple, seed: 1, entries: [{ t: 0, source: 'panel', action }] });
    const ok = log({ type: 'modulate', path: 'mood.arousal', value: 0.5 });
    // Shape errors aside from paths must not hide the check: the good log passes whole.
    expect(errorsAt(showLog, ok)).toEqual([]);
    expect(errorsAt(showLog, log({ type: 'set', path: 'safety.reducedMotion', value: true }))).toEqual([]);
    expect(errorsAt(showLog, log({ type: 'modulate', path: 'mosaic.tiles', value: 5 }))).toContain('/entries/0/action/path');
    expect(errorsAt(showLog, log({ type: 'modulate', path: 'mood.arousl', value: 5 }))).toContain('/entries/0/action/path');
  });
});
