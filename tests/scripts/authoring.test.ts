import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { referenceMarkdown, withReference } from '../../scripts/lib/authoring-reference.ts';
import { DREAMER_PARAMS, PARAMS, validatePreset } from '../../src/model/index.ts';
import type { ParamSpec, ParamTable } from '../../src/model/index.ts';

const guide = readFileSync(new URL('../../docs/authoring.md', import.meta.url), 'utf8');

describe('docs/authoring.md', () => {
  it('has the reference generated from the parameter table now (run npm run schema when it fails)', () => {
    expect(withReference(guide)).toBe(guide);
  });

  it('lists every field of the table with its range and its sentence, and a new row shows up', () => {
    for (const [path, spec] of Object.entries(PARAMS)) {
      expect(guide, path).toContain(`| \`${path}\` |`);
      expect(guide, path).toContain(spec.doc.replace(/\|/g, '\\|'));
    }
    for (const f of Object.keys(DREAMER_PARAMS)) expect(guide).toContain(`\`dreamers[].${f}\``);
    const extra: ParamTable = { ...PARAMS, 'scene.sky.haze': { kind: 'number', min: 0, max: 3, default: 1, label: 'haze', doc: 'A test row.', preset: true, act: true, event: true, morph: 'glide', continuous: true, mappable: true, panel: null } satisfies ParamSpec };
    const withExtra = withReference(guide, referenceMarkdown(extra));
    expect(withExtra).not.toBe(guide);
    expect(withExtra).toContain('| `scene.sky.haze` | 0 to 3 | `1` |');
  });

  it("every example is a preset that validates (what an artist pastes works)", () => {
    const blocks = [...guide.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const text of blocks) {
      const r = validatePreset(JSON.parse(text));
      expect(r.ok ? [] : r.problems, text.slice(0, 80)).toEqual([]);
    }
  });
});
