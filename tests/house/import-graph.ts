import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import graph of the TypeScript sources under some folders, read from the import lines with
 * regular expressions (fast, and enough for this codebase's plain `import … from '…'` style).
 * Every kind of edge counts: value and `import type` imports, re-exports, side-effect imports,
 * dynamic `import('…')` and `typeof import('…')` types.
 */
export interface ImportEdge {
  to: string;
  typeOnly: boolean;
}

const SOURCE = /\.(ts|tsx|mts)$/;

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? (f === 'node_modules' ? [] : walk(path)) : [path];
  });

/** Block comments and whole-line `//` comments (a `//` inside a string such as 'ws://' stays). */
const stripComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const STATIC = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
const BARE = /(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g;
const DYNAMIC = /(typeof\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export const importsOf = (text: string): { spec: string; typeOnly: boolean }[] => {
  const code = stripComments(text);
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of code.matchAll(STATIC)) found.push({ spec: m[4] ?? '', typeOnly: Boolean(m[2]) });
  for (const m of code.matchAll(BARE)) found.push({ spec: m[1] ?? '', typeOnly: false });
  for (const m of code.matchAll(DYNAMIC)) found.push({ spec: m[2] ?? '', typeOnly: Boolean(m[1]) });
  return found;
};

const resolveSpec = (from: string, spec: string): string | null => {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
};

/** file (relative to root) → the files it imports (relative to root), within the scanned folders. */
export const importGraph = (root: string, folders: string[]): Map<string, ImportEdge[]> => {
  const files = folders.flatMap((f) => walk(join(root, f))).filter((f) => SOURCE.test(f));
  const graph = new Map<string, ImportEdge[]>();
  for (const file of files) {
    const edges: ImportEdge[] = [];
    for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolveSpec(file, spec);
      if (target && files.includes(target)) edges.push({ to: relative(root, target), typeOnly });
    }
    graph.set(relative(root, file), edges);
  }
  return graph;
};

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
const cyclicComponents = (graph: Map<string, ImportEdge[]>): string[][] => {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, index.get(to)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).some((e) => e.to === v)) out.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
};

/** The shortest way from `start` back to itself inside a component (breadth first). */
const shortestCycle = (graph: Map<string, ImportEdge[]>, start: string, within: Set<string>): string[] => {
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const { to } of graph.get(v) ?? []) {
      if (!within.has(to)) continue;
      if (to === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(from.get(path[0]!)!);
        return [...path, start];
      }
      if (!from.has(to)) {
        from.set(to, v);
        queue.push(to);
      }
    }
  }
  return [start];
};

/** One readable path per cycle, each edge marked `(type)` when it is a type-only import. */
export const importCycles = (graph: Map<string, ImportEdge[]>): string[] =>
  cyclicComponents(graph).map((component) => {
    const path = shortestCycle(graph, component[0]!, new Set(component));
    const steps = path.slice(1).map((to, i) => {
      const edge = (graph.get(path[i]!) ?? []).find((e) => e.to === to);
      return `${edge?.typeOnly ? '(type) ' : ''}${to}`;
    });
    const rest = component.length > path.length - 1 ? ` (and ${component.length - path.length + 1} more files in the same knot: ${component.filter((f) => !path.includes(f)).join(', ')})` : '';
    return `${[path[0], ...steps].join(' → ')}${rest}`;
  });
