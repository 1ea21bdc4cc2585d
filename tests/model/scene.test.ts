import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  CAMERA_MOTIONS,
  FRACTURE_KINDS,
  MIGRATIONS,
  MOSAIC_SHAPES,
  PARAMS,
  PARTICLE_KINDS,
  PRESET_VERSION,
  presetFromState,
  reduce,
  REGION_KINDS,
  resolvePreset,
  SKY_KINDS,
  THREAD_ROUTINGS,
  THREAD_STYLES,
  tick,
  V1_SCENE,
  validatePreset,
  validateShowLog,
  defaultFor,
  readAt,
} from '../../src/model/index.ts';
import type { DreamState, Preset } from '../../src/model/index.ts';
import { run } from './fixture.ts';

const v1Temple = JSON.parse(readFileSync(new URL('../browser/fixtures/v1-dream-temple.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const ok = (raw: unknown): Preset => {
  const r = validatePreset(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.preset;
};
const problemPaths = (raw: unknown): string[] => {
  const r = validatePreset(raw);
  return r.ok ? [] : r.problems.map((p) => p.path);
};

/** Every slot with a kind, and the kinds it takes. */
const SLOTS: [string, readonly string[]][] = [
  ['scene.sky.kind', SKY_KINDS],
  ['scene.mosaic.shape', MOSAIC_SHAPES],
  ['scene.mosaic.regions', REGION_KINDS],
  ['scene.mosaic.fracture', FRACTURE_KINDS],
  ['scene.threads.style', THREAD_STYLES],
  ['scene.threads.routing', THREAD_ROUTINGS],
  ['scene.particles.kind', PARTICLE_KINDS],
  ['scene.camera.motion', CAMERA_MOTIONS],
];

const sceneOf = (s: DreamState) => JSON.parse(JSON.stringify(s.scene)) as unknown;

describe('preset format 2: the scene', () => {
  it('is the current format, and a format-1 preset migrates to the look it always had', () => {
    expect(PRESET_VERSION).toBe(2);
    const migrated = MIGRATIONS[1]!(v1Temple);
    expect(migrated.scene).toEqual(V1_SCENE);
    // The v1 file validates (migrated on the way) and resolves to the same dream as the v2 file
    // that spells today's look out.
    const fromV1 = resolvePreset(ok(v1Temple));
    const fromV2 = resolvePreset(ok({ ...v1Temple, version: 2, scene: V1_SCENE }));
    expect(fromV1).toEqual(fromV2);
    expect(sceneOf(fromV1)).toEqual(V1_SCENE);
  });

  it('V1_SCENE is the table’s defaults today (a preset without a scene looks as v1 did)', () => {
    for (const [path, spec] of Object.entries(PARAMS)) if (path.startsWith('scene.')) expect(readAt({ scene: V1_SCENE }, path), path).toEqual(defaultFor(spec));
    expect(sceneOf(resolvePreset(ok({ version: 2, id: 'bare' })))).toEqual(V1_SCENE);
  });

  it('takes every kind of every slot, and refuses misspelt ones with their paths', () => {
    for (const [path, kinds] of SLOTS) {
      for (const kind of kinds) {
        const [, slot, field] = path.split('.') as [string, string, string];
        const s = resolvePreset(ok({ version: 2, id: 'k', scene: { [slot]: { [field]: kind } } }));
        expect(readAt(s, path), path).toBe(kind);
      }
    }
    expect(problemPaths({ version: 2, id: 'k', scene: { sky: { kind: 'aurorra' } } })).toEqual(['$.scene.sky.kind']);
    expect(problemPaths({ version: 2, id: 'k', scene: { mosaic: { shap: 'dome' } } })).toEqual(['$.scene.mosaic.shap']);
    expect(problemPaths({ version: 2, id: 'k', scene: { camera: { fov: 500 } } })).toEqual(['$.scene.camera.fov']);
    expect(problemPaths({ version: 2, id: 'k', scene: { weather: {} } })).toEqual(['$.scene.weather']);
    expect(problemPaths({ version: 2, id: 'k', acts: [{ name: 'a', duration: 10, values: { scene: { threads: { routing: 'spiral' } } } }] })).toEqual(['$.acts[0].values.scene.threads.routing']);
    expect(problemPaths({ version: 2, id: 'k', acts: [{ name: 'a', duration: 10, events: [{ at: 1, action: { type: 'set', path: 'scene.sky.knd', value: 'fog' } }] }] })).toEqual(['$.acts[0].events[0].action.path']);
  });

  it('an act morphs into its scene: numbers glide, kinds switch at the midpoint', () => {
    const preset = ok({
      version: 2,
      id: 'worlds',
      scene: { sky: { kind: 'stars' }, camera: { distance: 10 } },
      acts: [
        { name: 'one', duration: 10, transition: 0 },
        { name: 'two', duration: 10, transition: 4, values: { scene: { sky: { kind: 'aurora' }, camera: { distance: 20 }, mosaic: { shape: 'dome' } } } },
      ],
    });
    let s = resolvePreset(preset);
    expect([s.scene.sky.kind, s.scene.camera.distance]).toEqual(['stars', 10]);
    s = reduce(s, { type: 'act', to: 'next' });
    s = run(s, 1, 1 / 30, tick);
    expect(s.scene.sky.kind).toBe('stars');
    expect(s.scene.camera.distance).toBeGreaterThan(10);
    expect(s.scene.camera.distance).toBeLessThan(15);
    s = run(s, 1.2, 1 / 30, tick);
    expect([s.scene.sky.kind, s.scene.mosaic.shape]).toEqual(['aurora', 'dome']);
    s = run(s, 2, 1 / 30, tick);
    expect(s.scene.camera.distance).toBe(20);
  });

  it('timed events set the scene by path, numbers gliding', () => {
    const preset = ok({
      version: 2,
      id: 'events',
      acts: [
        {
          name: 'one',
          duration: 20,
          events: [
            { at: 1, action: { type: 'set', path: 'scene.threads.routing', value: 'knot' } },
            { at: 2, action: { type: 'set', path: 'scene.camera.distance', value: 4, seconds: 2 } },
          ],
        },
      ],
    });
    let s = run(resolvePreset(preset), 3, 1 / 30, tick);
    expect(s.scene.threads.routing).toBe('knot');
    expect(s.scene.camera.distance).toBeGreaterThan(4);
    expect(s.scene.camera.distance).toBeLessThan(12.5);
    s = run(s, 1.5, 1 / 30, tick);
    expect(s.scene.camera.distance).toBe(4);
  });

  it("a dream exports its scene (an act’s too), and the export resolves to the same scene", () => {
    let s = resolvePreset(ok({ version: 2, id: 'x', scene: { particles: { kind: 'embers', amount: 0.9 }, finish: { grain: 0.8 } }, acts: [{ name: 'a', duration: 5, values: { scene: { sky: { kind: 'fog' } } } }] }));
    s = reduce(s, { type: 'set', path: 'scene.mosaic.shape', value: 'floor' });
    const exported = presetFromState(s);
    expect(exported.version).toBe(2);
    expect(sceneOf(resolvePreset(ok(exported)))).toEqual(sceneOf(s));
    expect((exported.acts as { values?: unknown }[] | undefined)?.[0]?.values).toMatchObject({ scene: { sky: { kind: 'fog' } } });
  });
});

describe('a show log recorded with a format-1 preset', () => {
  it('still replays: its presets are migrated to the look they had', () => {
    const log = { format: 'dreamscape-show', version: 1, preset: v1Temple, seed: 3, entries: [{ t: 2, source: 'key', action: { type: 'preset', preset: { version: 1, id: 'other' }, seconds: 0 } }] };
    const r = validateShowLog(log);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.log.preset.version).toBe(2);
    expect(r.log.preset.scene).toEqual(V1_SCENE);
    const entry = r.log.entries[0]!.action as { preset: { version: number; scene: unknown } };
    expect(entry.preset).toMatchObject({ version: 2, scene: V1_SCENE });
    expect(validateShowLog({ ...log, preset: { ...v1Temple, version: 7 } }).ok).toBe(false);
  });
});
