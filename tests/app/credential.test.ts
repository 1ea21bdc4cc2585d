import { describe, expect, it } from 'vitest';
import { AUDIENCE_PARAMS, audienceUrl } from '../../src/app/audience-url.ts';
import { credentialFromInput, credentialKey, takeCredential, withoutSecrets } from '../../src/app/credential.ts';
import type { CredentialEnv } from '../../src/app/credential.ts';
import { parseUrlOptions } from '../../src/app/url-params.ts';

const SEED = `SU${'A'.repeat(56)}`;

describe('audienceUrl: an audience URL from an allow-list of view parameters', () => {
  it('keeps room, relay, preset, seed, tiles, device and quality; never pass, nkey, user or anything unknown', () => {
    const performer = `?view=performer&room=show&relay=${encodeURIComponent('wss://relay.example:443')}&preset=dream-hub&seed=7&tiles=64&device=proj&quality=full&pass=sSECRET&nkey=${SEED}&user=performer&debug=1`;
    const url = audienceUrl('/app/', performer);
    expect(url.startsWith('/app/?')).toBe(true);
    const q = new URLSearchParams(url.slice('/app/?'.length));
    expect([...q.keys()]).toEqual(['view', 'room', 'relay', 'preset', 'seed', 'tiles', 'device', 'quality']);
    expect(q.get('view')).toBe('audience');
    expect(q.get('relay')).toBe('wss://relay.example:443');
    expect(q.get('quality')).toBe('full');
    expect(url).not.toMatch(/SECRET|SU[A]{56}|user=|pass=|nkey=|debug/);
    expect(AUDIENCE_PARAMS).not.toContain('pass');
  });

  it('a performer on the default room opens the default room, with nothing but the view', () => {
    expect(audienceUrl('/', '?pass=x')).toBe('/?view=audience');
    expect(audienceUrl('/', '')).toBe('/?view=audience');
  });
});

/** A fake browser: an address bar, a history that replaceState writes, and a sessionStorage (or one that throws). */
const fakeEnv = (href: string, options: { throwing?: boolean; store?: Map<string, string> } = {}) => {
  const store = options.store ?? new Map<string, string>();
  const env = {
    url: href,
    replaced: 0,
    store,
    href: () => env.url,
    replaceUrl: (u: string) => {
      env.url = new URL(u, env.url).href;
      env.replaced++;
    },
    storage: () => {
      if (options.throwing) throw new DOMException('The operation is insecure.', 'SecurityError');
      return {
        getItem: (k: string) => store.get(k) ?? null,
        setItem: (k: string, v: string) => void store.set(k, v),
        removeItem: (k: string) => void store.delete(k),
        key: (i: number) => [...store.keys()][i] ?? null,
        get length() {
          return store.size;
        },
      };
    },
  };
  return env satisfies CredentialEnv;
};

const boot = (env: ReturnType<typeof fakeEnv>) => {
  const u = new URL(env.url);
  const options = parseUrlOptions(u.search, [], u.hash);
  return { options, credential: takeCredential(options, env) };
};

