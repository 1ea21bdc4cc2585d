import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { createDreamStore, dispatch, loadPresetInto } from '../../src/store/dream-store.ts';
import { tick } from '../../src/model/index.ts';
import { startAudienceSync } from '../../src/sync/audience-sync.ts';
import { createBroadcastCarrier } from '../../src/sync/broadcast-carrier.ts';
import { StateEncoder } from '../../src/sync/state-message.ts';
import { observable, PROTOCOL } from '../../src/sync/protocol.ts';
import type { Carrier, LinkInfo, StateMessage, SyncMessage } from '../../src/sync/protocol.ts';
import { checkBytes, checkClockReply, checkClockRequest, checkSyncMessage, createDropReporter, inspectShape, MAX_CLOCK_BYTES, MAX_STATE_BYTES } from '../../src/sync/validate.ts';

const dir = new URL('../../presets/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort();
const raw = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown;
const resolve = (f: string, tiles = 4096): DreamState => {
  const v = validatePreset(raw(f));
  if (!v.ok) throw new Error('preset');
  return resolvePreset(v.preset, { tiles });
};
const encoder = () => new StateEncoder();
const message = (dream: DreamState, withActs = true, over: Partial<StateMessage> = {}): StateMessage => ({
  ...encoder().message({ from: 'perf-1', seq: 1, clock: dream.clock, sentAt: 1.7e12, clockAt: 1.7e12, audio: 'audience', devices: 'all', since: 1.7e12 }, dream, withActs),
  ...over,
});
/** A good message made bad: a JSON copy with `edit` applied. */
const bad = (edit: (m: Record<string, any>) => void): unknown => {
  const m = JSON.parse(JSON.stringify(message(resolve('dream-temple.json')))) as Record<string, any>;
  edit(m);
  return m;
};
const rejection = (m: unknown) => {
  const r = checkSyncMessage(m);
  return r.ok ? null : r.rejection;
};
const deep = (n: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

describe('every incoming message is checked like a preset', () => {
  it('takes every message a performer sends: every preset, full and lean, mid-morph to every other, after the JSON of the relay too', () => {
    let n = 0;
    for (const a of files) {
      const d = resolve(a);
      for (const m of [message(d), message(d, false)]) {
        expect(rejection(m), a).toBeNull();
        expect(rejection(JSON.parse(JSON.stringify(m))), a).toBeNull();
        n++;
      }
      for (const b of files) {
        if (a === b) continue;
        const store = createDreamStore(d);
        dispatch(store, { type: 'fracture', amount: 0.6 });
        dispatch(store, { type: 'set', path: 'unity', value: 0.2, seconds: 5 });
        loadPresetInto(store, raw(b), 'test', { morphSeconds: 8 });
        const mid = tick(store.getState().dream, 1);
        expect(mid.morph?.target).toBeTruthy();
        expect(rejection(message(mid)), `${a} -> ${b}`).toBeNull();
        n++;
      }
    }
    expect(n).toBe(files.length * 2 + files.length * (files.length - 1));
    expect(checkSyncMessage({ kind: 'hello', protocol: PROTOCOL, id: crypto.randomUUID() }).ok).toBe(true);
    expect(checkSyncMessage({ kind: 'presence', protocol: PROTOCOL, id: 'w1abc', leaving: true }).ok).toBe(true);
    expect(checkClockRequest({ kind: 'clock', protocol: PROTOCOL, id: crypto.randomUUID() }).ok).toBe(true);
    expect(checkClockReply({ kind: 'clock', protocol: PROTOCOL, t: 1.7e12 }).ok).toBe(true);
  });

  it('refuses each malformed state of the issue, saying what and where', () => {
    expect(rejection(bad((m) => delete m.dream.show))).toMatchObject({ path: '$.dream.show' });
    expect(rejection(bad((m) => (m.devices = deep(120_000))))).toMatchObject({ path: expect.stringMatching(/^\$\.devices(\[0\])+$/), message: 'nested deeper than 12 levels' });
    expect(rejection(bad((m) => (m.dream.mosaic.tiles = 1e9)))).toMatchObject({ path: '$.dream.mosaic.tiles', message: expect.stringMatching(/262144/) });
    expect(rejection(bad((m) => (m.dream.tempo = 'fast')))).toMatchObject({ path: '$.dream.tempo' });
    // (50,000 acts are more values than a message may hold: refused by the walk, where the count ran out)
    expect(rejection(bad((m) => (m.dream.acts = Array.from({ length: 50_000 }, () => m.dream.acts[0]))))).toMatchObject({ path: expect.stringMatching(/^\$\.dream\.acts\[\d+\]/), message: expect.stringMatching(/more than 600000 values/) });
    expect(rejection(bad((m) => (m.dream.acts = Array.from({ length: 129 }, () => m.dream.acts[0]))))).toMatchObject({ path: '$.dream.acts', message: expect.stringMatching(/128/) });
    expect(rejection(bad((m) => (m.seq = 1e308)))).toMatchObject({ path: '$.seq' });
    expect(rejection(bad((m) => (m.seq = 2 ** 53)))).toMatchObject({ path: '$.seq' });
    expect(rejection(bad((m) => (m.seq = Number.MAX_SAFE_INTEGER)))).toBeNull();
    // numbers are finite and in range; strings bounded; nothing unknown
    expect(rejection(bad((m) => (m.dream.unity = Number.NaN)))).toMatchObject({ path: '$.dream.unity' });
    expect(rejection(bad((m) => (m.dream.mood.valence = -3)))).toMatchObject({ path: '$.dream.mood.valence' });
    expect(rejection(bad((m) => (m.dream.title = 'x'.repeat(10_000))))).toMatchObject({ path: '$.dream.title' });
    expect(rejection(bad((m) => (m.dream.dreamers[0].name = 'x'.repeat(1000))))).toMatchObject({ path: '$.dream.dreamers[0].name' });
    expect(rejection(bad((m) => (m.dream.extra = 1)))).toMatchObject({ path: '$.dream' });
    expect(rejection(bad((m) => (m.from = 'x'.repeat(250_000))))).toMatchObject({ path: '$.from' });
    expect(rejection(bad((m) => (m.dream.morph = { from: {}, to: {}, seconds: 8, elapsed: 0, switched: false, target: { ...m.dream, morph: { from: {}, to: {}, seconds: 1, elapsed: 0, switched: false, target: null } } })))).toMatchObject({
      path: '$.dream.morph.target.morph',
    });
    expect(rejection(bad((m) => (m.dream.glides = Array.from({ length: 5000 }, () => ({ path: 'unity', from: 0, to: 1, seconds: 1, elapsed: 0 })))))).toMatchObject({ path: '$.dream.glides' });
    expect(rejection(null)).toMatchObject({ path: '$.kind' });
    expect(rejection({ kind: 'state', protocol: PROTOCOL + 1 })).toMatchObject({ path: '$.protocol' });
  });

  it('refuses __proto__, constructor and prototype keys anywhere (zod alone drops __proto__ in records)', () => {
    const good = JSON.stringify(message(resolve('dream-temple.json')));
    const inValues = good.replace('"values":{', '"values":{"__proto__":{"polluted":1},');
    expect(rejection(JSON.parse(inValues))).toMatchObject({ path: '$.dream.acts[0].values.__proto__', message: 'forbidden key "__proto__"' });
    expect(rejection(JSON.parse(good.replace('"mosaic":{', '"mosaic":{"constructor":1,')))).toMatchObject({ path: '$.dream.mosaic.constructor' });
    expect(rejection(JSON.parse(good.replace('"dream":{', '"dream":{"prototype":{},')))).toMatchObject({ path: '$.dream.prototype' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('measures depth with a stack: 120,000 levels as JSON from the relay or as an object, no stack overflow', () => {
    const text = `{"kind":"state","devices":${'['.repeat(120_000)}${']'.repeat(120_000)}}`;
    const r = checkBytes(new TextEncoder().encode(text), MAX_STATE_BYTES, checkSyncMessage);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rejection.message).toBe('nested deeper than 12 levels');
    expect(inspectShape(deep(1_000_000))).toMatchObject({ message: 'nested deeper than 12 levels' });
    expect(inspectShape({ a: Array.from({ length: 700_000 }, () => 0) })).toMatchObject({ path: '$.a', message: expect.stringMatching(/more than 600000 values/) });
    expect(inspectShape({ a: Array.from({ length: 400_000 }, () => [0]) })).toMatchObject({ message: expect.stringMatching(/more than 600000 values/) });
  });

  it('checks a relay message size before parsing it, and clock requests and replies', () => {
    const big = new Uint8Array(MAX_STATE_BYTES + 1).fill(32);
    expect(checkBytes(big, MAX_STATE_BYTES, checkSyncMessage)).toMatchObject({ ok: false, rejection: { path: '$', message: expect.stringMatching(/more than 1048576/) } });
    const id250k = new TextEncoder().encode(JSON.stringify({ kind: 'clock', protocol: PROTOCOL, id: 'a'.repeat(250_000) }));
    expect(checkBytes(id250k, MAX_CLOCK_BYTES, checkClockRequest)).toMatchObject({ ok: false, rejection: { message: expect.stringMatching(/bytes, more than 256/) } });
    expect(checkClockRequest({ kind: 'clock', protocol: PROTOCOL, id: 'a'.repeat(65) }).ok).toBe(false);
    expect(checkClockRequest({ kind: 'clock', protocol: PROTOCOL, id: 'no spaces' }).ok).toBe(false);
    expect(checkClockRequest({ kind: 'clock', protocol: PROTOCOL, id: '' }).ok).toBe(false);
    expect(checkClockReply({ kind: 'clock', protocol: PROTOCOL, t: Infinity }).ok).toBe(false);
    expect(checkBytes(new TextEncoder().encode('{not json'), MAX_CLOCK_BYTES, checkClockRequest)).toMatchObject({ ok: false, rejection: { message: 'not JSON' } });
    expect(checkSyncMessage({ kind: 'hello', protocol: PROTOCOL, id: 'x'.repeat(100) }).ok).toBe(false);
    expect(checkSyncMessage({ kind: 'presence', protocol: PROTOCOL, id: 'a', leaving: 'yes' }).ok).toBe(false);
  });

  it('one console line a second at most, with the count of the others', () => {
    const lines: string[] = [];
    let t = 0;
    const report = createDropReporter((l) => lines.push(l), () => t);
    for (let i = 0; i < 500; i++) {
      report('state from the relay', { path: '$.dream.tempo', message: 'expected number' });
      t += 1;
    }
    expect(lines).toEqual(['dreamscape: dropped a state from the relay: $.dream.tempo: expected number']);
    t += 1000;
    report('state from the relay', { path: '$.seq', message: 'too big' });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('dreamscape: dropped a state from the relay: $.seq: too big (and 499 more dropped since the last line)');
    expect(report.count()).toBe(501);
  });

  it('costs a few hundred microseconds for a full dream-temple state (measured)', () => {
    const enc = encoder();
    const d = resolve('dream-temple.json');
    const header = { from: 'perf-1', seq: 1, clock: 0, sentAt: 1.7e12, clockAt: 1.7e12, audio: 'audience' as const, devices: 'all' as const, since: 1.7e12 };
    const m = JSON.parse(JSON.stringify(enc.message(header, d, true))) as unknown;
    const lean = JSON.parse(JSON.stringify(enc.message({ ...header, seq: 2 }, d, false))) as unknown;
    for (let i = 0; i < 200; i++) checkSyncMessage(m);
    const time = (x: unknown, n: number) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (!checkSyncMessage(x).ok) throw new Error('bad');
      return ((performance.now() - t0) * 1000) / n;
    };
    const full = time(m, 1000);
    const small = time(lean, 1000);
    console.log(`validation: ${full.toFixed(0)} µs per full dream-temple state message (${JSON.stringify(m).length} bytes), ${small.toFixed(0)} µs per lean one (${JSON.stringify(lean).length} bytes)`);
    expect(full).toBeGreaterThan(0);
    expect(full).toBeLessThan(5000);
  });
});

describe('an audience drops bad messages and keeps dreaming on its last good state', () => {
  afterEach(() => vi.restoreAllMocks());

  it('over a BroadcastChannel (Node has one): each bad message is dropped with one warning; a later good state is applied', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const room = `validate-${Date.now()}`;
    const store = createDreamStore(resolve('dream-temple.json', 64));
    const carrier = createBroadcastCarrier(room);
    const sync = startAudienceSync(store, carrier, 'aud-1', { offset: () => 0 });
    const post = new BroadcastChannel(`dreamscape:${room}`);
    const settle = () => new Promise((r) => setTimeout(r, 30));
    const good = (seq: number, unity: number) => JSON.parse(JSON.stringify(message({ ...resolve('dream-temple.json', 64), unity }, true, { seq }))) as Record<string, any>;
    post.postMessage(good(1, 0.31));
    await settle();
    expect(store.getState().dream.unity).toBe(0.31);
    const bads: unknown[] = [
      bad((m) => delete m.dream.show),
      bad((m) => (m.devices = deep(2000))),
      bad((m) => (m.dream.mosaic.tiles = 1e9)),
      bad((m) => (m.dream.tempo = 'fast')),
      bad((m) => (m.dream.acts = Array.from({ length: 50_000 }, () => m.dream.acts[0]))),
      { ...good(2, 0.9), seq: 1e308 },
    ];
    for (const b of bads) {
      post.postMessage(b);
      await settle();
      expect(store.getState().dream.unity).toBe(0.31);
      expect(store.getState().dream.mosaic.tiles).toBe(64);
    }
    // seq 1e308 was dropped, so the performer's next real state (seq 2) is still taken
    post.postMessage(good(2, 0.55));
    await settle();
    expect(store.getState().dream.unity).toBe(0.55);
    expect(warn).toHaveBeenCalled();
    expect(warn.mock.calls.length).toBeLessThanOrEqual(2); // all within a second: one line (two if the clock ticked over)
    expect(String(warn.mock.calls[0]![0])).toMatch(/^dreamscape: dropped a message from another window: \$\.dream\.show: /);
    sync.stop();
    carrier.close();
    post.close();
  });

  it('a valid but huge seq from the followed performer silences it for 3 s at most', () => {
    const store = createDreamStore(resolve('dream-temple.json', 64));
    const listeners = new Set<(m: SyncMessage) => void>();
    const carrier: Carrier = {
      link: observable<LinkInfo>({ carrier: 'broadcast', relay: null, state: 'connected', since: 0, connects: 1, refused: null, error: null }),
      send: () => undefined,
      onMessage: (fn) => (listeners.add(fn), () => listeners.delete(fn)),
      close: () => undefined,
    };
    let t = 0;
    const sync = startAudienceSync(store, carrier, 'aud', { now: () => t, offset: () => 0 });
    const deliver = (seq: number, unity: number) => listeners.forEach((fn) => fn(message({ ...resolve('dream-temple.json', 64), unity }, true, { seq, clockAt: t })));
    deliver(10, 0.1);
    deliver(Number.MAX_SAFE_INTEGER, 0.2); // a bad seq from the same `from`
    expect(store.getState().dream.unity).toBe(0.2);
    t = 1000;
    deliver(11, 0.3);
    expect(store.getState().dream.unity).toBe(0.2); // older than the last: ignored...
    t = 3100;
    deliver(12, 0.4);
    expect(store.getState().dream.unity).toBe(0.4); // ...until nothing newer came for 3 s
    t = 3200;
    deliver(13, 0.5);
    expect(store.getState().dream.unity).toBe(0.5);
    sync.stop();
  });
});
