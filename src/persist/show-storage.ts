/**
 * Where a performer's show is kept: this tab's session storage (a reload of the same tab takes it
 * up at once, synchronously, before the page says anything to its audiences) and, per room, the
 * browser's IndexedDB (a new tab of the same room offers to resume it). Every call reports a
 * refusal (private mode, a full disk, storage turned off) as a message instead of throwing.
 */
export type Stored<T> = { ok: true; value: T } | { ok: false; error: string };

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export const sessionKey = (room: string): string => `dreamscape.show.${room}`;

export const readSession = (room: string): Stored<string | null> => {
  try {
    return { ok: true, value: window.sessionStorage.getItem(sessionKey(room)) };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
};

export const writeSession = (room: string, text: string): Stored<null> => {
  try {
    window.sessionStorage.setItem(sessionKey(room), text);
    return { ok: true, value: null };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
};

const DB_NAME = 'dreamscape';
const DB_VERSION = 1;
const STORE = 'shows';

const openDb = (): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(DB_NAME, DB_VERSION);
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });

/** One kept show per room, in IndexedDB. Opens the database once, on first use. */
export interface ShowDb {
  get(room: string): Promise<Stored<string | null>>;
  put(room: string, text: string): Promise<Stored<null>>;
  close(): void;
}

export const createShowDb = (): ShowDb => {
  let db: Promise<IDBDatabase> | null = null;
  const run = <T,>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest): Promise<Stored<T>> =>
    (db ??= openDb())
      .then(
        (d) =>
          new Promise<Stored<T>>((resolve) => {
            const tx = d.transaction(STORE, mode);
            const request = fn(tx.objectStore(STORE));
            tx.oncomplete = () => resolve({ ok: true, value: request.result as T });
            tx.onerror = () => resolve({ ok: false, error: describeError(tx.error) });
            tx.onabort = () => resolve({ ok: false, error: describeError(tx.error ?? new Error('aborted')) });
          }),
      )
      .catch((e: unknown) => ({ ok: false, error: describeError(e) }));
  return {
    get: async (room) => {
      const r = await run<unknown>('readonly', (s) => s.get(room));
      if (!r.ok) return r;
      return { ok: true, value: typeof r.value === 'string' ? r.value : null };
    },
    put: async (room, text) => {
      const r = await run<unknown>('readwrite', (s) => s.put(text, room));
      return r.ok ? { ok: true, value: null } : r;
    },
    close: () => {
      void db?.then((d) => d.close()).catch(() => undefined);
      db = null;
    },
  };
};
