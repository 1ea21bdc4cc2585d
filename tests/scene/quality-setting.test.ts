import { describe, expect, it } from 'vitest';
import { QualitySetting, withQuality } from '../../src/scene/quality-setting.ts';
import { parseUrlOptions } from '../../src/app/url-params.ts';

describe('the window quality setting', () => {
  it("is 'auto' by default, tells its listeners of each change once, and refuses anything but auto or full", () => {
    const s = new QualitySetting();
    expect(s.get()).toBe('auto');
    const heard: string[] = [];
    const off = s.subscribe((q) => heard.push(q));
    s.set('full');
    s.set('full');
    s.set('auto');
    expect(heard).toEqual(['full', 'auto']);
    expect(() => s.set('max')).toThrow(/expected 'auto' or 'full', got "max"/);
    expect(() => s.set(undefined)).toThrow(/expected 'auto' or 'full'/);
    expect(s.get()).toBe('auto');
    off();
    s.set('full');
    expect(heard).toEqual(['full', 'auto']);
  });

  it('a listener that throws does not keep the others from hearing', () => {
    const s = new QualitySetting();
    const heard: string[] = [];
    s.subscribe(() => {
      throw new Error('boom');
    });
    s.subscribe((q) => heard.push(q));
    expect(() => s.set('full')).toThrow('boom');
    expect(heard).toEqual(['full']);
    expect(s.get()).toBe('full');
  });

  it('puts quality=full into an audience query when locked, and none at auto', () => {
    expect(new URLSearchParams(withQuality('?room=a&preset=dream-hub', 'full')).get('quality')).toBe('full');
    expect(new URLSearchParams(withQuality('?room=a&quality=full', 'auto')).get('quality')).toBeNull();
    expect(new URLSearchParams(withQuality('?room=a&quality=full', 'auto')).get('room')).toBe('a');
  });
});

describe('?quality=', () => {
  it('reads auto and full, and reports a bad value without throwing', () => {
    expect(parseUrlOptions('?quality=full', []).quality).toBe('full');
    expect(parseUrlOptions('?quality=auto', []).quality).toBe('auto');
    expect(parseUrlOptions('', []).quality).toBeUndefined();
    const bad = parseUrlOptions('?quality=ultra', []);
    expect(bad.quality).toBeUndefined();
    expect(bad.problems).toEqual([expect.stringMatching(/^\?quality=ultra: expected auto or full/)]);
  });
});
