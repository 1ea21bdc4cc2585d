import type { ShowLog } from '../model/index.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { encodeSavedShow } from './saved-show.ts';
import type { SavedShow } from './saved-show.ts';
import type { ShowDb, Stored } from './show-storage.ts';

/** How often the show is kept even when nothing discrete happened (the clock, faders, glides). */
export const KEEP_EVERY_MS = 1000;

export interface KeepShowOptions {
  store: DreamStore;
  room: string;
  paused: () => boolean;
  /** The show's log so far, or null while a log is replaying. */
  log?: () => ShowLog | null;
  /** Where the symphony plays now. */
  audio: () => SavedShow['audio'];
  /** Called when where it plays changes (kept at once, like an action). */
  onAudioChange?: (fn: () => void) => () => void;
  writeSession: (room: string, text: string) => Stored<null>;
  /** The room's IndexedDB copy; null until the performer chose between resuming and starting fresh. */
  db: ShowDb | null;
  /** One calm line for the performer, once per storage that refuses. */
  notice: (message: string) => void;
  now?: () => number;
  everyMs?: number;
}

export interface ShowKeeper {
  /** Start keeping the room's copy in IndexedDB too (after the resume question was answered). */
  useDb(db: ShowDb): void;
  /** Keep it now (synchronously in session storage). */
  keep(): void;
  /** Wall-clock time (ms) of the last successful keep in session storage, or null. */
  lastKept(): number | null;
  stop(): void;
}

/**
 * Keeps the performer's show at least once a second and on every discrete action (anything that
 * bumps the store's revision), in the tab's session storage and the room's IndexedDB copy. A
 * storage that refuses gives one notice and the show goes on; a later success clears it, so a
 * storage that refuses again is announced again.
 */
export const startKeepingShow = (options: KeepShowOptions): ShowKeeper => {
  const now = options.now ?? (() => Date.now());
  let db = options.db;
  let lastKept: number | null = null;
  let sessionFailing = false;
  let logTooLarge = false;
  let dbFailing = false;
  let inFlight = false;
  let again = false;
  let latest = '';
  let scheduled = false;
  let stopped = false;

  const writeDb = () => {
    if (!db || stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    void db.put(options.room, latest).then((r) => {
      inFlight = false;
      if (!r.ok && !dbFailing) options.notice(`the show could not be kept for room "${options.room}" in this browser (${r.error}): a new tab cannot resume it; the show goes on`);
      dbFailing = !r.ok;
      if (again) {
        again = false;
        writeDb();
      }
    });
  };

  const keep = () => {
    scheduled = false;
    if (stopped) return;
    const t = now();
    const { base, ahead } = options.store.getState();
    const log = options.log?.() ?? null;
    const show = { room: options.room, savedAt: t, paused: options.paused(), dream: base, ahead, audio: options.audio() };
    latest = encodeSavedShow({ ...show, ...(log ? { log } : {}) });
    let r = options.writeSession(options.room, latest);
    if (!r.ok && log) {
      // A long show's log may not fit in the tab's storage (a few MB): keep the show without it
      // there (the room's IndexedDB copy keeps it whole).
      r = options.writeSession(options.room, encodeSavedShow(show));
      if (r.ok && !logTooLarge) options.notice(`the show's log (${Math.round(latest.length / 1e5) / 10} MB) no longer fits in this tab's storage: a reload keeps the show, its log is kept for the room in this browser`);
      logTooLarge = r.ok;
    }
    if (r.ok) lastKept = t;
    else if (!sessionFailing) options.notice(`the show could not be kept in this tab (${r.error}): a reload would start it again from its preset; the show goes on`);
    sessionFailing = !r.ok;
    writeDb();
  };
  /** Many discrete actions in one task are kept once, right after it. */
  const keepSoon = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(keep);
  };

  const unsubscribe = options.store.subscribe((s, prev) => {
    if (s.revision !== prev.revision) keepSoon();
  });
  const offAudio = options.onAudioChange?.(keepSoon);
  const timer = setInterval(keep, options.everyMs ?? KEEP_EVERY_MS);
  const onHide = () => keep();
  if (typeof addEventListener === 'function') addEventListener('pagehide', onHide);
  keep();
  return {
    useDb: (d) => {
      db = d;
      writeDb();
    },
    keep,
    lastKept: () => lastKept,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      offAudio?.();
      if (typeof removeEventListener === 'function') removeEventListener('pagehide', onHide);
    },
  };
};
