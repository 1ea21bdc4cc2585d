import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { catchUpSeconds, playsHere, startAudienceSync } from '../../src/sync/audience-sync.ts';
import { bestSample, sampleOf, startClockEstimator } from '../../src/sync/clock-offset.ts';
import { frameReference } from '../../src/sync/frames.ts';
import { startPerformerSync } from '../../src/sync/performer-sync.ts';
import { actsKey, partKey } from '../../src/sync/state-message.ts';
import { audienceProjection } from '../../src/sync/projection.ts';
import { dispatch, loadPresetInto } from '../../src/store/dream-store.ts';
import { observable, PROTOCOL } from '../../src/sync/protocol.ts';
import type { Carrier, ClockReply, ClockRequest, LinkInfo, PatchMessage, StateMessage, SyncMessage } from '../../src/sync/protocol.ts';

const dream = (): DreamState => {
  const r = validatePreset(JSON.parse(readFileSync(new URL('../../presets/dream-temple.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error('preset');
  return resolvePreset(r.preset, { tiles: 64 });
};

/** A carrier in memory: what one side sends, the test hands to the other. */
const memoryCarrier = () => {
  const sent: SyncMessage[] = [];
  const listeners = new Set<(m: SyncMessage) => void>();
  const link = observable<LinkInfo>({ carrier: 'relay', relay: 'ws://test', state: 'connected', since: 0, connects: 1, refused: null, error: null });
  let answer: ((r: ClockRequest) => ClockReply | null) | null = null;
  const carrier: Carrier = {
    link,
    send: (m) => void sent.push(m),
    onMessage: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => listeners.clear(),
    answerClock: (fn) => {
      answer = fn;
      return () => {
        answer = null;
      };
    },
  };
  return { carrier, sent, link, deliver: (m: SyncMessage) => listeners.forEach((fn) => fn(m)), ask: (id: string) => answer?.({ kind: 'clock', protocol: PROTOCOL, id }) };
};

const stateMsg = (d: DreamState, over: Partial<StateMessage> = {}): StateMessage => ({
  kind: 'state', protocol: PROTOCOL, from: 'p1', seq: 1, clock: d.clock, sentAt: 0, clockAt: 0, audio: 'audience', devices: 'all', actsKey: actsKey(d.acts), sceneKey: partKey(d.scene), dream: d, ...over,
});

describe('clock offset by pings', () => {
  it('takes offset = t1 - (t0 + t2) / 2 and keeps the lowest round trip', () => {
    expect(sampleOf(100, 1150, 120)).toEqual({ offsetMs: 1040, rttMs: 20 });
    expect(bestSample([sampleOf(0, 60, 100), sampleOf(0, 6, 10), sampleOf(0, 30, 40)])).toEqual({ offsetMs: 1, rttMs: 10 });
    expect(bestSample([])).toBeNull();
  });

  it('estimates a known offset within half the asymmetry of the best ping, despite queueing on others', async () => {
    // The performer's clock is 5000 ms ahead. Each ping's way there and back take 1..40 ms, at random.
    let t = 0;
    const now = () => t;
    const rnd = (() => {
      let s = 7;
      return () => ((s = (s * 16807) % 2147483647) / 2147483647);
    })();
    const ask = async () => {
      const there = 1 + rnd() * 40;
      const back = 1 + rnd() * 40;
      t += there;
      const t1 = t + 5000;
      t += back;
      return t1;
    };
    const est = startClockEstimator(ask, { now, gapMs: 0, everyMs: 1e9 });
    const e = await est.measure();
    est.stop();
    expect(e).not.toBeNull();
    expect(e!.answered).toBe(8);
    expect(Math.abs(e!.offsetMs - 5000)).toBeLessThanOrEqual(e!.rttMs / 2);
  });

  it('leaves out pings that fail and keeps the last estimate when a whole burst fails', async () => {
    let fail = false;
    let n = 0;
    const est = startClockEstimator(async () => {
      n++;
      if (fail || n % 2 === 0) throw new Error('timeout');
      return 42;
    }, { now: () => 40, gapMs: 0, everyMs: 1e9 });
    const first = await est.measure();
    expect(first).toMatchObject({ offsetMs: 2, answered: 4, bursts: 1 });
    fail = true;
    expect(await est.measure()).toEqual(first);
    est.stop();
  });

  it('pings every 10 s', async () => {
    vi.useFakeTimers();
    const ask = vi.fn(async () => 0);
    const est = startClockEstimator(ask, { gapMs: 0, now: () => 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ask).toHaveBeenCalledTimes(8);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ask).toHaveBeenCalledTimes(16);
    est.stop();
    vi.useRealTimers();
  });

  it('pings again after 2 s (up to 3 times) while the best round trip is long', async () => {
    vi.useFakeTimers();
    let t = 0;
    const ask = vi.fn(async () => {
      t += 100; // every ping takes 100 ms: a busy performer page
      return t;
    });
    const est = startClockEstimator(ask, { gapMs: 0, now: () => t });
    await est.measure();
    expect(ask).toHaveBeenCalledTimes(8);
    await vi.advanceTimersByTimeAsync(2000);
    expect(ask).toHaveBeenCalledTimes(16);
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(ask).toHaveBeenCalledTimes(32);
    await vi.advanceTimersByTimeAsync(2000);
    expect(ask).toHaveBeenCalledTimes(32); // three quick retries, then every 10 s again
    est.stop();
    vi.useRealTimers();
  });
});

describe('applying a state at the performer dream time', () => {
  it('adds the time since the performer frame, on the performer clock, and never goes back', () => {
    expect(catchUpSeconds({ clockAt: 1000 }, 1100, 0)).toBeCloseTo(0.1);
    // This device's clock is 5 s behind the performer's.
    expect(catchUpSeconds({ clockAt: 6000 }, 1030, 5000)).toBeCloseTo(0.03);
    expect(catchUpSeconds({ clockAt: 1000 }, 900, 0)).toBe(0);
    expect(catchUpSeconds({ clockAt: 0 }, 1e9, 0)).toBe(2);
    expect(catchUpSeconds({ clockAt: 1000 }, 1100, null)).toBe(0);
  });

  it('stamps the dream with the last frame while frames run, and with now when they stopped', () => {
    expect(frameReference(1000, 990)).toBe(990);
    expect(frameReference(1000, 500)).toBe(1000);
    expect(frameReference(1000, null)).toBe(1000);
  });

  it('an audience replaces its dream and advances it by the transit; another performer is taken only after 5 s of silence', () => {
    const store = createDreamStore(dream());
    const m = memoryCarrier();
    let t = 10_000;
    const sync = startAudienceSync(store, m.carrier, 'a', { now: () => t, offset: () => 0 });
    const d = { ...dream(), clock: 30, unity: 0.42 };
    t = 10_050;
    m.deliver(stateMsg(d, { seq: 5, clockAt: 10_000 }));
    expect(store.getState().dream.unity).toBe(0.42);
    expect(store.getState().dream.clock).toBeCloseTo(30.05, 5);
    expect(sync.lastCatchUp()).toBeCloseTo(0.05);
    // older from the same performer: ignored
    m.deliver(stateMsg({ ...d, unity: 0.1 }, { seq: 4, clockAt: 10_050 }));
    expect(store.getState().dream.unity).toBe(0.42);
    // another performer: ignored while the followed one is live, taken once it was silent 5 s
    m.deliver(stateMsg({ ...d, unity: 0.2 }, { from: 'p2', seq: 1, clockAt: 10_050 }));
    expect(store.getState().dream.unity).toBe(0.42);
    t = 15_050;
    m.deliver(stateMsg({ ...d, unity: 0.2 }, { from: 'p2', seq: 2, clockAt: 15_050 }));
    expect(store.getState().dream.unity).toBe(0.2);
    sync.stop();
  });

  it('with a frame hook, a state waits for the next frame and is set to the performer dream time there', () => {
    vi.useFakeTimers();
    const store = createDreamStore(dream());
    const m = memoryCarrier();
    let t = 10_000;
    let frame: (() => void) | null = null;
    const sync = startAudienceSync(store, m.carrier, 'a', { now: () => t, offset: () => 0, onFrame: (fn) => ((frame = fn), () => (frame = null)) });
    m.deliver(stateMsg({ ...dream(), clock: 30, unity: 0.6 }, { seq: 1, clockAt: 10_000 }));
    expect(store.getState().dream.unity).not.toBe(0.6); // not yet: at the next frame
    expect(sync.received()).toBe(1);
    t = 10_016;
    frame!();
    expect(store.getState().dream.unity).toBe(0.6);
    expect(store.getState().dream.clock).toBeCloseTo(30.016, 5);
    // no frames (a hidden tab): applied 250 ms after it came
    m.deliver(stateMsg({ ...dream(), clock: 31, unity: 0.7 }, { seq: 2, clockAt: 10_016 }));
    t = 10_300;
    vi.advanceTimersByTime(250);
    expect(store.getState().dream.unity).toBe(0.7);
    sync.stop();
    expect(frame).toBeNull();
    vi.useRealTimers();
  });

  it('plays the symphony on every device, or only on the named ones', () => {
    expect(playsHere('audience', 'all', undefined)).toBe(true);
    expect(playsHere('performer', 'all', 'pa')).toBe(false);
    expect(playsHere('audience', ['pa', 'left'], 'pa')).toBe(true);
    expect(playsHere('audience', ['pa'], 'phone')).toBe(false);
    expect(playsHere('audience', ['pa'], undefined)).toBe(false);

    const store = createDreamStore(dream());
    const m = memoryCarrier();
    const sync = startAudienceSync(store, m.carrier, 'a', { device: 'pa' });
    let changes = 0;
    sync.onChange(() => changes++);
    m.deliver(stateMsg(dream(), { seq: 1, devices: ['left'] }));
    expect(sync.audioHere()).toBe(false);
    m.deliver(stateMsg(dream(), { seq: 2, devices: ['left', 'pa'] }));
    expect(sync.audioHere()).toBe(true);
    expect(changes).toBe(2);
    sync.stop();
  });
});

describe('performer over a relay', () => {
  it('answers clock pings, counts devices by them, greets a new device with the state, and re-sends on reconnect', async () => {
    vi.useFakeTimers();
    const store = createDreamStore(dream());
    const m = memoryCarrier();
    let t = 1000;
    const sync = startPerformerSync(store, m.carrier, { now: () => t, id: 'perf' });
    expect(m.sent).toHaveLength(1);
    const reply = m.ask('dev-1');
    expect(reply).toEqual({ kind: 'clock', protocol: PROTOCOL, t: 1000 });
    expect(sync.audiences()).toBe(1);
    // 'auto' puts the symphony in the audience once a device is there
    expect(sync.audioPlace()).toBe('audience');
    await vi.advanceTimersByTimeAsync(150);
    const states = m.sent.filter((x): x is StateMessage => x.kind === 'state');
    expect(states.at(-1)!.from).toBe('perf');
    const before = m.sent.length;
    m.ask('dev-1'); // a device already known is not greeted again
    await vi.advanceTimersByTimeAsync(150);
    expect(m.sent.length).toBe(before);
    m.link.set({ ...m.link.get(), state: 'reconnecting' });
    m.link.set({ ...m.link.get(), state: 'connected' });
    expect(m.sent.length).toBe(before + 1);
    sync.setAudioDevices(['pa', ' left ', '', 'pa']);
    expect((m.sent.at(-1) as StateMessage).devices).toEqual(['pa', 'left']);
    t += 30_000;
    expect(sync.audiences()).toBe(0);
    sync.stop();
    vi.useRealTimers();
  });
});

describe('the acts by key: a state message carries the show script only when it may be new', () => {
  it('the performer sends the acts first, on heartbeats, greetings and when they change; the states between are three times smaller, and a change is a patch', async () => {
    vi.useFakeTimers();
    const store = createDreamStore(dream());
    const m = memoryCarrier();
    const sync = startPerformerSync(store, m.carrier, { now: () => 1000, id: 'perf' });
    const states = () => m.sent.filter((x): x is StateMessage => x.kind === 'state');
    // (what crosses is the audience's projection: the acts without their notes)
    expect(states()[0]!.dream.acts).toEqual(audienceProjection(store.getState().dream).acts);
    expect(states()[0]!.dream.acts!.every((a) => a.note === '')).toBe(true);
    dispatch(store, { type: 'fracture', amount: 0.5 });
    dispatch(store, { type: 'glitch', amount: 0.5 });
    // a discrete change is a patch under the same key, without the acts
    const patch = m.sent.at(-1) as PatchMessage;
    expect(patch.kind).toBe('patch');
    expect(patch.dream.acts).toBeUndefined();
    expect(patch.actsKey).toBe(states()[0]!.actsKey);
    // a state that is not a heartbeat (where the symphony plays changed) leaves them out too
    sync.setAudioDevices(['pa']);
    const lean = states().at(-1)!;
    expect(lean.dream.acts).toBeUndefined();
    expect(lean.actsKey).toBe(states()[0]!.actsKey);
    const full = JSON.stringify(states()[0]).length;
    const small = JSON.stringify(lean).length;
    // (four times before the act notes were left out of what an audience receives: 5.8 KB and 1.6 KB now)
    expect(small).toBeLessThan(full / 3);
    expect(JSON.stringify(patch).length).toBeLessThan(small / 3);
    // the heartbeat carries them again, for whoever joined or missed them
    await vi.advanceTimersByTimeAsync(1000);
    expect(states().at(-1)!.dream.acts).toBeDefined();
    // a hello is answered with them
    m.deliver({ kind: 'hello', protocol: PROTOCOL, id: 'late' });
    expect(states().at(-1)!.dream.acts).toBeDefined();
    // a preset with other acts: the next message carries the new acts under a new key
    const before = states().at(-1)!.actsKey;
    loadPresetInto(store, JSON.parse(readFileSync(new URL('../../presets/sleep-square.json', import.meta.url), 'utf8')), 'test');
    const after = m.sent.at(-1) as PatchMessage;
    expect(after.kind).toBe('patch');
    expect(after.actsKey).not.toBe(before);
    expect(after.dream.acts).toEqual(audienceProjection(store.getState().dream).acts);
    sync.stop();
    vi.useRealTimers();
  });

  it('an audience that has not got the acts waits for a message with them, then follows the lean ones to the same dream', () => {
    vi.useFakeTimers();
    const performer = createDreamStore(dream());
    const p = memoryCarrier();
    const sync = startPerformerSync(performer, p.carrier, { now: () => 1000, id: 'perf' });
    const audience = createDreamStore({ ...dream(), unity: 0.01 });
    const a = memoryCarrier();
    const follow = startAudienceSync(audience, a.carrier, 'late', { now: () => 1000, offset: () => 0 });
    // joined late: the first message it hears is a lean one
    dispatch(performer, { type: 'set', path: 'unity', value: 0.9 });
    a.deliver(p.sent.at(-1)!);
    expect(follow.received()).toBe(0);
    expect(audience.getState().dream.unity).toBe(0.01);
    vi.advanceTimersByTime(1000); // the heartbeat, with the acts
    a.deliver(p.sent.at(-1)!);
    expect(follow.received()).toBe(1);
    dispatch(performer, { type: 'fracture', amount: 0.7 });
    const lean = p.sent.at(-1) as PatchMessage;
    expect(lean.kind).toBe('patch');
    expect(lean.dream.acts).toBeUndefined();
    a.deliver(lean);
    expect(follow.received()).toBe(2);
    expect(audience.getState().dream).toEqual(audienceProjection(performer.getState().dream));
    sync.stop();
    follow.stop();
    vi.useRealTimers();
  });
});
