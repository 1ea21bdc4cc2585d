import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wsconnect } from '@nats-io/nats-core';
import { nodeWsFactory } from '../../relay/nats.ts';
import { headerCsp, metaCsp, readOrCreateSecret, serveStatic } from '../../scripts/relay.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tsx = (script: string, args: string[]) => spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
const running: ChildProcess[] = [];
/** Run to the end; the exit code and what it printed on stderr. */
const finish = (p: ChildProcess): Promise<{ code: number | null; stderr: string }> =>
  new Promise((resolve) => {
    let stderr = '';
    p.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    p.once('exit', (code) => resolve({ code, stderr }));
  });
afterAll(async () => {
  for (const p of running) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
});

/** Collect a child's stdout lines until `n` lines are there. */
const lines = (p: ChildProcess, n: number, timeoutMs: number): Promise<string[]> =>
  new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const t = setTimeout(() => reject(new Error(`no ${n} lines within ${timeoutMs} ms:\n${out}\n${err}`)), timeoutMs);
    p.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    p.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const l = out.split('\n').filter(Boolean);
      if (l.length >= n) {
        clearTimeout(t);
        resolve(l);
      }
    });
    p.once('exit', (code) => reject(new Error(`exited ${String(code)}:\n${out}\n${err}`)));
  });

describe('npm run relay', () => {
  it('starts nats-server with the project config and serves the app; prints a performer URL with the secret in its #fragment and an audience URL without', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'dreamscape-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dreamscape test</title>');
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const p = tsx('scripts/relay.ts', ['--dist', dist, '--port', '0', '--ws-port', '0', '--room', 'test-show']);
    running.push(p);
    const out = await lines(p, 2, 30_000);
    expect(out).toHaveLength(2);
    const [performerLine, audienceLine] = out as [string, string];
    expect(performerLine).toMatch(/^performer: http:\/\/127\.0\.0\.1:\d+\/\?/);
    expect(audienceLine).toMatch(/^audience: http:\/\/127\.0\.0\.1:\d+\/\?/);
    const performer = new URL(performerLine.slice('performer: '.length));
    const audience = new URL(audienceLine.slice('audience: '.length));
    // The secret is in the fragment only: a browser never sends it in a request line.
    const secret = new URLSearchParams(performer.hash.slice(1)).get('pass')!;
    expect(secret.length).toBeGreaterThanOrEqual(24);
    expect(performer.searchParams.has('pass')).toBe(false);
    expect(performer.search).not.toContain(secret);
    expect(performerLine.indexOf(secret)).toBeGreaterThan(performerLine.indexOf('#'));
    expect(performer.searchParams.get('view')).toBe('performer');
    expect(performer.searchParams.get('room')).toBe('test-show');
    expect(audience.searchParams.get('view')).toBe('audience');
    expect(audience.searchParams.get('room')).toBe('test-show');
    expect(audience.searchParams.has('pass')).toBe(false);
    expect(audienceLine).not.toContain(secret);
    const relay = audience.searchParams.get('relay')!;
    expect(relay).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(performer.searchParams.get('relay')).toBe(relay);

    // the app is served at the printed address; nothing outside dist/
    const page = await fetch(audience);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dreamscape test');
    expect((await fetch(new URL('/assets/app.js', audience))).headers.get('content-type')).toMatch(/javascript/);
    expect(await (await fetch(new URL('/%2e%2e/package.json', audience))).text()).not.toContain('"name"');

    // the relay: the performer's credential publishes; none at all is an audience that cannot
    const perf = await wsconnect({ servers: relay, wsFactory: nodeWsFactory, user: 'performer', pass: secret, maxReconnectAttempts: 0 });
    const aud = await wsconnect({ servers: relay, wsFactory: nodeWsFactory, maxReconnectAttempts: 0 });
    const got: string[] = [];
    aud.subscribe('dreamscape.test-show.state', { callback: (_e, m) => void got.push(m.string()) });
    await aud.flush();
    perf.publish('dreamscape.test-show.state', 'hello');
    await perf.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(['hello']);
    await perf.close();
    await aud.close();

    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
    // the relay's nats-server went with it
    await expect(wsconnect({ servers: relay, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, timeout: 1000 })).rejects.toThrow();
  }, 60_000);
});

