import { describe, expect, it } from 'vitest';
import { CATCH, curve, freshTakeover, takeover, toPosition, toValue, uncurve } from '../../src/inputs/mappings/response.ts';

describe('curves, range, invert', () => {
  it('linear, exp and s, each inverted by uncurve', () => {
    expect([0, 0.25, 0.5, 1].map((x) => curve('linear', x))).toEqual([0, 0.25, 0.5, 1]);
    expect(curve('exp', 0.5)).toBe(0.25);
    expect(curve('s', 0.5)).toBe(0.5);
    expect(curve('s', 0.25)).toBeCloseTo(0.15625, 9);
    for (const kind of ['linear', 'exp', 's'] as const) for (let i = 0; i <= 20; i++) expect(curve(kind, uncurve(kind, i / 20))).toBeCloseTo(i / 20, 6);
    // Out of 0..1 is clamped.
    expect(curve('exp', 2)).toBe(1);
    expect(curve(undefined, -1)).toBe(0);
  });

  it('toValue and toPosition: the range and invert, inverse of each other', () => {
    const r = { min: 40, max: 200 };
    expect(toValue({}, r, 0.5)).toBe(120);
    expect(toValue({ invert: true }, r, 0)).toBe(200);
    expect(toValue({ curve: 'exp' }, r, 0.5)).toBe(80);
    for (const m of [{}, { invert: true }, { curve: 'exp' as const, invert: true }, { curve: 's' as const }]) for (const x of [0, 0.1, 0.5, 0.9, 1]) expect(toPosition(m, r, toValue(m, r, x))).toBeCloseTo(x, 6);
    expect(toPosition({}, { min: 1, max: 1 }, 1)).toBe(0);
  });
});

describe('takeover', () => {
  it('none jumps', () => {
    const s = freshTakeover();
    expect(takeover('none', s, 0.9, 0.1)).toBe(0.9);
    expect(takeover(undefined, s, 0.2, 0.9)).toBe(0.2);
  });

  it('pickup waits until the control reaches or crosses the value, then follows', () => {
    const s = freshTakeover();
    expect(takeover('pickup', s, 0.1, 0.5)).toBeNull();
    expect(takeover('pickup', s, 0.3, 0.5)).toBeNull();
    expect(takeover('pickup', s, 0.6, 0.5)).toBe(0.6);
    expect(takeover('pickup', s, 0.2, 0.6)).toBe(0.2);
    // Reaching within CATCH engages too.
    const t = freshTakeover();
    expect(takeover('pickup', t, 0.5 + CATCH / 2, 0.5)).toBe(0.5 + CATCH / 2);
  });

  it('scale moves the value toward the control in proportion, and they meet', () => {
    const s = freshTakeover();
    expect(takeover('scale', s, 0.2, 0.6)).toBeNull(); // the first position only tells where the control is
    // Up from 0.2 to 0.6 of the control: the value goes 0.6 + 0.4 * (0.4 / 0.8) = 0.8.
    expect(takeover('scale', s, 0.6, 0.6)).toBe(0.6); // within CATCH of the value: engaged
    const u = freshTakeover();
    takeover('scale', u, 0.2, 0.6);
    const up = takeover('scale', u, 0.4, 0.6)!;
    expect(up).toBeCloseTo(0.6 + 0.4 * (0.2 / 0.8), 9);
    let p = up;
    for (let x = 0.5; x <= 1.0001; x += 0.1) p = takeover('scale', u, Math.min(1, x), p)!;
    expect(p).toBeCloseTo(1, 6);
    expect(u.engaged).toBe(true);
  });
});
