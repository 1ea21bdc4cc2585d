import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { createDreamStore, dispatch } from '../../src/store/dream-store.ts';
import { startAudienceSync } from '../../src/sync/audience-sync.ts';
import { loadIdentity, seqStart, saveSeq } from '../../src/sync/performer-id.ts';
import { startPerformerSync } from '../../src/sync/performer-sync.ts';
import type { PerformerSync } from '../../src/sync/performer-sync.ts';
import { observable } from '../../src/sync/protocol.ts';
import type { Carrier, LinkInfo, SyncMessage } from '../../src/sync/protocol.ts';

const dream = (): DreamState => {
  const v = validatePreset(JSON.parse(readFileSync(new URL('../../presets/dream-temple.json', import.meta.url), 'utf8')));
  if (!v.ok) throw new Error('preset');
  return resolvePreset(v.preset, { tiles: 64 });
};

/** A room in memory: what one carrier sends, every other carrier hears (as a BroadcastChannel does). */
const room = () => {
  const members = new Set<Set<(m: SyncMessage) => void>>();
  const join = (): Carrier => {
    const listeners = new Set<(m: SyncMessage) => void>();
    members.add(listeners);
    return {
      link: observable<LinkInfo>({ carrier: 'broadcast', relay: null, state: 'connected', since: 0, connects: 1, refused: null, error: null }),
      send: (m) => {
        for (const other of members) if (other !== listeners) for (const fn of other) fn(structuredClone(m));
      },
      onMessage: (fn) => (listeners.add(fn), () => listeners.delete(fn)),
      close: () => void members.delete(listeners),
    };
  };
  return { join };
};

describe('one performer per room', () => {
  let t = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    t = 1_000_000;
  });
  afterEach(() => vi.useRealTimers());
  const now = () => t;
  const wait = async (ms: number) => {
    t += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('the audience follows the first; the second stands by and sees it; takeOver moves the room; the first then stands by', async () => {
    const r = room();
    const storeA = createDreamStore(dream());
    const a = startPerformerSync(storeA, r.join(), { identity: { id: 'perf-a', since: 100, takeover: 0 }, now, wallNow: now });
    const aud = createDreamStore(dream());
    const audience = startAudienceSync(aud, r.join(), 'aud', { now, offset: () => 0 });
    dispatch(storeA, { type: 'set', path: 'unity', value: 0.11 });
    expect(aud.getState().dream.unity).toBe(0.11);
    const storeB = createDreamStore(dream());
    const b = startPerformerSync(storeB, r.join(), { identity: { id: 'perf-b', since: 200, takeover: 0 }, now, wallNow: now });
    dispatch(storeB, { type: 'set', path: 'unity', value: 0.99 });
    await wait(1000);
    expect(aud.getState().dream.unity).toBe(0.11);
    expect(audience.following()).toBe('perf-a');
    expect(b.standby()).toBe(true);
    expect(b.otherPerformer()).toMatchObject({ id: 'perf-a', holdsRoom: true });
    expect(a.standby()).toBe(false);
    expect(a.otherPerformer()).toMatchObject({ id: 'perf-b', holdsRoom: false });
    expect(audience.ignored()).toBeGreaterThan(0);

    b.takeOver();
    expect(audience.following()).toBe('perf-b');
    expect(aud.getState().dream.unity).toBe(0.99);
    await wait(1000);
    expect(a.standby()).toBe(true);
    expect(b.standby()).toBe(false);
    dispatch(storeA, { type: 'set', path: 'unity', value: 0.2 });
    expect(aud.getState().dream.unity).toBe(0.99); // the first, standing by, is not taken
    // and the first can take it back
    a.takeOver();
    expect(audience.following()).toBe('perf-a');
    expect(a.identity().takeover).toBeGreaterThan(b.identity().takeover);
    for (const s of [a, b] as PerformerSync[]) s.stop();
    audience.stop();
  });

  it('when the followed performer is gone, another is taken after 5 s of silence, not before', async () => {
    const r = room();
    const storeA = createDreamStore(dream());
    const ca = r.join();
    const a = startPerformerSync(storeA, ca, { identity: { id: 'perf-a', since: 100, takeover: 0 }, now, wallNow: now });
    const aud = createDreamStore(dream());
    const audience = startAudienceSync(aud, r.join(), 'aud', { now, offset: () => 0 });
    const storeB = createDreamStore(dream());
    const b = startPerformerSync(storeB, r.join(), { identity: { id: 'perf-b', since: 200, takeover: 0 }, now, wallNow: now });
    await wait(1000);
    a.stop();
    ca.close();
    await wait(4000);
    expect(audience.following()).toBe('perf-a');
    await wait(2000);
    expect(b.standby()).toBe(false);
    expect(audience.following()).toBe('perf-b');
    b.stop();
    audience.stop();
  });

  it('a reloaded tab keeps its id and place, and its seq goes on rising: the audience follows it at once', async () => {
    const storage = new Map<string, string>();
    const session = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) } as Storage;
    const first = loadIdentity('show', session);
    expect(loadIdentity('show', session)).toEqual(first);
    expect(loadIdentity('other-room', session).id).not.toBe(first.id);
    const s1 = seqStart('show', session, 1_700_000_000_000);
    expect(Number.isSafeInteger(s1)).toBe(true);
    saveSeq('show', s1 + 500, session);
    // a reload a moment later (even with the clock stepped back) starts above where it left off
    expect(seqStart('show', session, 1_699_999_999_000)).toBeGreaterThan(s1 + 500);

    const r = room();
    const aud = createDreamStore(dream());
    const audience = startAudienceSync(aud, r.join(), 'aud', { now, offset: () => 0 });
    const other = startPerformerSync(createDreamStore(dream()), r.join(), { identity: { id: 'perf-b', since: first.since + 1, takeover: 0 }, now, wallNow: now });
    const storeA = createDreamStore(dream());
    const ca = r.join();
    // B is heard first; A is older in the room, so B stands by and the audience follows A
    let a = startPerformerSync(storeA, ca, { identity: first, seqStart: s1, now, wallNow: now });
    await wait(1000);
    other.stop();
    await wait(6000);
    expect(audience.following()).toBe(first.id);
    a.stop();
    // the reload: the same identity, seq from the saved one
    a = startPerformerSync(storeA, ca, { identity: loadIdentity('show', session), seqStart: seqStart('show', session, 1_700_000_000_100), now, wallNow: now });
    dispatch(storeA, { type: 'set', path: 'unity', value: 0.77 });
    expect(aud.getState().dream.unity).toBe(0.77);
    a.stop();
    audience.stop();
  });

  it('a duplicated tab (its session storage copied) takes a new id; the original keeps its own', async () => {
    const r = room();
    const id = { id: 'perf-dup', since: 100, takeover: 0 };
    const original = startPerformerSync(createDreamStore(dream()), r.join(), { identity: id, seqStart: 1_000, now, wallNow: now });
    const changed: string[] = [];
    const clone = startPerformerSync(createDreamStore(dream()), r.join(), { identity: id, seqStart: 5_000_000, now, wallNow: now, onIdentity: (x) => void changed.push(x.id) });
    await wait(1000);
    expect(original.identity().id).toBe('perf-dup');
    expect(clone.identity().id).not.toBe('perf-dup');
    expect(changed).toEqual([clone.identity().id]);
    await wait(1000);
    expect(clone.standby()).toBe(true);
    original.stop();
    clone.stop();
  });
});
