import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importsOf } from './import-graph.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('import cycles', () => {
  it('reads every kind of import line', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      'import {\n  c,\n  d,\n} from "./c.ts";',
      "export { e } from './e.ts';",
      "export type * from './f.ts';",
      "import './g.css';",
      "const h = await import('./h.ts');",
      "let i: typeof import('./i.ts');",
      "// import { x } from './commented.ts';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { spec: './a.ts', typeOnly: false },
      { spec: './b.ts', typeOnly: true },
      { spec: './c.ts', typeOnly: false },
      { spec: './e.ts', typeOnly: false },
      { spec: './f.ts', typeOnly: true },
      { spec: './g.css', typeOnly: false },
      { spec: './h.ts', typeOnly: false },
      { spec: './i.ts', typeOnly: true },
    ]);
  });

  it('names the path of a cycle', () => {
    const graph = new Map([
      ['a.ts', [{ to: 'b.ts', typeOnly: false }]],
      ['b.ts', [{ to: 'c.ts', typeOnly: true }]],
      ['c.ts', [{ to: 'a.ts', typeOnly: false }]],
      ['d.ts', [{ to: 'a.ts', typeOnly: false }]],
    ]);
    expect(importCycles(graph)).toEqual(['a.ts → b.ts → (type) c.ts → a.ts']);
  });

  it('src/ and scripts/ have none, type-only imports included', () => {
    const graph = importGraph(root, ['src', 'scripts']);
    expect(graph.size).toBeGreaterThan(50);
    expect(importCycles(graph), 'each line is one import cycle: file → file it imports → …').toEqual([]);
  });
});