describe('npm run loadtest', () => {
  it('by default a performer as in a show: two faders (params at most 20 a second), a change every 2 s (a patch), heartbeats; nothing lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-load-'));
    const json = join(dir, 'load.json');
    const p = tsx('scripts/loadtest.ts', ['--clients', '30', '--seconds', '4', '--json', json]);
    running.push(p);
    const { code, stderr } = await finish(p);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r).toMatchObject({ clients: 30, lost: 0, mode: 'show', seconds: 4 });
    expect(r.kinds.params.count).toBeGreaterThanOrEqual(4 * 20 * 0.6);
    expect(r.kinds.params.count).toBeLessThanOrEqual(4 * 20 + 1);
    expect(r.kinds.patch.count).toBeGreaterThanOrEqual(1);
    expect(r.kinds.state.count).toBeGreaterThanOrEqual(3);
    expect(r.messagesPerSecond).toBeLessThanOrEqual(25);
    // a heartbeat carries the acts; params and patches are a few hundred bytes
    expect(r.kinds.state.bytes / r.kinds.state.count).toBeGreaterThan(5000);
    expect(r.kinds.params.bytes / r.kinds.params.count).toBeLessThan(300);
    expect(r.kinds.patch.bytes / r.kinds.patch.count).toBeLessThan(1000);
    expect(r.delivered).toBe(r.published * 30);
    expect(r.p99Ms).toBeGreaterThan(0);
  }, 60_000);

  it('--rate 60: 50 clients for 3 s at 60 full states a second: the JSON has the figures and nothing is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-load-'));
    const json = join(dir, 'load.json');
    const p = tsx('scripts/loadtest.ts', ['--clients', '50', '--seconds', '3', '--rate', '60', '--json', json]);
    running.push(p);
    const { code, stderr } = await finish(p);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r).toMatchObject({ clients: 50, lost: 0, rate: 60, seconds: 3, mode: 'states' });
    for (const k of ['p50Ms', 'p95Ms', 'p99Ms', 'maxMs']) expect(r[k]).toBeGreaterThan(0);
    expect(r.p50Ms).toBeLessThanOrEqual(r.p95Ms);
    expect(r.p95Ms).toBeLessThanOrEqual(r.p99Ms);
    expect(r.published).toBeGreaterThanOrEqual(170);
    expect(r.delivered).toBe(r.published * 50);
    expect(r.snapshotBytes).toBeGreaterThan(5000);
    expect(r.connect.failed).toBe(0);
    expect(r.server.rssMB).toBeGreaterThan(0);
    expect(r.server.cpuPercent).toBeGreaterThan(0);
  }, 60_000);

  it('--storm restarts the server mid-run and every client converges again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-storm-'));
    const json = join(dir, 'storm.json');
    const p = tsx('scripts/loadtest.ts', ['--clients', '20', '--seconds', '4', '--storm', '--json', json]);
    running.push(p);
    const { code, stderr } = await finish(p);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.clients).toBe(20);
    expect(r.storm.converged).toBe(20);
    expect(r.convergeSeconds).toBeGreaterThan(0);
    expect(r.convergeSeconds).toBeLessThanOrEqual(3);
    expect(r.lost).toBe(0);
  }, 60_000);
});

