import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { createDreamStore, dispatch, loadPresetInto, replaceDream } from '../../src/store/dream-store.ts';
import { startAudienceSync } from '../../src/sync/audience-sync.ts';
import { startGlider } from '../../src/sync/glide.ts';
import { createBroadcastCarrier } from '../../src/sync/broadcast-carrier.ts';
import { startPerformerSync } from '../../src/sync/performer-sync.ts';
import { audienceProjection } from '../../src/sync/projection.ts';
import { observable, PROTOCOL } from '../../src/sync/protocol.ts';
import type { Carrier, LinkInfo, ParamsMessage, PatchMessage, StateMessage, SyncMessage } from '../../src/sync/protocol.ts';
import { StateEncoder } from '../../src/sync/state-message.ts';
import { checkBytes, checkSyncMessage, MAX_STATE_BYTES } from '../../src/sync/validate.ts';

/** Issue 13: patches and params between the full states (memory carriers, a BroadcastChannel). */

const preset = (name: string) => {
  const v = validatePreset(JSON.parse(readFileSync(new URL(`../../presets/${name}.json`, import.meta.url), 'utf8')));
  if (!v.ok) throw new Error(name);
  return v.preset;
};
const dream = (): DreamState => resolvePreset(preset('dream-temple'), { tiles: 64 });

const memoryCarrier = () => {
  const sent: SyncMessage[] = [];
  const listeners = new Set<(m: SyncMessage) => void>();
  const link = observable<LinkInfo>({ carrier: 'relay', relay: 'ws://test', state: 'connected', since: 0, connects: 1, refused: null, error: null });
  const carrier: Carrier = {
    link,
    send: (m) => void sent.push(JSON.parse(JSON.stringify(m)) as SyncMessage),
    onMessage: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => listeners.clear(),
  };
  return { carrier, sent, deliver: (m: SyncMessage) => listeners.forEach((fn) => fn(m)) };
};

