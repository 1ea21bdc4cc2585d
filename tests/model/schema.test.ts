import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import {
  LIMITS,
  PARAMS,
  migratePreset,
  presetJsonSchema,
  validatePreset,
  validatePresetText,
  formatProblem,
} from '../../src/model/index.ts';
import type { Problem } from '../../src/model/index.ts';
import { FIXTURE } from './fixture.ts';

const presetsDir = new URL('../../presets/', import.meta.url);
const presetFiles = readdirSync(presetsDir).filter((f) => f.endsWith('.json') && f !== 'schema.json');
const paths = (problems: Problem[]) => problems.map((p) => p.path);
const bad = (raw: unknown): Problem[] => {
  const r = validatePreset(raw);
  if (r.ok) throw new Error('expected problems, got a valid preset');
  return r.problems;
};

describe('presets/schema.json', () => {
  it('is generated from the zod schema and up to date (run npm run schema)', () => {
    const onDisk = JSON.parse(readFileSync(new URL('schema.json', presetsDir), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(presetJsonSchema())));
  });

  it('covers every parameter a preset may set, with the table’s ranges', () => {
    const schema = presetJsonSchema() as { properties: Record<string, { properties?: Record<string, { minimum?: number; maximum?: number }> } & { minimum?: number; maximum?: number }> };
    for (const [path, spec] of Object.entries(PARAMS)) {
      if (path.startsWith('safety.') || path.startsWith('show.')) continue;
      type Node = { properties?: Record<string, Node>; minimum?: number; maximum?: number };
      const node = path.split('.').reduce<Node | undefined>((n, k) => n?.properties?.[k], schema as Node);
      expect(node, path).toBeDefined();
      if (spec.kind === 'number') expect([node!.minimum, node!.maximum], path).toEqual([spec.min, spec.max]);
    }
  });
});

describe('the bundled presets', () => {
  it('are the five stories', () => {
    expect(presetFiles.map((f) => f.replace('.json', '')).sort()).toEqual(['collective-dreamscaping-hour', 'dream-hub', 'dream-temple', 'dreamscape-lounge', 'sleep-square']);
  });

  for (const file of presetFiles) {
    it(`${file} validates, points at the schema and tells its story in five acts`, () => {
      const text = readFileSync(new URL(file, presetsDir), 'utf8');
      expect(text.trimStart().startsWith('{\n  "$schema": "./schema.json"')).toBe(true);
      const r = validatePresetText(text);
      if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p, file)).join('\n'));
      expect(r.preset.id).toBe(file.replace('.json', ''));
      expect(r.preset.dreamers).toHaveLength(4);
      expect(r.preset.acts).toHaveLength(5);
      for (const a of r.preset.acts ?? []) expect(a.events?.length ?? 0, a.name).toBeGreaterThan(0);
    });
  }

  it('dream-temple’s climax glitches, fractures, then restabilizes', () => {
    const r = validatePresetText(readFileSync(new URL('dream-temple.json', presetsDir), 'utf8'));
    if (!r.ok) throw new Error('dream-temple invalid');
    const climax = r.preset.acts![2]!;
    const types = [...(climax.events ?? [])].sort((a, b) => a.at - b.at).map((e) => e.action.type);
    const g = types.indexOf('glitch');
    const f = types.indexOf('fracture');
    const rs = types.indexOf('restabilize');
    expect(g).toBeGreaterThanOrEqual(0);
    expect(f).toBeGreaterThan(g);
    expect(rs).toBeGreaterThan(f);
  });
});

