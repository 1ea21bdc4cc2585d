import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nkeyAuthenticator, wsconnect } from '@nats-io/nats-core';
import type { ConnectionOptions, NatsConnection } from '@nats-io/nats-core';
import { newNkey, nodeWsFactory, startRelayServer } from '../../relay/nats.ts';
import type { RelayServer } from '../../relay/nats.ts';

// Rotating the performer's secret during a show, against Debian's nats-server with the project's
// config: the old secret stops working at once (the connection made with it too), the new one
// works, and audience devices are not disturbed.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tsx = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/relay.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
const running: ChildProcess[] = [];
const open: NatsConnection[] = [];
const relays: RelayServer[] = [];
afterAll(async () => {
  for (const nc of open) await nc.close().catch(() => undefined);
  for (const r of relays) await r.stop();
  for (const p of running) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  }
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run to the end: exit code, stdout and stderr. */
const finish = (p: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    p.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    p.once('exit', (code) => resolve({ code, stdout, stderr }));
  });

/** The first `n` stdout lines of a running child. */
const lines = (p: ChildProcess, n: number): Promise<string[]> =>
  new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const t = setTimeout(() => reject(new Error(`no ${n} lines within 30 s:\n${out}\n${err}`)), 30_000);
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

/** A connection that does not reconnect, with everything its status stream said. */
const connect = async (url: string, options: Partial<ConnectionOptions> = {}) => {
  const nc = await wsconnect({ servers: url, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, ...options });
  open.push(nc);
  const events: string[] = [];
  void (async () => {
    for await (const s of nc.status()) events.push(s.type === 'error' ? `error: ${s.error.message}` : s.type);
  })();
  return { nc, events };
};

/** An audience device: counts the states it receives. */
const audience = async (url: string, subject: string) => {
  const a = await connect(url);
  const got: string[] = [];
  a.nc.subscribe(subject, { callback: (_e, m) => void got.push(m.string()) });
  await a.nc.flush();
  return { ...a, got };
};

const refused = (p: Promise<unknown>) => expect(p).rejects.toThrow(/Authorization Violation/i);

describe('rotating the performer secret mid-show', () => {
  it('npm run relay -- --secret-file F --rotate: nats-server reloads with a new secret; the connected performer is dropped, the old secret refused, the new one works, audiences stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-rotate-'));
    const secretFile = join(dir, 'show.secret');
    const dist = mkdtempSync(join(tmpdir(), 'dreamscape-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>rotate</title>');
    const relayProcess = tsx(['--dist', dist, '--port', '0', '--ws-port', '0', '--room', 'rot', '--secret-file', secretFile]);
    running.push(relayProcess);
    const [performerLine] = await lines(relayProcess, 2);
    const performerUrl = new URL(performerLine!.slice('performer: '.length));
    const relayUrl = performerUrl.searchParams.get('relay')!;
    const oldSecret = new URLSearchParams(performerUrl.hash.slice(1)).get('pass')!;
    const subject = 'dreamscape.rot.state';
    expect(JSON.parse(readFileSync(`${secretFile}.pid`, 'utf8'))).toMatchObject({ pid: expect.any(Number), relay: relayUrl, kind: 'password' });
    expect(readFileSync(`${secretFile}.pid`, 'utf8')).not.toContain(oldSecret);

    const performer = await connect(relayUrl, { user: 'performer', pass: oldSecret });
    const device = await audience(relayUrl, subject);
    performer.nc.publish(subject, 'before');
    await performer.nc.flush();

    const t0 = Date.now();
    const rotation = await finish(tsx(['--secret-file', secretFile, '--rotate']));
    const rotateMs = Date.now() - t0;
    expect(rotation.code, rotation.stderr).toBe(0);
    expect(rotation.stderr).toMatch(/took the new secret/);
    const newUrl = new URL(rotation.stdout.trim().slice('performer: '.length));
    const newSecret = new URLSearchParams(newUrl.hash.slice(1)).get('pass')!;
    expect(newSecret).not.toBe(oldSecret);
    expect(newUrl.searchParams.get('relay')).toBe(relayUrl);
    expect(readFileSync(secretFile, 'utf8').trim()).toBe(newSecret);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);

    // The performer connected with the old secret was closed by the reload (nats-server 2.9.10
    // checks every connection again): a leaked secret's connection goes with it.
    const closedWith = await Promise.race([performer.nc.closed(), sleep(3000).then(() => 'still open')]);
    expect(String(closedWith)).toMatch(/Authorization Violation/i);
    expect(performer.events.join('\n')).toMatch(/Authorization Violation/);
    // Anyone trying the old secret now is refused; the new one signs in and reaches the devices.
    await refused(wsconnect({ servers: relayUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, user: 'performer', pass: oldSecret }));
    const next = await connect(relayUrl, { user: 'performer', pass: newSecret });
    next.nc.publish(subject, 'after');
    await next.nc.flush();
    await sleep(200);
    // The audience device was never disconnected and received both.
    expect(device.got).toEqual(['before', 'after']);
    expect(device.events.filter((e) => e !== 'update' && e !== 'ping')).toEqual([]);
    expect(device.nc.isClosed()).toBe(false);
    expect(rotateMs).toBeLessThan(15_000);
  }, 60_000);

  it('RelayServer.rotate with an nkey: the old key is refused and its connection dropped, the new one works, an audience keeps receiving', async () => {
    const relay = await startRelayServer({ room: 'rotk' });
    relays.push(relay);
    const seed = (s: string) => nkeyAuthenticator(new TextEncoder().encode(s));
    const old = relay.nkey;
    const performer = await connect(relay.wsUrl, { authenticator: seed(old.seed) });
    const device = await audience(relay.wsUrl, relay.subjects.state);
    const fresh = newNkey();
    await relay.rotate({ nkey: fresh });
    expect(relay.nkey).toEqual(fresh);
    expect(String(await Promise.race([performer.nc.closed(), sleep(3000).then(() => 'still open')]))).toMatch(/Authorization Violation/i);
    await refused(wsconnect({ servers: relay.wsUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, authenticator: seed(old.seed) }));
    const next = await connect(relay.wsUrl, { authenticator: seed(fresh.seed) });
    next.nc.publish(relay.subjects.state, 'signed anew');
    await next.nc.flush();
    await sleep(200);
    expect(device.got).toEqual(['signed anew']);
    expect(device.nc.isClosed()).toBe(false);
    // and a restart of the server keeps the rotated key
    await relay.restart();
    const again = await connect(relay.wsUrl, { authenticator: seed(fresh.seed) });
    expect(again.nc.isClosed()).toBe(false);
  }, 30_000);

  it('--rotate with no relay running writes a new secret for the next run and says so; --rotate needs --secret-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-rotate-'));
    const secretFile = join(dir, 'idle.secret');
    writeFileSync(secretFile, 'sOldOldOldOldOldOld1\n', { mode: 0o600 });
    const r = await finish(tsx(['--secret-file', secretFile, '--rotate']));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no relay is running for it/);
    expect(readFileSync(secretFile, 'utf8').trim()).toMatch(/^s[A-Za-z0-9_-]{32}$/);
    const bare = await finish(tsx(['--rotate']));
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--rotate needs --secret-file/);
  }, 30_000);
});
