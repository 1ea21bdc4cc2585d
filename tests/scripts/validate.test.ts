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
});
