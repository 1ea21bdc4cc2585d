import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectJson, validatePreset, validatePresetText } from '../../src/model/index.ts';

const root = new URL('../..', import.meta.url).pathname;
const temple = readFileSync(join(root, 'presets/dream-temple.json'), 'utf8');

describe('keys that name the prototype', () => {
  it('a __proto__ key inside a record (act values per dreamer) is an error with its path, not dropped', () => {
    const text = temple.replace('"dreamers": {', '"dreamers": { "__proto__": { "presence": 1 },');
    expect(text).not.toBe(temple);
    const r = validatePresetText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.path).toMatch(/^\$\.acts\[\d+\]\.values\.dreamers\.__proto__$/);
    expect(r.problems[0]!.message).toContain('"__proto__" is not allowed');
  });

  it.each(['constructor', 'prototype'])('a "%s" key anywhere is an error with its path', (key) => {
    const preset = JSON.parse(temple) as Record<string, unknown>;
    (preset.mood as Record<string, unknown>)[key] = 1;
    const r = validatePreset(preset);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual([`$.mood.${key}`]);
  });

  it('an object nested 120,000 deep is refused without recursing into it', () => {
    let deep: unknown = {};
    for (let i = 0; i < 120_000; i++) deep = { a: deep };
    const r = validatePreset({ version: 1, id: 'deep', story: deep });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/nested too deeply/);
    expect(inspectJson(deep, { maxDepth: 16, maxNodes: 1e6 }).stopped).toBe('depth');
  });

  it('counts depth and nodes as JSON does, and passes a clean value', () => {
    expect(inspectJson({ a: [1, { b: 2 }] }, { maxDepth: 16, maxNodes: 100 })).toEqual({ depth: 3, nodes: 5, forbidden: null, forbiddenKey: null, stopped: null, where: null });
    expect(inspectJson({ a: new Map() }, { maxDepth: 16, maxNodes: 100 })).toMatchObject({ stopped: 'not plain', where: '$.a' });
    expect(inspectJson([0, 1, 2, 3], { maxDepth: 16, maxNodes: 3 }).stopped).toBe('nodes');
  });
});

describe('npm run validate and a byte-order mark', () => {
  it('accepts a preset file that starts with a UTF-8 BOM', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-bom-'));
    const file = join(dir, 'bom.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(temple, 'utf8')]));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', file], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toContain(`${file}: ok (dream-temple)`);
    expect(r.status).toBe(0);
  }, 30_000);
});
