import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../../src/runtime/runtime.ts';
import type { BusEntry } from '../../../src/runtime/runtime.ts';
import { createDreamStore } from '../../../src/store/dream-store.ts';
import { createApplier } from '../../../src/inputs/osc/apply.ts';
import { parseUrlOptions } from '../../../src/app/url-params.ts';
import { withoutSecrets } from '../../../src/app/credential.ts';
import { oscTokenKey, takeOscToken } from '../../../src/inputs/osc/token.ts';
import { fixtureState } from '../../model/fixture.ts';

const make = (env: { tap?: () => boolean; heard?: () => boolean } = {}) => {
  const store = createDreamStore(fixtureState());
  const runtime = createRuntime(store, { onError: () => undefined });
  const entries: BusEntry[] = [];
  runtime.onEntry((e) => entries.push(e));
  const applier = createApplier(runtime, { tap: env.tap ?? (() => false), heard: env.heard ?? (() => false) });
  let t = 0;
  const frame = () => {
    runtime.clock.frame((t += 1 / 60));
  };
  runtime.clock.onAdvance(() => applier.frame());
  return { store, runtime, entries, applier, frame, dream: () => store.getState().dream };
};

describe('OSC on the page: applied through the runtime, tagged osc, at most one value per path per frame', () => {
  it('sets continuous rows through modulate (the latest per frame), dreamers by id', () => {
    const { applier, frame, dream, entries } = make();
    frame();
    for (let i = 0; i <= 100; i++) applier.handle('/dreamscape/set/mood/arousal', [i / 100]);
    applier.handle('/dreamscape/set/dreamers/ann/presence', [0.25]);
    applier.handle('/dreamscape/set/mood/valence', [7]);
    frame();
    expect(dream().mood.arousal).toBe(1);
    expect(dream().dreamers[0]!.presence).toBe(0.25);
    expect(dream().mood.valence).toBe(1); // clamped to the row's range
    const modulations = entries.filter((e) => e.action.type === 'modulate');
    expect(modulations.map((e) => [e.source, e.action.type === 'modulate' && e.action.path])).toEqual([
      ['osc', 'mood.arousal'],
      ['osc', 'dreamers.0.presence'],
      ['osc', 'mood.valence'],
    ]);
    expect(applier.counts()).toMatchObject({ received: 103, applied: 103, dropped: {} });
  });

  it('runs live actions as osc actions: one press per address per frame, a fader\'s latest amount at the next frame', () => {
    const { applier, frame, dream, entries } = make();
    frame();
    applier.handle('/dreamscape/do/glitch', []);
    applier.handle('/dreamscape/do/glitch', []);
    applier.handle('/dreamscape/do/fracture', [0.2]);
    applier.handle('/dreamscape/do/fracture', [0.5]);
    applier.handle('/dreamscape/do/fracture', [0.8]);
    applier.handle('/dreamscape/do/act', ['next']);
    applier.handle('/dreamscape/do/panic', [0]);
    expect(dream().mosaic.fracture).toBeCloseTo(0.2, 6);
    expect(dream().show.index).toBe(1);
    frame();
    expect(dream().mosaic.fracture).toBeCloseTo(0.8, 6);
    const acts = entries.filter((e) => e.action.type !== 'modulate');
    expect(acts.every((e) => e.source === 'osc')).toBe(true);
    expect(acts.map((e) => e.action.type)).toEqual(['glitch', 'fracture', 'act', 'fracture']);
    expect(applier.counts().dropped).toEqual({ 'too fast': 1 });
    expect(applier.counts().lastDrop).toMatch(/glitch/);
    applier.handle('/dreamscape/do/panic', [1]);
    expect(dream().output.panic).toBe(true);
  });

  it('counts and drops what is bad, and what the runtime refuses; the show goes on', () => {
    const { applier, frame, dream, runtime } = make();
    frame();
    applier.handle('/dreamscape/set/nope', [1]);
    applier.handle('/dreamscape/set/mood/valence', [NaN]);
    applier.handle('/dreamscape/set/mood/valence', ['x']);
    applier.handle('/dreamscape/set/safety/masterCap', [-1]);
    applier.handle('/dreamscape/set/dreamers/zed/presence', [1]);
    applier.handle('/dreamscape/do/tap', []);
    applier.handle('/1/fader1', [0.5]);
    const release = runtime.lockInputs('a log is playing');
    applier.handle('/dreamscape/do/glitch', []);
    release();
    frame();
    expect(applier.counts().dropped).toEqual({ 'unknown address': 2, 'not a finite number': 1, 'wrong type': 1, 'unknown dreamer': 1, 'not available': 1, 'no listener': 1, refused: 1 });
    expect(applier.counts().applied).toBe(0);
    expect(dream().mosaic.glitch).toBe(0);
  });

  it('taps the tempo where tap tempo is there; a mapping hears addresses outside /dreamscape/', () => {
    let taps = 0;
    const { applier, frame } = make({ tap: () => (taps++, true), heard: () => true });
    applier.handle('/dreamscape/do/tap', []);
    applier.handle('/dreamscape/do/tap', []);
    frame();
    applier.handle('/dreamscape/do/tap', [1]);
    applier.handle('/1/fader1', [0.5]);
    expect(taps).toBe(2);
    expect(applier.counts()).toMatchObject({ applied: 3, dropped: { 'too fast': 1 } });
  });
});

describe('?osc= and the LAN token', () => {
  it('takes ?osc= (ws or wss) and #osctoken= from the fragment; an audience takes neither; a bad token is not echoed', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz012345';
    const o = parseUrlOptions('?osc=ws%3A%2F%2F127.0.0.1%3A8080', [], `#osctoken=${token}`);
    expect(o).toMatchObject({ osc: 'ws://127.0.0.1:8080', oscToken: token, problems: [] });
    const a = parseUrlOptions('?view=audience&osc=ws%3A%2F%2F127.0.0.1%3A8080', [], `#osctoken=${token}`);
    expect(a.osc).toBeUndefined();
    expect(a.oscToken).toBeUndefined();
    const bad = parseUrlOptions('?osc=http://x', [], '#osctoken=short%20secret');
    expect(bad.osc).toBeUndefined();
    expect(bad.problems.join('\n')).toMatch(/\?osc=http:\/\/x: expected a ws:\/\/ or wss:\/\//);
    expect(bad.problems.join('\n')).not.toContain('short secret');
  });

  it('is taken out of the address bar with the other secrets, and kept in the tab under the credential prefix', () => {
    expect(withoutSecrets('http://127.0.0.1:5173/?osc=ws%3A%2F%2F127.0.0.1%3A8080#osctoken=abc')).toBe('http://127.0.0.1:5173/?osc=ws%3A%2F%2F127.0.0.1%3A8080');
    const kept = new Map<string, string>();
    const storage = () => ({ getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) });
    expect(takeOscToken('t0k3n', 'show', storage)).toBe('t0k3n');
    expect(kept.get(oscTokenKey('show'))).toBe('t0k3n');
    expect(oscTokenKey('show').startsWith('dreamscape.credential.')).toBe(true);
    expect(takeOscToken(undefined, 'show', storage)).toBe('t0k3n');
    expect(takeOscToken(undefined, 'other', storage)).toBeNull();
    const refused = () => {
      throw new Error('SecurityError');
    };
    expect(takeOscToken('t', 'show', refused)).toBe('t');
  });
});