describe('validation problems say where, what was expected and what was found', () => {
  it('reports wrong types, ranges, enums and unknown keys with JSON paths', () => {
    const problems = bad({
      ...FIXTURE,
      tempo: 'fast',
      unity: 2,
      mode: 'jazz',
      mosaic: { tiles: 300_000, tilez: 1 },
      palette: { glow: 'blue' },
      dreamers: [{ name: 'A', voice: 'kazoo' }],
    });
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['$.tempo']).toMatchObject({ expected: 'number', found: '"fast"' });
    expect(byPath['$.unity']).toMatchObject({ expected: 'at most 1', found: '2' });
    expect(byPath['$.mode']!.expected).toMatch(/one of "major", "minor"/);
    expect(byPath['$.mode']!.found).toBe('"jazz"');
    expect(byPath['$.mosaic.tiles']).toMatchObject({ expected: `at most ${LIMITS.tiles}`, found: '300000' });
    expect(byPath['$.mosaic.tilez']!.message).toMatch(/unknown key "tilez"/);
    expect(byPath['$.palette.glow']!.found).toBe('"blue"');
    expect(byPath['$.dreamers[0].voice']!.found).toBe('"kazoo"');
  });

  it('reports missing required fields and wrong versions', () => {
    expect(paths(bad({ version: 1 }))).toEqual(['$.id']);
    expect(bad({ id: 'x' })[0]).toMatchObject({ path: '$.version', found: 'nothing' });
    expect(bad({ id: 'x', version: 9 })[0]!.message).toMatch(/newer dreamscape/);
    expect(bad([1, 2])[0]).toMatchObject({ path: '$', expected: 'an object', found: 'an array' });
  });

  it('enforces the limits on dreamers and acts', () => {
    const dreamers = Array.from({ length: LIMITS.dreamers + 1 }, (_, i) => ({ name: `D${i}`, id: `d${i}` }));
    expect(bad({ ...FIXTURE, dreamers, acts: undefined })[0]).toMatchObject({ path: '$.dreamers', expected: `at most ${LIMITS.dreamers} items`, found: `${LIMITS.dreamers + 1} items` });
    const acts = Array.from({ length: LIMITS.acts + 1 }, (_, i) => ({ name: `A${i}`, duration: 10 }));
    expect(bad({ ...FIXTURE, acts })[0]).toMatchObject({ path: '$.acts', expected: `at most ${LIMITS.acts} items` });
  });

  it('checks event paths, values and dreamer references across the preset', () => {
    const acts = [
      {
        name: 'A',
        duration: 10,
        values: { dreamers: { nobody: { presence: 1 } } },
        events: [
          { at: 1, action: { type: 'set', path: 'mood.happiness', value: 1 } },
          { at: 2, action: { type: 'set', path: 'unity', value: 3 } },
          { at: 3, action: { type: 'set', path: 'safety.flashGuard', value: false } },
          { at: 4, action: { type: 'explode' } },
        ],
      },
    ];
    const problems = bad({ ...FIXTURE, acts });
    expect(paths(problems)).toEqual(['$.acts[0].events[3].action.type']);
    const fixed = { ...FIXTURE, acts: [{ ...acts[0], events: acts[0]!.events.slice(0, 3) }] };
    expect(paths(bad(fixed))).toEqual(['$.acts[0].values.dreamers.nobody', '$.acts[0].events[0].action.path', '$.acts[0].events[1].action.value', '$.acts[0].events[2].action.path']);
  });

  it('reports an event timed after its act ends', () => {
    const acts = [{ name: 'A', duration: 10, events: [{ at: 12, action: { type: 'glitch' } }] }];
    expect(bad({ ...FIXTURE, acts })[0]).toMatchObject({ path: '$.acts[0].events[0].at', expected: 'at most 10', found: '12' });
  });

  it('reports duplicate dreamer ids', () => {
    expect(paths(bad({ ...FIXTURE, acts: undefined, dreamers: [{ name: 'Ann' }, { name: 'Ann B', id: 'ann' }] }))).toEqual(['$.dreamers[1].id']);
  });

  it('refuses files that are too large, too deep or not JSON before trusting them', () => {
    const big = JSON.stringify({ ...FIXTURE, story: 'x'.repeat(LIMITS.fileBytes) });
    const r1 = validatePresetText(big);
    expect(r1.ok || r1.problems[0]!.message).toMatch(/too large/);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const r2 = validatePresetText(deep);
    expect(r2.ok || r2.problems[0]!.message).toMatch(/nested too deeply: 100000 levels/);
    const r3 = validatePresetText('{"version": 1,');
    expect(r3.ok || r3.problems[0]!.message).toMatch(/not valid JSON/);
  });
});

describe('migration', () => {
  it('runs each migration from the preset’s version up to the current one', () => {
    const migrations = { 1: (p: Record<string, unknown>) => ({ ...p, renamed: p.old }), 2: (p: Record<string, unknown>) => ({ ...p, added: true }) };
    const r = migratePreset({ version: 1, old: 5 }, migrations, 3);
    expect(r).toEqual({ ok: true, value: { version: 3, old: 5, renamed: 5, added: true } });
    const gap = migratePreset({ version: 1 }, {}, 2);
    expect(gap.ok).toBe(false);
  });
});

describe('export', () => {
  it('turns any dream, mid-show, into a preset that validates and resolves to the same settings', async () => {
    const { presetFromState, resolvePreset, reduce, tick, validatePresetText } = await import('../../src/model/index.ts');
    for (const file of presetFiles) {
      const r = validatePresetText(readFileSync(new URL(file, presetsDir), 'utf8'));
      if (!r.ok) throw new Error(file);
      let s = resolvePreset(r.preset);
      s = reduce(s, { type: 'set', path: 'unity', value: 0.123456789 });
      s = reduce(s, { type: 'act', to: 2 });
      s = tick(s, 3.3);
      const exported = JSON.stringify(presetFromState(s), null, 2);
      const back = validatePresetText(exported);
      if (!back.ok) throw new Error(`${file}: ${back.problems.map((p) => formatProblem(p)).join('\n')}`);
      const again = resolvePreset(back.preset);
      expect(again.acts).toEqual(s.acts);
      expect(again.dreamers.map((d) => d.id)).toEqual(s.dreamers.map((d) => d.id));
    }
  });
});