const header = (seq: number) => ({ from: 'p1', seq, clock: 0, sentAt: 1.7e12, clockAt: 1.7e12, audio: 'audience' as const, devices: 'all' as const });
const stateOf = (d: DreamState, seq: number, withActs = true): StateMessage => new StateEncoder().message(header(seq), d, withActs);
const patchOf = (d: DreamState, seq: number, fields: (keyof DreamState)[], enc = new StateEncoder()): PatchMessage => {
  enc.message(header(seq - 1), d, true); // the acts already sent under this key
  return enc.patch({ from: 'p1', seq, sentAt: 1.7e12 }, d, fields);
};
const paramsOf = (seq: number, values: Record<string, number>): ParamsMessage => ({ kind: 'params', protocol: PROTOCOL, from: 'p1', seq, sentAt: 1.7e12, values });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('patches and params are taken in the order of seq', () => {
  it('a patch or params older than the last message taken is dropped; a newer patch is merged into the dream', () => {
    const store = createDreamStore(dream());
    const m = memoryCarrier();
    let t = 1000;
    const sync = startAudienceSync(store, m.carrier, 'a', { now: () => t, offset: () => 0 });
    m.deliver(stateOf({ ...dream(), unity: 0.5, depth: 0.5 }, 10));
    expect(store.getState().dream.unity).toBe(0.5);
    // sent before that state (seq 9, 8): the state is newer
    m.deliver(patchOf({ ...dream(), unity: 0.2 }, 9, ['unity']));
    m.deliver(paramsOf(8, { depth: 0.9 }));
    t += 200;
    expect(store.getState().dream.unity).toBe(0.5);
    expect(sync.gliding()).toBe(0);
    // newer: merged, nothing else touched
    const before = store.getState().dream;
    m.deliver(patchOf({ ...dream(), unity: 0.7 }, 11, ['unity']));
    expect(store.getState().dream.unity).toBe(0.7);
    expect(store.getState().dream.depth).toBe(0.5);
    expect(store.getState().dream.dreamers).toBe(before.dreamers);
    expect(sync.received()).toBe(2);
    // another performer's patch is not taken
    m.deliver({ ...patchOf({ ...dream(), unity: 0.1 }, 12, ['unity']), from: 'p2' });
    expect(store.getState().dream.unity).toBe(0.7);
    sync.stop();
  });

  it('with frames: a patch after a state waiting for its frame is applied after it; one sent before a newer state is not applied on top of it', () => {
    const store = createDreamStore(dream());
    const m = memoryCarrier();
    let frame: (() => void) | null = null;
    const sync = startAudienceSync(store, m.carrier, 'a', { now: () => 1000, offset: () => 0, onFrame: (fn) => ((frame = fn), () => (frame = null)) });
    m.deliver(stateOf({ ...dream(), unity: 0.5 }, 5));
    m.deliver(patchOf({ ...dream(), unity: 0.6 }, 6, ['unity']));
    frame!();
    expect(store.getState().dream.unity).toBe(0.6);
    // a patch, then a newer state, before the next frame: the state holds the patch's time and wins
    m.deliver(patchOf({ ...dream(), unity: 0.2 }, 7, ['unity']));
    m.deliver(stateOf({ ...dream(), unity: 0.45 }, 8));
    frame!();
    expect(store.getState().dream.unity).toBe(0.45);
    sync.stop();
  });

  it('a device that missed the acts (a preset loaded) skips the patches under their key and converges at the next heartbeat', () => {
    vi.useFakeTimers();
    const performer = createDreamStore(dream());
    const p = memoryCarrier();
    const sync = startPerformerSync(performer, p.carrier, { now: () => 1000, id: 'perf' });
    const audience = createDreamStore(dream());
    const a = memoryCarrier();
    const follow = startAudienceSync(audience, a.carrier, 'dev', { now: () => 1000, offset: () => 0 });
    a.deliver(p.sent.at(-1)!); // the first state
    expect(follow.received()).toBe(1);
    loadPresetInto(performer, preset('sleep-square'), 'test');
    const withActs = p.sent.at(-1) as PatchMessage;
    expect(withActs.kind).toBe('patch');
    expect(withActs.dream.acts).toEqual(audienceProjection(performer.getState().dream).acts);
    // this device missed it; the next change is a patch under the new key
    dispatch(performer, { type: 'set', path: 'unity', value: 0.66 });
    const next = p.sent.at(-1) as PatchMessage;
    expect(next.kind).toBe('patch');
    expect(next.dream.acts).toBeUndefined();
    a.deliver(next);
    expect(follow.received()).toBe(1);
    expect(audience.getState().dream.preset).toBe('dream-temple');
    vi.advanceTimersByTime(1000);
    a.deliver(p.sent.at(-1)!);
    expect(audience.getState().dream).toEqual(audienceProjection(performer.getState().dream));
    // and follows the patches from there
    dispatch(performer, { type: 'fracture', amount: 0.4 });
    a.deliver(p.sent.at(-1)!);
    expect(audience.getState().dream).toEqual(audienceProjection(performer.getState().dream));
    sync.stop();
    follow.stop();
  });
});

