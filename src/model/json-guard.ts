/**
 * What a schema cannot safely see for itself in data from outside (a preset file, a show log, a
 * message from another window or device): how deep it nests, and keys that name the object
 * machinery. Measured with an explicit stack, never recursion, so a hostile 120,000-deep value
 * cannot overflow the stack before anything has looked at it; and it stops at the first limit.
 */

/** Keys that, written onto a plain object, reach its prototype instead of its data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface JsonInspection {
  /** Deepest nesting seen (a scalar is 0, `{}` or `[]` is 1); stops counting past maxDepth + 1. */
  depth: number;
  /** Values visited (objects, arrays and scalars), up to maxNodes + 1. */
  nodes: number;
  /** JSON path ($.a[0].b) of the first forbidden key, or null. */
  forbidden: string | null;
  /** That key itself. */
  forbiddenKey: string | null;
  /**
   * What stopped the walk, if anything: too deep, too many values (or one list longer than all
   * the values allowed), or an object that is not plain (a structured clone can carry a Map or a
   * Date; JSON never does).
   */
  stopped: 'depth' | 'nodes' | 'not plain' | null;
  /** JSON path where the walk stopped, or null. */
  where: string | null;
}

/** The JSON path one step down (a long key is cut short: a path is for reading). */
export const pathStep = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
const step = pathStep;

/**
 * Walk a parsed JSON value (or a structured-clone object) breadth-agnostic, depth-first with a
 * stack. Own enumerable keys only, as JSON has. Stops at the first forbidden key or limit.
 */
export const inspectJson = (value: unknown, limits: { maxDepth: number; maxNodes: number }): JsonInspection => {
  const out: JsonInspection = { depth: 0, nodes: 0, forbidden: null, forbiddenKey: null, stopped: null, where: null };
  const stop = (why: NonNullable<JsonInspection['stopped']>, path: string) => {
    out.stopped = why;
    out.where = path;
    return out;
  };
  const stack: { v: unknown; d: number; path: string }[] = [{ v: value, d: 0, path: '$' }];
  while (stack.length) {
    const { v, d, path } = stack.pop()!;
    if (++out.nodes > limits.maxNodes) return stop('nodes', path);
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > out.depth) out.depth = depth;
    if (depth > limits.maxDepth) return stop('depth', path);
    if (Array.isArray(v)) {
      if (v.length > limits.maxNodes) return stop('nodes', path);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], d: depth, path: step(path, i) });
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return stop('not plain', path);
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) {
        out.forbidden = step(path, k);
        out.forbiddenKey = k;
        out.where = out.forbidden;
        return out;
      }
      stack.push({ v: (v as Record<string, unknown>)[k], d: depth, path: step(path, k) });
    }
  }
  return out;
};
