import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../src/', import.meta.url).pathname;
const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));

describe('presets are data only', () => {
  it('no source file evaluates strings as code or injects HTML', () => {
    const offenders: string[] = [];
    for (const file of walk(root).filter((f) => /\.(ts|tsx)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const [name, re] of [
        ['eval', /(?<![\w.$])eval\s*\(/],
        ['new Function', /\bnew Function\s*\(/],
        ['innerHTML', /\.(inner|outer)HTML\s*=/],
        ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
        ['string timer', /set(Timeout|Interval)\(\s*['"`]/],
      ] as const) {
        if (re.test(text)) offenders.push(`${file.slice(root.length)}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