describe('gliding between params messages', () => {
  it('glides each path over the interval; a state mid-glide keeps the value where it is and glides to the new one; a patch of other fields does not hold it', () => {
    const store = createDreamStore({ ...dream(), depth: 0.2 });
    let t = 1000;
    let frame: (() => void) | null = null;
    const g = startGlider(store, { now: () => t, onFrame: (fn) => ((frame = fn), () => (frame = null)) });
    const depth = () => store.getState().dream.depth;
    g.target({ depth: 0.5 }, 2);
    t += 25;
    frame!();
    expect(depth()).toBeCloseTo(0.35, 9);
    // a patch of another field (seq 3): the glide goes on to 0.5
    replaceDream(store, { base: { ...store.getState().base, unity: 0.9 }, ahead: 0 });
    g.replaced(3);
    expect(depth()).toBeCloseTo(0.35, 9);
    t += 25;
    frame!();
    expect(depth()).toBeCloseTo(0.5, 9);
    expect(store.getState().dream.unity).toBe(0.9);
    // the next message: over 50 ms too (the speed it came at is known from the one after)
    g.target({ depth: 0.56 }, 4);
    t += 5;
    frame!();
    expect(depth()).toBeCloseTo(0.506, 9);
    // a full state (seq 5) with a value ahead: no jump, a glide to it
    replaceDream(store, { ...store.getState().dream, depth: 0.7 });
    g.replaced(5);
    expect(depth()).toBeCloseTo(0.506, 9);
    t += 50;
    frame!();
    expect(depth()).toBeCloseTo(0.7, 9);
    // an older state (seq 4) applied late does not take the value back from the params of seq 6
    g.target({ depth: 0.8 }, 6);
    replaceDream(store, { ...store.getState().dream, depth: 0.1 });
    g.replaced(4);
    t += 100;
    frame!();
    expect(depth()).toBeCloseTo(0.8, 9);
    g.stop();
    expect(frame).toBeNull();
  });
});

describe('what travels between the full states is the projection too', () => {
  it("a private dreamer's level is never in a params message or a patch; its presence is", async () => {
    const d = dream();
    const priv = { ...d, dreamers: d.dreamers.map((x, i) => (i === 1 ? { ...x, consent: 'private' as const } : x)) };
    const performer = createDreamStore(priv);
    const runtime = createRuntime(performer);
    const p = memoryCarrier();
    const sync = startPerformerSync(performer, p.carrier, { id: 'perf', paramsMinMs: 0 });
    const secret = priv.dreamers[1]!;
    runtime.modulate('dreamers.1.level', 0.123, { source: 'panel' });
    runtime.modulate(`dreamers.${secret.id}.presence`, 0.321, { source: 'panel' });
    runtime.modulate('dreamers.0.level', 0.222, { source: 'panel' });
    runtime.clock.frame(1);
    await new Promise((r) => setTimeout(r, 20));
    runtime.act({ type: 'set', path: 'dreamers.1.level', value: 0.456 }, 'key');
    const params = p.sent.filter((x): x is ParamsMessage => x.kind === 'params');
    expect(params).toHaveLength(1);
    expect(params[0]!.values).toEqual({ 'dreamers.1.presence': 0.321, 'dreamers.0.level': 0.222 });
    const patch = p.sent.at(-1) as PatchMessage;
    expect(patch.kind).toBe('patch');
    expect(patch.dream.dreamers![1]!.level).toBe(0);
    const bytes = JSON.stringify(p.sent.slice(1));
    for (const word of [secret.id, secret.name, secret.role].filter((w) => w.length > 2)) expect(bytes).not.toContain(word);
    expect(bytes).not.toContain('0.456');
    expect(bytes).not.toContain('0.123');
    sync.stop();
    runtime.dispose();
  });
});

