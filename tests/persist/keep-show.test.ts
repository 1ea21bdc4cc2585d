import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { reduce, resolvePreset, timelineTime, V1_SCENE, validatePreset } from '../../src/model/index.ts';
import type { ShowLog } from '../../src/model/index.ts';
import { startKeepingShow } from '../../src/persist/keep-show.ts';
import { checkDream, decodeSavedShow, dreamToResume, encodeSavedShow } from '../../src/persist/saved-show.ts';
import type { ShowDb, Stored } from '../../src/persist/show-storage.ts';
import { apply, createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

const memoryDb = (fail: string | null = null) => {
  const rows = new Map<string, string>();
  const db: ShowDb & { rows: Map<string, string>; puts: number } = {
    rows,
    puts: 0,
    get: async (room) => (fail ? { ok: false, error: fail } : { ok: true, value: rows.get(room) ?? null }),
    put: async (room, text) => {
      db.puts++;
      if (fail) return { ok: false, error: fail };
      rows.set(room, text);
      return { ok: true, value: null };
    },
    close: () => undefined,
  };
  return db;
};

describe('a kept show', () => {
  it('reads back what was kept, and refuses another room, another format or a broken dream', () => {
    const dream = reduce(fixtureState(), { type: 'act', to: 1 });
    const text = encodeSavedShow({ room: 'hall', savedAt: 1000, paused: false, dream, ahead: 0.005, audio: { choice: 'performer', devices: ['pa'] } });
    const back = decodeSavedShow(text, 'hall', checkDream);
    expect(back.ok && back.show.dream).toEqual(dream);
    expect(back.ok && back.show.ahead).toBe(0.005);
    expect(back.ok && back.show.audio).toEqual({ choice: 'performer', devices: ['pa'] });
    expect(decodeSavedShow(text, 'other', checkDream)).toMatchObject({ ok: false, problem: expect.stringContaining('room') });
    expect(decodeSavedShow(text.replace('"version":1', '"version":9'), 'hall', checkDream)).toMatchObject({ ok: false, problem: expect.stringContaining('version 9') });
    expect(decodeSavedShow('{"format":"dreamscape-saved-show"', 'hall', checkDream)).toMatchObject({ ok: false, problem: 'not JSON' });
    expect(decodeSavedShow(text.replace('"acts":[', '"__proto__":{},"acts":['), 'hall', checkDream)).toMatchObject({ ok: false, problem: expect.stringContaining('forbidden key') });
    // A log that cannot be read loses the log, not the show.
    const badLog = JSON.parse(text) as Record<string, unknown>;
    badLog.log = { format: 'dreamscape-show', version: 1, entries: 'lost' };
    const kept = decodeSavedShow(JSON.stringify(badLog), 'hall', checkDream);
    expect(kept).toMatchObject({ ok: true, warning: expect.stringContaining('its log could not be kept') });
    expect(kept.ok && kept.show.dream).toEqual(dream);
    expect(kept.ok && kept.show.log).toBeUndefined();
    const broken = JSON.parse(text) as { dream: unknown };
    broken.dream = { nothing: true };
    expect(decodeSavedShow(JSON.stringify(broken), 'hall', checkDream)).toMatchObject({ ok: false, problem: expect.stringContaining('its dream') });
  });

  it('a dream kept before the scene layers existed comes back with the look it had (a morph target too)', () => {
    const now = reduce(fixtureState(), { type: 'act', to: 1 });
    const old = JSON.parse(JSON.stringify(now)) as Record<string, unknown>;
    delete old.scene;
    delete old.flow;
    delete old.cameraTime;
    const target = JSON.parse(JSON.stringify(now)) as Record<string, unknown>;
    delete target.scene;
    delete target.flow;
    delete target.cameraTime;
    target.morph = null;
    old.morph = { from: {}, to: {}, seconds: 4, elapsed: 1, target, switched: false };
    const r = checkDream(old);
    if (!r.ok) throw new Error(r.problem);
    expect(r.dream.scene).toEqual(V1_SCENE);
    expect(r.dream.cameraTime).toBe(now.clock);
    expect(r.dream.morph?.target?.scene).toEqual(V1_SCENE);
  });

  it('a kept dream is checked as dreams from the wire are, private dreamers in full (it never leaves the machine)', () => {
    for (const id of ['dream-hub', 'dream-temple', 'sleep-square']) {
      const r = validatePreset(JSON.parse(readFileSync(new URL(`../../presets/${id}.json`, import.meta.url), 'utf8')));
      if (!r.ok) throw new Error(id);
      const dream = reduce(resolvePreset(r.preset), { type: 'fracture' });
      expect(checkDream(dream)).toEqual({ ok: true, dream });
    }
    expect(checkDream({ ...fixtureState(), tempo: 'fast' })).toMatchObject({ ok: false, problem: expect.stringContaining('tempo') });
    expect(checkDream({ ...fixtureState(), mosaic: { ...fixtureState().mosaic, tiles: 1e9 } })).toMatchObject({ ok: false });
  });

  it('a reloaded tab resumes where the audiences are now: moved on by the time away, unless paused or long gone', () => {
    const dream = fixtureState();
    const show = { format: 'dreamscape-saved-show', version: 1, room: 'r', savedAt: 10_000, paused: false, dream, ahead: 0, audio: { choice: 'auto', devices: 'all' } } as const;
    expect(timelineTime(dreamToResume(show, 12_500))).toBeCloseTo(dream.clock + 2.5, 9);
    expect(timelineTime(dreamToResume({ ...show, paused: true }, 12_500))).toBe(dream.clock);
    expect(timelineTime(dreamToResume(show, 10_000 + 3_600_000))).toBe(dream.clock);
  });
});

describe('keeping the show', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps it on every discrete action (once per task) and at least once a second', async () => {
    const store = createDreamStore(fixtureState());
    const session: string[] = [];
    const db = memoryDb();
    let now = 0;
    const keeper = startKeepingShow({
      store,
      room: 'hall',
      paused: () => false,
      audio: () => ({ choice: 'auto', devices: 'all' }),
      writeSession: (_room, text): Stored<null> => {
        session.push(text);
        return { ok: true, value: null };
      },
      db,
      notice: () => {
        throw new Error('no notice expected');
      },
      now: () => now,
    });
    expect(session).toHaveLength(1);
    apply(store, { type: 'act', to: 2 });
    apply(store, { type: 'set', path: 'mood.arousal', value: 0.9 });
    await Promise.resolve();
    expect(session).toHaveLength(2);
    const kept = JSON.parse(session[1]!) as { dream: { show: { index: number }; mood: { arousal: number } } };
    expect(kept.dream.show.index).toBe(2);
    expect(kept.dream.mood.arousal).toBe(0.9);
    now = 1000;
    await vi.advanceTimersByTimeAsync(3000);
    expect(session).toHaveLength(5);
    expect(keeper.lastKept()).toBe(1000);
    expect(JSON.parse(db.rows.get('hall')!)).toEqual(JSON.parse(session.at(-1)!));
    keeper.stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(session).toHaveLength(5);
  });

  it('a log too large for the tab\'s storage is left out of it (one notice) and the show is kept', async () => {
    const store = createDreamStore(fixtureState());
    const session: string[] = [];
    const notices: string[] = [];
    const bigLog = { format: 'dreamscape-show', version: 1, preset: { version: 1, id: 'x' }, seed: 1, entries: Array.from({ length: 2000 }, (_, i) => ({ t: i, source: 'key', action: { type: 'glitch' } })) } as unknown as ShowLog;
    const keeper = startKeepingShow({
      store,
      room: 'hall',
      paused: () => false,
      audio: () => ({ choice: 'auto', devices: 'all' }),
      log: () => bigLog,
      // a tab storage that takes 10,000 characters at most
      writeSession: (_room, text): Stored<null> => (text.length > 10_000 ? { ok: false, error: 'QuotaExceededError' } : (session.push(text), { ok: true, value: null })),
      db: null,
      notice: (m) => notices.push(m),
    });
    apply(store, { type: 'glitch' });
    await Promise.resolve();
    expect(session.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(session.at(-1)!)).not.toHaveProperty('log');
    expect(JSON.parse(session.at(-1)!).dream.mosaic.glitch).toBeGreaterThan(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/no longer fits in this tab's storage/);
    keeper.stop();
  });

  it('a storage that refuses gives one notice each and the show goes on', async () => {
    const store = createDreamStore(fixtureState());
    const notices: string[] = [];
    const db = memoryDb('QuotaExceededError: the disk is full');
    const keeper = startKeepingShow({
      store,
      room: 'hall',
      paused: () => false,
      audio: () => ({ choice: 'auto', devices: 'all' }),
      writeSession: () => ({ ok: false, error: 'SecurityError: storage is disabled' }),
      db,
      notice: (m) => notices.push(m),
    });
    for (let i = 0; i < 5; i++) apply(store, { type: 'glitch' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(db.puts).toBeGreaterThan(3);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/could not be kept in this tab \(SecurityError: storage is disabled\).*the show goes on/);
    expect(notices[1]).toMatch(/could not be kept for room "hall".*QuotaExceededError.*the show goes on/);
    expect(store.getState().dream.mosaic.glitch).toBeGreaterThan(0);
    keeper.stop();
  });
});