describe('the static server of npm run relay', () => {
  const CSP_META = "default-src 'self'; script-src 'self' blob:; connect-src 'self' ws: wss: blob: data:; object-src 'none'";
  const servers: Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
  });
  /** A dist folder with a page, an asset, dotfiles, and symlinks to a secret outside it. */
  const distWithTraps = () => {
    const top = mkdtempSync(join(tmpdir(), 'dreamscape-static-'));
    const dist = join(top, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), `<!doctype html><meta charset="UTF-8" />\n<meta http-equiv="Content-Security-Policy" content="${CSP_META}" /><title>static test</title>`);
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(top, 'secret.txt'), 'TOP SECRET');
    mkdirSync(join(top, 'private'));
    writeFileSync(join(top, 'private', 'key.txt'), 'TOP SECRET');
    writeFileSync(join(dist, '.env'), 'TOP SECRET');
    mkdirSync(join(dist, '.git'));
    writeFileSync(join(dist, '.git', 'config'), 'TOP SECRET');
    writeFileSync(join(dist, 'assets', '.app.js.swp'), 'TOP SECRET');
    symlinkSync(join(top, 'secret.txt'), join(dist, 'link.txt'));
    symlinkSync(join(top, 'private'), join(dist, 'assets', 'linked'));
    return dist;
  };

  it('refuses symlinks anywhere on the path and dotfiles; serves the rest', async () => {
    const server = await serveStatic(distWithTraps(), '127.0.0.1', 0, { relayUrls: ['ws://127.0.0.1:8090'] });
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string) => {
      const r = await fetch(base + path);
      return { status: r.status, text: await r.text() };
    };
    expect((await get('/')).text).toContain('static test');
    expect(await get('/assets/app.js')).toEqual({ status: 200, text: 'console.log(1)' });
    for (const path of ['/link.txt', '/assets/linked/key.txt', '/assets/linked/']) {
      const r = await get(path);
      expect(r.status, path).toBe(403);
      expect(r.text, path).not.toContain('TOP SECRET');
    }
    for (const path of ['/.env', '/.git/config', '/assets/.app.js.swp', '/%2egit/config', '/assets/%2eapp.js.swp']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.text, path).not.toContain('TOP SECRET');
    }
    // a path that is no file is the app (its router), as before
    expect((await get('/somewhere/else')).text).toContain('static test');
  });

  it("sends the page's Content-Security-Policy as a header, with frame-ancestors 'none' and connect-src narrowed to the relay", async () => {
    const server = await serveStatic(distWithTraps(), '127.0.0.1', 0, { relayUrls: ['ws://127.0.0.1:8090'] });
    servers.push(server);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const path of ['/', '/assets/app.js']) {
      const r = await fetch(base + path);
      const csp = r.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
      expect(directives.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('script-src')).toEqual(["'self'", 'blob:']);
      // no longer any ws:/wss: host: this relay, and the performer machine's own control bridge
      expect(directives.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:8090', 'ws://127.0.0.1:*', 'http://127.0.0.1:*', 'blob:', 'data:']);
      expect(r.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('headerCsp keeps every directive of the page but connect-src and frame-ancestors', () => {
    expect(metaCsp(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src ws:" />`)).toBe("default-src 'self'; connect-src ws:");
    expect(headerCsp("default-src 'self'; connect-src 'self' ws: wss:; frame-ancestors *", ['wss://show.example'])).toBe(
      "default-src 'self'; connect-src 'self' wss://show.example ws://127.0.0.1:* http://127.0.0.1:* blob: data:; frame-ancestors 'none'",
    );
  });
});

describe('the performer secret in a file (--secret-file)', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'dreamscape-secret-'));

  it('is created with a fresh secret and mode 600 when missing, and reused after', () => {
    const path = join(dir(), 'show.secret');
    const first = readOrCreateSecret(path, 'password');
    expect(first.created).toBe(true);
    expect(first.value).toMatch(/^[A-Za-z][A-Za-z0-9_-]{23,}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = readOrCreateSecret(path, 'password');
    expect(again).toEqual({ kind: 'password', value: first.value, created: false });
    const seed = readOrCreateSecret(join(dir(), 'nkey.secret'), 'nkey');
    expect(seed.value).toMatch(/^SU[A-Z2-7]{56}$/);
  });

  it('refuses a file that group or others may read, a symlink, and the wrong kind, with a message that says what to do', () => {
    const d = dir();
    const path = join(d, 'open.secret');
    writeFileSync(path, 'sAbcdefghijklmnopqrstuvwxyz\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(() => readOrCreateSecret(path, 'password')).toThrow(/group or others may read or write it \(mode 644\).*chmod 600/);
    chmodSync(path, 0o640);
    expect(() => readOrCreateSecret(path, 'password')).toThrow(/mode 640/);
    chmodSync(path, 0o600);
    expect(readOrCreateSecret(path, 'password').value).toBe('sAbcdefghijklmnopqrstuvwxyz');
    expect(() => readOrCreateSecret(path, 'nkey')).toThrow(/does not hold a user nkey seed/);
    symlinkSync(path, join(d, 'link.secret'));
    expect(() => readOrCreateSecret(join(d, 'link.secret'), 'password')).toThrow(/not a regular file/);
    const seedFile = join(d, 'seed.secret');
    readOrCreateSecret(seedFile, 'nkey');
    expect(() => readOrCreateSecret(seedFile, 'password')).toThrow(/holds an nkey seed: add --nkey/);
    writeFileSync(join(d, 'short.secret'), 'abc', { mode: 0o600 });
    expect(() => readOrCreateSecret(join(d, 'short.secret'), 'password')).toThrow(/expected a password of 16 to 256/);
  });

  it('npm run relay -- --secret-file: a restart signs the performer in with the same secret; a group-readable file stops it before anything starts', async () => {
    const d = dir();
    const path = join(d, 'show.secret');
    const dist = mkdtempSync(join(tmpdir(), 'dreamscape-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dreamscape test</title>');
    const secrets: string[] = [];
    for (let run = 0; run < 2; run++) {
      const p = tsx('scripts/relay.ts', ['--dist', dist, '--port', '0', '--ws-port', '0', '--secret-file', path]);
      running.push(p);
      const [performerLine] = await lines(p, 2, 30_000);
      const performer = new URL(performerLine!.slice('performer: '.length));
      const secret = new URLSearchParams(performer.hash.slice(1)).get('pass')!;
      secrets.push(secret);
      const nc = await wsconnect({ servers: performer.searchParams.get('relay')!, wsFactory: nodeWsFactory, user: 'performer', pass: secret, maxReconnectAttempts: 0 });
      await nc.close();
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await exited;
    }
    expect(secrets[0]).toBe(secrets[1]);
    expect(readFileSync(path, 'utf8').trim()).toBe(secrets[0]);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    chmodSync(path, 0o644);
    const p = tsx('scripts/relay.ts', ['--dist', dist, '--port', '0', '--ws-port', '0', '--secret-file', path]);
    running.push(p);
    const { code, stderr } = await finish(p);
    expect(code).toBe(2);
    expect(stderr).toMatch(/group or others may read or write it \(mode 644\); a performer secret must be private: chmod 600/);
    expect(stderr).not.toContain(secrets[0]);
  }, 90_000);
});