describe('every patch and params message is checked', () => {
  const goodPatch = () => JSON.parse(JSON.stringify(patchOf({ ...dream(), unity: 0.3 }, 2, ['unity', 'mosaic', 'dreamers']))) as Record<string, any>;
  const goodParams = () => JSON.parse(JSON.stringify(paramsOf(3, { 'mood.arousal': 0.4, 'dreamers.2.presence': 0.5, tempo: 100 }))) as Record<string, any>;
  const reject = (m: unknown) => {
    const r = checkSyncMessage(m);
    return r.ok ? null : `${r.rejection.path}: ${r.rejection.message}`;
  };
  const edited = (make: () => Record<string, any>, edit: (m: Record<string, any>) => void) => {
    const m = make();
    edit(m);
    return m;
  };

  it('takes what a performer sends, after the JSON of the relay too', () => {
    expect(reject(goodPatch())).toBeNull();
    expect(reject(goodParams())).toBeNull();
    const bytes = new TextEncoder().encode(JSON.stringify(goodParams()));
    expect(checkBytes(bytes, MAX_STATE_BYTES, checkSyncMessage).ok).toBe(true);
  });

  it('refuses an unknown or non-continuous path, a value out of range, a private id path, extra keys, an empty or bad patch', () => {
    const cases: [string, unknown, RegExp][] = [
      ['unknown path', edited(goodParams, (m) => (m.values['mood.joy'] = 0.5)), /values\["mood\.joy"\]|values\.mood\.joy|not a continuous parameter/],
      ['an enum path', edited(goodParams, (m) => (m.values.key = 0.5)), /not a continuous parameter/],
      ['an integer path', edited(goodParams, (m) => (m.values['mosaic.tiles'] = 5)), /not a continuous parameter/],
      ['a safety path', edited(goodParams, (m) => (m.values['safety.masterCap'] = -6)), /not a continuous parameter/],
      ['a dreamer by id', edited(goodParams, (m) => (m.values['dreamers.kian.presence'] = 0.5)), /not a continuous parameter/],
      ['a dreamer past the limit', edited(goodParams, (m) => (m.values['dreamers.999.presence'] = 0.5)), /not a continuous parameter/],
      ['out of range', edited(goodParams, (m) => (m.values['mood.arousal'] = 1.5)), /out of range 0\.\.1/],
      ['tempo out of range', edited(goodParams, (m) => (m.values.tempo = 400)), /out of range 30\.\.240/],
      ['a string', edited(goodParams, (m) => (m.values['mood.arousal'] = '0.5')), /values/],
      ['no values', edited(goodParams, (m) => (m.values = {})), /0 values/],
      ['an extra key', edited(goodParams, (m) => (m.action = { type: 'fracture' })), /action|Unrecognized/i],
      ['__proto__', JSON.parse(JSON.stringify(goodParams()).replace('"tempo"', '"__proto__"')), /forbidden key "__proto__"/],
      ['a bad seq', edited(goodParams, (m) => (m.seq = 1.5)), /seq/],
      ['an unknown dream field', edited(goodPatch, (m) => (m.dream.weather = 'rain')), /weather|Unrecognized/i],
      ['a bad field', edited(goodPatch, (m) => (m.dream.unity = 7)), /dream\.unity/],
      ['a bad nested field', edited(goodPatch, (m) => (m.dream.mosaic.tiles = 1e9)), /dream\.mosaic\.tiles/],
      ['an empty patch', edited(goodPatch, (m) => (m.dream = {})), /empty patch/],
    ];
    for (const [what, m, why] of cases) {
      const r = reject(m);
      expect(r, what).not.toBeNull();
      expect(r!, what).toMatch(why);
    }
  });

  it('over a BroadcastChannel: a bad params message is dropped with the same one console line; the good ones glide the value', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const room = `delta-${Date.now()}`;
    const store = createDreamStore(dream());
    const carrier = createBroadcastCarrier(room);
    const sync = startAudienceSync(store, carrier, 'aud-1', { offset: () => 0 });
    const post = new BroadcastChannel(`dreamscape:${room}`);
    const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
    post.postMessage(JSON.parse(JSON.stringify(stateOf({ ...dream(), depth: 0.2 }, 1))));
    await settle();
    expect(store.getState().dream.depth).toBe(0.2);
    post.postMessage(edited(goodParams, (m) => (m.values = { depth: 1.5 })));
    post.postMessage(edited(goodParams, (m) => (m.values = { 'depth.x': 0.5 })));
    await settle(120);
    expect(store.getState().dream.depth).toBe(0.2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^dreamscape: dropped a message from another window: \$\.values\.depth: 1\.5 is out of range 0\.\.1/);
    post.postMessage(paramsOf(4, { depth: 0.8 }));
    await settle(20);
    const mid = store.getState().dream.depth;
    await settle(120);
    expect(store.getState().dream.depth).toBe(0.8);
    // (it glided there: 20 ms in, it was on its way)
    expect(mid).toBeGreaterThan(0.2);
    expect(mid).toBeLessThan(0.8);
    expect(sync.paramsReceived()).toBe(1);
    sync.stop();
    carrier.close();
    post.close();
  });
});
