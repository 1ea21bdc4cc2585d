import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wsconnect } from '@nats-io/nats-core';
import { nodeWsFactory } from '../../relay/nats.ts';

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
  it('starts nats-server with the project config and serves the app; prints a performer URL with the secret and an audience URL without', async () => {
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
    const secret = performer.searchParams.get('pass')!;
    expect(secret.length).toBeGreaterThanOrEqual(24);
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
  it('50 clients for 3 s at 60 updates/s: the JSON has the figures and nothing is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-load-'));
    const json = join(dir, 'load.json');
    const p = tsx('scripts/loadtest.ts', ['--clients', '50', '--seconds', '3', '--json', json]);
    running.push(p);
    const { code, stderr } = await finish(p);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(readFileSync(json, 'utf8'));
    expect(r).toMatchObject({ clients: 50, lost: 0, rate: 60, seconds: 3 });
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
