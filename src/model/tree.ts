/**
 * Table paths (`depth`, `mood.arousal`, `scene.sky.kind`) in nested objects: read, write in place
 * (building a fresh object) and write with structural sharing (a new state). Pure; any depth.
 */

type Tree = Record<string, unknown>;

/** The value at a path in a nested object, or undefined where a step is missing or not an object. */
export const readAt = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Tree)[k] : undefined), obj);

/** Writes a value at a path in a fresh object, making the groups on the way. */
export const writeAt = (obj: Tree, path: string, value: unknown): void => {
  const keys = path.split('.');
  const last = keys.pop()!;
  let o = obj;
  for (const k of keys) o = (o[k] ??= {}) as Tree;
  o[last] = value;
};

/** A copy of `obj` with the value at `path` replaced: every group on the way is copied, the rest shared. */
export const setIn = <T extends object>(obj: T, path: string, value: unknown): T => {
  const keys = path.split('.');
  const step = (o: Tree, i: number): Tree => ({ ...o, [keys[i]!]: i === keys.length - 1 ? value : step((o[keys[i]!] ?? {}) as Tree, i + 1) });
  return step(obj as Tree, 0) as T;
};
