import { describe, expect, it, vi } from 'vitest';

// One row added to the parameter table, and nothing else: the test finds it in the schema (preset,
// act, event paths, show log), the defaults, preset resolution and export, a morph, modulate, the
// relay's message check and the performer's panels.
vi.mock('../../src/model/param-table.ts', async (importOriginal) => {
  const table = await importOriginal<typeof import('../../src/model/param-table.ts')>();
  const shimmer = {
    kind: 'number',
    min: 0,
    max: 2,
    default: 0.5,
    label: 'shimmer',
    doc: 'A test row: how much the dream shimmers.',
    preset: true,
    act: true,
    event: true,
    morph: 'glide',
    continuous: true,
    mappable: true,
    panel: { folder: 'Dream', key: 'shimmer' },
  } as const;
  // A row a preset's events may not set: the schema for editors and npm run validate agree.
  const hush = { ...shimmer, label: 'hush', doc: 'A test row no event may set.', event: false, panel: null };
  return { ...table, PARAMS: { ...table.PARAMS, 'mood.shimmer': shimmer, 'mood.hush': hush } };
});

const { presetJsonSchema, presetFromState, reduce, resolvePreset, showLogJsonSchema, tick, validatePreset } = await import('../../src/model/index.ts');
const { panelLayout } = await import('../../src/controls/panel-layout.ts');
const { dreamStateSchema } = await import('../../src/sync/validate.ts');
const { FIXTURE } = await import('./fixture.ts');

type Json = Record<string, any>;
const shimmerOf = (s: unknown): number => (s as { mood: { shimmer: number } }).mood.shimmer;
const resolved = (raw: unknown) => {
  const v = validatePreset(raw);
  if (!v.ok) throw new Error(JSON.stringify(v.problems));
  return resolvePreset(v.preset);
};

describe('a parameter added to the table alone', () => {
  it('is in the preset schema with its range and description, and in the event and show-log path lists', () => {
    const schema = presetJsonSchema() as Json;
    expect(schema.properties.mood.properties.shimmer).toMatchObject({ type: 'number', minimum: 0, maximum: 2, description: expect.stringMatching(/shimmers.*0 to 2/) });
    const act = schema.properties.acts.items.properties;
    expect(act.values.properties.mood.properties.shimmer).toMatchObject({ maximum: 2 });
    expect(JSON.stringify(act.events)).toContain('"mood.shimmer"');
    const log = JSON.stringify(showLogJsonSchema());
    expect(log.match(/"mood\.shimmer"/g)?.length).toBeGreaterThanOrEqual(3); // set, modulate, sweep tracks
  });

  it('is validated, defaulted, resolved and exported', () => {
    expect(shimmerOf(resolved(FIXTURE))).toBe(0.5);
    const given = resolved({ ...FIXTURE, mood: { ...FIXTURE.mood, shimmer: 1.5 } });
    expect(shimmerOf(given)).toBe(1.5);
    const bad = validatePreset({ ...FIXTURE, mood: { shimmer: 3 } });
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['$.mood.shimmer']);
    const hushed = validatePreset({ ...FIXTURE, acts: [{ name: 'A', duration: 5, events: [{ at: 1, action: { type: 'set', path: 'mood.hush', value: 1 } }] }] });
    expect(hushed.ok ? [] : hushed.problems.map((p) => [p.path, p.message])).toEqual([['$.acts[0].events[0].action.path', "mood.hush is not for a preset's events (the parameter table says so)"]]);
    const exported = presetFromState(given) as Json;
    expect(exported.mood.shimmer).toBe(1.5);
    expect(shimmerOf(resolved(exported))).toBe(1.5);
  });

  it('morphs with an act and with a preset, and modulate moves it (clamped)', () => {
    const acts = [
      { name: 'A', duration: 60 },
      { name: 'B', duration: 60, transition: 4, values: { mood: { shimmer: 2 } } },
    ];
    let s = resolved({ ...FIXTURE, acts });
    s = reduce(s, { type: 'act', to: 'next' });
    s = tick(s, 2);
    expect(shimmerOf(s)).toBeGreaterThan(0.6);
    expect(shimmerOf(s)).toBeLessThan(1.9);
    s = tick(s, 3);
    expect(shimmerOf(s)).toBeCloseTo(2, 6);

    const other = validatePreset({ ...FIXTURE, id: 'other', mood: { shimmer: 0 } });
    if (!other.ok) throw new Error('other');
    let m = reduce(resolved(FIXTURE), { type: 'preset', preset: other.preset, seconds: 4 });
    m = tick(m, 2);
    expect(shimmerOf(m)).toBeGreaterThan(0.01);
    expect(shimmerOf(m)).toBeLessThan(0.49);
    m = tick(m, 3);
    expect(shimmerOf(m)).toBe(0);

    expect(shimmerOf(reduce(m, { type: 'modulate', path: 'mood.shimmer', value: 1.25 }))).toBe(1.25);
    expect(shimmerOf(reduce(m, { type: 'modulate', path: 'mood.shimmer', value: 9 }))).toBe(2);
  });

  it('travels to audiences (the relay checks it) and shows in the performer panel', () => {
    const s = resolved({ ...FIXTURE, mood: { shimmer: 1.5 } });
    expect(dreamStateSchema.safeParse(JSON.parse(JSON.stringify(s))).success).toBe(true);
    const { mood, ...rest } = JSON.parse(JSON.stringify(s)) as Json;
    expect(dreamStateSchema.safeParse({ ...rest, mood: { ...mood, shimmer: 7 } }).success).toBe(false);
    const dream = panelLayout(s.dreamers).Dream;
    expect(dream.find((b) => b.path === 'mood.shimmer')).toMatchObject({ key: 'shimmer', spec: { max: 2 } });
  });
});
