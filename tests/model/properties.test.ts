import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DREAMER_PARAMS, PARAMS, parseAction, readAt, reduce, resolvePreset, tick, validatePreset, validatePresetText } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { FIXTURE, fixtureState } from './fixture.ts';

const RUNS = Number(process.env.FC_RUNS ?? 10_000);

/** Every number anywhere in the state is finite, and every parameter is inside its range. */
const checkState = (s: DreamState): void => {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`${path} is ${v}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(s, 'state');
  const inRange = (path: string, value: unknown, spec: (typeof PARAMS)[keyof typeof PARAMS] | (typeof DREAMER_PARAMS)[keyof typeof DREAMER_PARAMS]) => {
    if (spec.kind === 'number' && (typeof value !== 'number' || value < spec.min || value > spec.max)) throw new Error(`${path} = ${String(value)} outside ${spec.min}..${spec.max}`);
    if (spec.kind === 'enum' && !(spec.values as readonly string[]).includes(value as string)) throw new Error(`${path} = ${String(value)}`);
  };
  for (const [path, spec] of Object.entries(PARAMS)) {
    inRange(path, readAt(s, path), spec);
  }
  s.dreamers.forEach((d, i) => {
    for (const [f, spec] of Object.entries(DREAMER_PARAMS)) inRange(`dreamers.${i}.${f}`, (d as unknown as Record<string, unknown>)[f], spec);
  });
  for (const k of ['stability', 'recoil'] as const) if (s.mosaic[k] < 0 || s.mosaic[k] > 1) throw new Error(`mosaic.${k} = ${s.mosaic[k]}`);
  if (s.output.fade < 0 || s.output.fade > 1) throw new Error(`output.fade = ${s.output.fade}`);
};

const weirdNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1e308, -1e308, 0.5), fc.integer());
const weirdValue = fc.oneof(weirdNumber, fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.integer(), { maxLength: 2 }), fc.constantFrom('#ff00ff', 'shared', 'private', 'minor', 'grid', 'bell'));
const anyPath = fc.oneof(
  fc.constantFrom(...Object.keys(PARAMS)),
  fc.constantFrom(...Object.keys(DREAMER_PARAMS)).chain((f) => fc.constantFrom(`dreamers.0.${f}`, `dreamers.ann.${f}`, `dreamers.9.${f}`, `dreamers.bo.${f}`)),
  fc.string({ maxLength: 20 }),
);
const anyAction = fc.oneof(
  fc.record({ type: fc.constant('set'), path: anyPath, value: weirdValue, confirm: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['type', 'path', 'value'] }),
  fc.record({ type: fc.constantFrom('fracture', 'glitch'), amount: fc.option(weirdNumber, { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('restabilize'), seconds: fc.option(weirdNumber, { nil: undefined }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('act'), to: fc.oneof(fc.constantFrom('next', 'prev'), fc.integer({ min: -3, max: 5 }), weirdValue) }),
  fc.constantFrom({ type: 'panic' }, { type: 'recover' }, { type: 'morph' }, { type: 'nonsense' }),
  fc.anything(),
);
const step = fc.tuple(anyAction, fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), weirdNumber));

describe('properties', () => {
  it('random action sequences, garbage included, keep every number finite and in range', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (steps, seed) => {
        let s = fixtureState({ seed });
        for (const [input, dt] of steps) {
          try {
            s = reduce(s, parseAction(input));
          } catch (err) {
            // Refusing is fine; it must be our clear error, not a crash.
            expect((err as Error).name).toBe('DreamInputError');
          }
          s = tick(s, dt);
          checkState(s);
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('arbitrary JSON never crashes validation: a preset or a list of problems with paths', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const r = validatePreset(value);
        if (!r.ok) for (const p of r.problems) expect(typeof p.path === 'string' && p.path.startsWith('$') && p.message.length > 0).toBe(true);
        const t = validatePresetText(JSON.stringify(value) ?? 'null');
        expect(typeof t.ok).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('mutated presets validate or give problems, and valid ones resolve to a sound state', () => {
    const base = JSON.parse(JSON.stringify(FIXTURE)) as Record<string, unknown>;
    const keys = ['tempo', 'key', 'mode', 'mood', 'depth', 'unity', 'palette', 'mosaic', 'dreamers', 'acts', 'seed', 'title', 'version', 'id', 'extra'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...keys), fc.oneof(fc.jsonValue(), weirdValue)), { maxLength: 4 }), (mutations) => {
        const p: Record<string, unknown> = { ...base };
        for (const [k, v] of mutations) p[k] = v;
        const r = validatePreset(p);
        if (r.ok) {
          const s = resolvePreset(r.preset);
          checkState(s);
          checkState(tick(s, 30));
        } else expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
