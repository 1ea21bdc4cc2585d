import { expect } from 'vitest';

/** Every number in two states equal within `rel` (relative), every other value equal. */
export const expectClose = (a: unknown, b: unknown, rel = 1e-9, path = '$'): void => {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(1, Math.abs(a), Math.abs(b));
    if (Math.abs(a - b) > rel * scale) throw new Error(`${path}: ${a} vs ${b}`);
    return;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    expect(a, path).toEqual(b);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b), path).toBe(true);
    expect((b as unknown[]).length, `${path}.length`).toBe(a.length);
    a.forEach((x, i) => expectClose(x, (b as unknown[])[i], rel, `${path}[${i}]`));
    return;
  }
  const ka = Object.keys(a).sort();
  expect(Object.keys(b).sort(), path).toEqual(ka);
  for (const k of ka) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${path}.${k}`);
};

