import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const validate = (...files: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', ...files], { cwd: root, encoding: 'utf8' });

describe('npm run validate', () => {
  it('accepts every bundled preset', () => {
    const r = validate();
    expect(r.stdout).toMatch(/5 file\(s\) valid/);
    expect(r.status).toBe(0);
  }, 30_000);

  it('prints file, JSON path, expected and found for each problem and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ version: 1, id: 'broken', unity: 3, acts: [{ name: 'A', duration: 'long' }], mood: { happiness: 1 } }));
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ "version": 1, ');
    const r = validate(broken, notJson);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${broken}: $.unity: `);
    expect(r.stdout).toMatch(/\$\.unity: .*\(expected at most 1, found 3\)/);
    expect(r.stdout).toMatch(/\$\.acts\[0\]\.duration: .*\(expected number, found "long"\)/);
    expect(r.stdout).toMatch(/\$\.mood\.happiness: unknown key "happiness"/);
    expect(r.stdout).toMatch(/not-json\.json: \$: not valid JSON/);
    expect(r.stdout).toMatch(/2 of 2 file\(s\) have problems/);
  }, 30_000);

  it("catches the scene's mistakes with their paths (format 2)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-'));
    const world = join(dir, 'world.json');
    writeFileSync(
      world,
      JSON.stringify({
        version: 2,
        id: 'world',
        scene: { sky: { kind: 'aurorra' }, mosaic: { shape: 'dome', scale: 9 }, camera: { motoin: 'orbit' } },
        acts: [{ name: 'A', duration: 10, values: { scene: { particles: { kind: 'snow' } } }, events: [{ at: 1, action: { type: 'set', path: 'scene.threads.routing', value: 'spiral' } }] }],
      }),
    );
    const r = validate(world);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/\$\.scene\.sky\.kind: .*"nebula", "aurora", "stars", "fog", "caustics", found "aurorra"/);
    expect(r.stdout).toMatch(/\$\.scene\.mosaic\.scale: .*\(expected at most 4, found 9\)/);
    expect(r.stdout).toMatch(/\$\.scene\.camera\.motoin: unknown key "motoin"/);
    expect(r.stdout).toMatch(/\$\.acts\[0\]\.values\.scene\.particles\.kind: /);
    // The events' values are checked against their paths once the file's shape is right.
    writeFileSync(world, JSON.stringify({ version: 2, id: 'world', acts: [{ name: 'A', duration: 10, events: [{ at: 1, action: { type: 'set', path: 'scene.threads.routing', value: 'spiral' } }] }] }));
    const again = validate(world);
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/\$\.acts\[0\]\.events\[0\]\.action\.value: .*across, radial, knot/);
  }, 30_000);
});
