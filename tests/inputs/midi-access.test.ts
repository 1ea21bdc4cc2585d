import { describe, expect, it } from 'vitest';
import { INSECURE, MISSING, REFUSED, requestAccess } from '../../src/inputs/midi/access.ts';
import { validatePreset } from '../../src/model/index.ts';
import { FIXTURE } from '../model/fixture.ts';

describe('asking for Web MIDI: one calm line for each reason it is not there', () => {
  it('an insecure page, a browser without it, a refusal; granted otherwise', async () => {
    const access = {} as MIDIAccess;
    const ok = { requestMIDIAccess: () => Promise.resolve(access) };
    expect(await requestAccess({ navigator: ok, isSecureContext: false, port: '5173' })).toEqual({ ok: false, state: 'unavailable', why: INSECURE('5173') });
    expect(INSECURE('5173')).toContain('http://localhost:5173');
    expect(await requestAccess({ navigator: {}, isSecureContext: true, port: '' })).toEqual({ ok: false, state: 'unavailable', why: MISSING });
    const refuse = { requestMIDIAccess: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) };
    expect(await requestAccess({ navigator: refuse, isSecureContext: true, port: '' })).toEqual({ ok: false, state: 'refused', why: REFUSED });
    expect(await requestAccess({ navigator: ok, isSecureContext: true, port: '' })).toEqual({ ok: true, access });
  });
});

describe('a preset may suggest mappings', () => {
  it('valid ones pass; a bad one gives problems with paths', () => {
    const good = validatePreset({ ...FIXTURE, mappings: [{ source: { kind: 'midi', type: 'cc', channel: 1, number: 7 }, target: 'mood.arousal', curve: 's' }, { source: { kind: 'midi', type: 'note', channel: 10, number: 36 }, target: { action: 'fracture' } }] });
    expect(good.ok).toBe(true);
    const bad = validatePreset({ ...FIXTURE, mappings: [{ source: { kind: 'midi', type: 'cc', channel: 0, number: 7 }, target: 'mood.arousal' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toContain('$.mappings[0].source.channel');
  });
});
