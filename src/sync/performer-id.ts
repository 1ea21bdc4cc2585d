/**
 * Who a performer is, kept in the tab's sessionStorage per room, so a reloaded tab is the same
 * performer: the same `from` (devices keep following it at once), the same place in the room
 * (`since`, `takeover`) and a `seq` that keeps increasing (devices ignore `seq <= last` from the
 * same `from`). A new tab, or another browser, is another performer.
 *
 * seq starts at the page's load time in microseconds (Date.now() * 1000: 1.8e15 today, a safe
 * integer until the year 2255), and above the last seq this tab saved: a reload always starts
 * above where it left off unless the page sent more than 1,000 messages a millisecond.
 */
export interface PerformerIdentity {
  id: string;
  /** When this performer first joined the room (wall ms). */
  since: number;
  /** When it last took the room over explicitly (wall ms), 0 if never. */
  takeover: number;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const key = (room: string) => `dreamscape:performer:${room}`;
const seqKey = (room: string) => `dreamscape:performer-seq:${room}`;

export const randomId = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `w${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

const storage = (): Storage | null => {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage refused (a sandboxed frame, some private modes)
  }
};

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e15;

export const freshIdentity = (now = Date.now()): PerformerIdentity => ({ id: randomId(), since: now, takeover: 0 });

/** This tab's identity in the room (a fresh one if none is saved, or what is saved is not one). */
export const loadIdentity = (room: string, store: Storage | null = storage()): PerformerIdentity => {
  try {
    const raw = store?.getItem(key(room));
    if (raw) {
      const v = JSON.parse(raw) as Partial<PerformerIdentity>;
      if (typeof v.id === 'string' && ID.test(v.id) && finite(v.since) && finite(v.takeover)) return { id: v.id, since: v.since, takeover: v.takeover };
    }
  } catch {
    /* unreadable: a fresh identity */
  }
  const fresh = freshIdentity();
  saveIdentity(room, fresh, store);
  return fresh;
};

export const saveIdentity = (room: string, identity: PerformerIdentity, store: Storage | null = storage()): void => {
  try {
    store?.setItem(key(room), JSON.stringify(identity));
  } catch {
    /* full or refused: this load keeps it in memory */
  }
};

/** Where this load's seq starts: above the load time in µs and above what the tab saved. */
export const seqStart = (room: string, store: Storage | null = storage(), now = Date.now()): number => {
  let saved = 0;
  try {
    const n = Number(store?.getItem(seqKey(room)) ?? 0);
    if (Number.isSafeInteger(n) && n > 0) saved = n;
  } catch {
    /* none */
  }
  const start = Math.max(Math.floor(now) * 1000, saved + 1);
  return Number.isSafeInteger(start + 1e9) ? start : 0;
};

export const saveSeq = (room: string, seq: number, store: Storage | null = storage()): void => {
  try {
    store?.setItem(seqKey(room), String(seq));
  } catch {
    /* full or refused */
  }
};