describe('takeCredential: the secret read once, kept in the tab, out of the address bar', () => {
  it('takes #pass= from the fragment, keeps it in sessionStorage under the room, and removes it from the address bar (keeping the rest)', () => {
    const env = fakeEnv('http://127.0.0.1:8080/?view=performer&room=show&relay=ws%3A%2F%2F127.0.0.1%3A8090&tiles=64#pass=sFragmentSecret123');
    const { options, credential } = boot(env);
    expect(credential.get()).toEqual({ user: 'performer', pass: 'sFragmentSecret123' });
    expect(credential.kind()).toBe('password');
    expect(env.url).toBe('http://127.0.0.1:8080/?view=performer&room=show&relay=ws%3A%2F%2F127.0.0.1%3A8090&tiles=64');
    expect(env.replaced).toBe(1);
    expect(JSON.parse(env.store.get(credentialKey('show'))!)).toEqual({ user: 'performer', pass: 'sFragmentSecret123' });
    // nothing of it left in the options the app keeps
    expect(JSON.stringify(options)).not.toContain('sFragmentSecret123');
    expect(options).toMatchObject({ view: 'performer', room: 'show', tiles: 64 });
  });

  it('takes ?pass=, ?user= and ?nkey= from the query too (nkey first), and strips both places, other fragment parameters kept', () => {
    const env = fakeEnv(`http://h/?room=r&pass=sQuerySecret123&user=perf&x=1#nkey=${SEED}&keep=2`);
    const { credential } = boot(env);
    expect(credential.get()).toEqual({ nkey: SEED });
    expect(credential.kind()).toBe('nkey');
    expect(env.url).toBe('http://h/?room=r&x=1#keep=2');
    const userPass = fakeEnv('http://h/?room=r&user=perf#pass=sFragmentSecret123');
    expect(boot(userPass).credential.get()).toEqual({ user: 'perf', pass: 'sFragmentSecret123' });
  });

  it('a reload of the tab (no secret in the URL any more) signs in from sessionStorage; another room does not', () => {
    const store = new Map<string, string>();
    boot(fakeEnv('http://h/?room=show#pass=sFragmentSecret123', { store }));
    const reload = fakeEnv('http://h/?room=show', { store });
    const { credential } = boot(reload);
    expect(credential.get()).toEqual({ user: 'performer', pass: 'sFragmentSecret123' });
    expect(reload.replaced).toBe(0);
    expect(boot(fakeEnv('http://h/?room=other', { store })).credential.get()).toBeNull();
  });

  it('an audience view ignores and strips a secret, and drops one copied into its sessionStorage by the window that opened it', () => {
    const store = new Map([
      [credentialKey('show'), JSON.stringify({ user: 'performer', pass: 'sCopiedByOpener123' })],
      // the performer's kept show (private dreamers in full, the log) and its identity, copied too
      ['dreamscape.show.show', '{"format":"dreamscape-saved-show","dream":{"dreamers":[{"name":"Kian Sarai"}]}}'],
      ['dreamscape:performer:show', '{"id":"p1"}'],
      ['dreamscape:performer-seq:show', '12'],
      ['other', 'kept'],
    ]);
    const env = fakeEnv('http://h/?view=audience&room=show#pass=sFragmentSecret123', { store });
    const { credential } = boot(env);
    expect(credential.get()).toBeNull();
    expect(credential.kind()).toBeNull();
    expect(env.url).toBe('http://h/?view=audience&room=show');
    expect([...store.keys()]).toEqual(['other']);
  });

  it('when sessionStorage throws, the credential is kept in memory only and one notice says so', () => {
    const env = fakeEnv('http://h/?room=show#pass=sFragmentSecret123', { throwing: true });
    const { credential } = boot(env);
    expect(credential.get()).toEqual({ user: 'performer', pass: 'sFragmentSecret123' });
    expect(credential.storageProblem()).toMatch(/session storage refused .*kept in this page only, so a reload will ask for it again/);
    expect(credential.storageProblem()).not.toContain('sFragmentSecret123');
    expect(env.url).toBe('http://h/?room=show');
    // a reload without storage has nothing, and says nothing alarming until it is given one
    expect(boot(fakeEnv('http://h/?room=show', { throwing: true })).credential.get()).toBeNull();
  });

  it('set() (the relay panel form) replaces the credential, stores it and tells the subscribers', () => {
    const env = fakeEnv('http://h/?room=show');
    const { credential } = boot(env);
    let told = 0;
    credential.subscribe(() => told++);
    credential.set({ nkey: SEED });
    expect(told).toBe(1);
    expect(credential.kind()).toBe('nkey');
    expect(JSON.parse(env.store.get(credentialKey('show'))!)).toEqual({ nkey: SEED });
  });

  it('credentialFromInput takes a password or an nkey seed and never echoes what it refuses', () => {
    expect(credentialFromInput('  sNewSecret  ')).toEqual({ user: 'performer', pass: 'sNewSecret' });
    expect(credentialFromInput(SEED)).toEqual({ nkey: SEED });
    const bad = credentialFromInput('SUnot-a-seed');
    expect(bad).toHaveProperty('problem');
    expect(JSON.stringify(bad)).not.toContain('SUnot-a-seed');
    expect(credentialFromInput('')).toHaveProperty('problem');
  });

  it('withoutSecrets leaves a URL without secrets alone', () => {
    expect(withoutSecrets('http://h/?room=a#x')).toBeNull();
    expect(withoutSecrets('http://h/?pass=1')).toBe('http://h/');
  });
});
