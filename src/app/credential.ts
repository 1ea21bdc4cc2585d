import type { UrlOptions } from './url-params.ts';
import { listeners } from '../lib/listeners.ts';

/**
 * The performer's relay credential, kept out of every place a secret leaks from: it is read once
 * from the page's URL (`?pass=` / `?nkey=` or, as `npm run relay` prints it, the `#pass=` /
 * `#nkey=` fragment, which no request ever carries), taken out of the address bar at once
 * (history.replaceState: not in the history, a bookmark or a screenshot of the window), and kept
 * in this tab's sessionStorage only (so a reload of the tab still signs in; no other tab, window
 * or later session sees it). An audience view takes it out of its address bar too and never uses
 * it. Nothing shows the value: `dreamscape.sync().credential` says only which kind is held.
 *
 * During a show the credential can change (the relay's secret was rotated: the performer types
 * the new one into the relay panel); the relay carrier reads it at every (re)connect and
 * reconnects when it changes.
 */

export type RelayCredential = { user: string; pass: string } | { nkey: string };
export type CredentialKind = 'password' | 'nkey';

/** The URL parameters that carry a credential (the relay's; the OSC bridge's LAN token): removed from every address bar. */
export const SECRET_PARAMS = ['pass', 'nkey', 'user', 'osctoken'] as const;

/** What the relay carrier needs: the credential as it is now, and word when it changes. */
export interface CredentialSource {
  get(): RelayCredential | null;
  subscribe(fn: () => void): () => void;
}

export interface CredentialHolder extends CredentialSource {
  /** Which kind is held (never the value), or null. */
  kind(): CredentialKind | null;
  /** Hold a new credential (from the relay panel's form), in sessionStorage if it can. */
  set(credential: RelayCredential): void;
  /** Why the credential is kept in this page's memory only (sessionStorage refused), or null. */
  storageProblem(): string | null;
}

/** Where a room's credential lives in the tab's sessionStorage. */
export const credentialKey = (room: string): string => `dreamscape.credential.${room}`;

/** Session-storage keys only a performer's tab may hold (src/persist, src/sync/performer-id.ts). */
export const PERFORMER_ONLY_KEYS: readonly string[] = [credentialKey(''), 'dreamscape.show.', 'dreamscape:performer'];

export const NKEY_SEED = /^SU[A-Z2-7]{56}$/;
const USER = /^[A-Za-z0-9_.-]{1,64}$/;

export const kindOf = (c: RelayCredential): CredentialKind => ('nkey' in c ? 'nkey' : 'password');

const isCredential = (v: unknown): v is RelayCredential => {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.nkey === 'string') return NKEY_SEED.test(o.nkey);
  return typeof o.user === 'string' && USER.test(o.user) && typeof o.pass === 'string' && o.pass.length >= 1 && o.pass.length <= 256;
};

/** What the relay panel's form was given: an nkey seed (SU…) or a password. Never echoes it. */
export const credentialFromInput = (text: string, user = 'performer'): RelayCredential | { problem: string } => {
  const t = text.trim();
  if (t === '') return { problem: 'enter the password or nkey seed that npm run relay printed' };
  if (t.startsWith('SU')) return NKEY_SEED.test(t) ? { nkey: t } : { problem: 'an nkey seed is SU followed by 56 letters A-Z and digits 2-7' };
  if (t.length > 256) return { problem: 'a password is at most 256 characters' };
  return { user, pass: t };
};

/**
 * `href` without pass=, nkey= and user= in its query and its fragment (everything else kept, in
 * order), or null if it has none of them.
 */
export const withoutSecrets = (href: string): string | null => {
  const url = new URL(href);
  let changed = false;
  const strip = (params: URLSearchParams) => {
    for (const k of SECRET_PARAMS) {
      if (params.has(k)) {
        params.delete(k);
        changed = true;
      }
    }
    return params.toString();
  };
  const search = strip(new URLSearchParams(url.search));
  const hash = url.hash.length > 1 ? url.hash.slice(1) : '';
  // A fragment of parameters (#pass=…&x=y) loses the secret ones; any other fragment is left as it is.
  const fragment = hash.includes('=') ? strip(new URLSearchParams(hash)) : hash;
  if (!changed) return null;
  return `${url.origin}${url.pathname}${search ? `?${search}` : ''}${fragment ? `#${fragment}` : ''}`;
};

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

/** A room's credential: in this tab's sessionStorage, or in memory only when that is refused. */
export const createCredentialHolder = (room: string, storage: () => StorageLike): CredentialHolder & { load(): void } => {
  let held: RelayCredential | null = null;
  let problem: string | null = null;
  const changed = listeners<[]>();
  const refused = (e: unknown) => {
    problem = `this tab's session storage refused the performer's secret (${e instanceof Error ? e.name : 'error'}): it is kept in this page only, so a reload will ask for it again`;
  };
  return {
    get: () => held,
    kind: () => (held ? kindOf(held) : null),
    storageProblem: () => problem,
    subscribe: changed.add,
    load: () => {
      try {
        const text = storage().getItem(credentialKey(room));
        if (text === null) return;
        const v: unknown = JSON.parse(text);
        if (isCredential(v)) held = 'nkey' in v ? { nkey: v.nkey } : { user: v.user, pass: v.pass };
      } catch (e) {
        if (!(e instanceof SyntaxError)) refused(e);
      }
    },
    set: (credential) => {
      held = credential;
      try {
        storage().setItem(credentialKey(room), JSON.stringify(credential));
        problem = null;
      } catch (e) {
        refused(e);
      }
      changed.emit((e) => console.error(e));
    },
  };
};

export interface CredentialEnv {
  href(): string;
  replaceUrl(url: string): void;
  storage(): StorageLike;
}

const browserEnv = (): CredentialEnv => ({
  href: () => window.location.href,
  // Keep history.state: the app (or the browser) may have put something there.
  replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  storage: () => window.sessionStorage,
});

let current: CredentialHolder | null = null;
/** The performer's credential of this page (the relay panel's form sets it), once boot has taken it. */
export const pageCredential = (): CredentialHolder | null => current;

/**
 * At boot: take the credential parseUrlOptions found in the URL (query or fragment) out of
 * `options` and out of the address bar; a performer keeps it in the tab's sessionStorage (or,
 * with none in the URL, takes the one kept there by an earlier load of this tab). An audience
 * never holds one.
 */
export const takeCredential = (options: UrlOptions, env: CredentialEnv = browserEnv()): CredentialHolder => {
  const fromUrl: RelayCredential | null =
    options.nkey !== undefined ? { nkey: options.nkey } : options.pass !== undefined ? { user: options.user ?? 'performer', pass: options.pass } : null;
  delete options.user;
  delete options.pass;
  delete options.nkey;
  const clean = withoutSecrets(env.href());
  if (clean !== null) env.replaceUrl(clean);
  const holder = createCredentialHolder(options.room, env.storage);
  if (options.view === 'performer') {
    if (fromUrl) holder.set(fromUrl);
    else holder.load();
  } else {
    // A window opened by the performer's (the O key's audience window) starts with a copy of its
    // sessionStorage: an audience keeps nothing of the performer's (the credential, the kept show
    // with its private dreamers and log, the performer's identity).
    try {
      const s = env.storage();
      const keys = Array.from({ length: s.length }, (_, i) => s.key(i)).filter((k): k is string => k !== null && PERFORMER_ONLY_KEYS.some((prefix) => k.startsWith(prefix)));
      for (const k of keys) s.removeItem(k);
    } catch {
      // no storage: nothing kept in it either
    }
  }
  current = holder;
  return holder;
};
