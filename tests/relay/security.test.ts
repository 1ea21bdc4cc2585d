import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { CONFIG } from '../../relay/nats.ts';
import { resolvePreset, tick, validatePreset } from '../../src/model/index.ts';
import { apply, createDreamStore } from '../../src/store/dream-store.ts';
import { StateEncoder } from '../../src/sync/state-message.ts';
import { errors, wsconnect } from '@nats-io/nats-core';
import type { NatsConnection } from '@nats-io/nats-core';
import { nkeyAuthenticator } from '@nats-io/nats-core';
import { newNkey, nodeWsFactory, startRelayServer } from '../../relay/nats.ts';
import type { RelayServer } from '../../relay/nats.ts';
import { createNatsCarrier } from '../../src/sync/nats-carrier.ts';
import type { NatsCarrier } from '../../src/sync/nats-carrier.ts';
import { PROTOCOL } from '../../src/sync/protocol.ts';
import type { StateMessage, SyncMessage } from '../../src/sync/protocol.ts';

// A real nats-server (Debian's) with the project's relay/nats-server.conf, on 127.0.0.1.
let relay: RelayServer;
const open: { close(): unknown }[] = [];
beforeAll(async () => {
  relay = await startRelayServer({ room: 'sec' });
});
afterAll(async () => {
  for (const c of open) await c.close();
  await relay?.stop();
});

const enc = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A well-formed state (a real dream: devices check what they receive), marked by its sender. */
const dreamTemple = (() => {
  const v = validatePreset(JSON.parse(readFileSync(new URL('../../presets/dream-temple.json', import.meta.url), 'utf8')));
  if (!v.ok) throw new Error('presets/dream-temple.json is not valid');
  return resolvePreset(v.preset);
})();
const state = (seq: number, marker: string): StateMessage =>
  new StateEncoder().message({ from: marker, seq, clock: 0, sentAt: 0, clockAt: 0, audio: 'audience', devices: 'all' }, dreamTemple, true);

const carrier = async (credential: { user?: string; pass?: string; nkey?: string } = {}): Promise<NatsCarrier> => {
  const role = credential.pass !== undefined || credential.nkey !== undefined ? 'performer' : 'audience';
  const c = createNatsCarrier({ url: relay.wsUrl, room: relay.room, role, wsFactory: nodeWsFactory, ...credential });
  open.push(c);
  await c.ready();
  return c;
};

/** Connect bare (as a hostile client would) and collect the errors the server sends. */
const bare = async (credential: { user?: string; pass?: string } = {}) => {
  const nc: NatsConnection = await wsconnect({ servers: relay.wsUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, ...credential });
  open.push(nc);
  const seen: Error[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'error') seen.push(s.error);
  })();
  return { nc, seen };
};

describe('relay permissions (real nats-server, project config)', () => {
  it('an audience cannot publish a state: the server refuses it and nothing reaches the devices', async () => {
    const performer = await carrier({ user: 'performer', pass: relay.secret });
    const listener = await carrier();
    const heard: SyncMessage[] = [];
    listener.onMessage((m) => heard.push(m));
    // A raw subscriber with no filtering at all (the carrier drops what is not a sync message).
    const watcher = await bare();
    const raw: string[] = [];
    watcher.nc.subscribe(relay.subjects.state, { callback: (_e, m) => void raw.push(new TextDecoder().decode(m.data)) });
    await watcher.nc.flush();

    const attacker = await bare();
    attacker.nc.publish(relay.subjects.state, enc(state(1_000_000, 'forged')));
    attacker.nc.publish('dreamscape.sec.anything', enc('x'));
    attacker.nc.publish('dreamscape.other-room.state', enc(state(1, 'forged')));
    await attacker.nc.flush();
    // The audience carrier's own send() of a state is refused the same way.
    listener.send(state(2_000_000, 'forged-by-carrier'));

    performer.send(state(1, 'real'));
    await performer.connection()!.flush();
    await sleep(500);
    expect(performer.link.get().refused).toBeNull();

    const refusals = attacker.seen.filter((e) => e instanceof errors.PermissionViolationError).map((e) => e.message);
    expect(refusals.join('\n')).toMatch(/Permissions Violation for Publish to "dreamscape\.sec\.state"/);
    expect(refusals.length).toBe(3);
    expect(listener.link.get().refused ?? '').toMatch(/Permissions Violation for Publish to "dreamscape\.sec\.state"/);
    expect(raw.some((t) => t.includes('forged'))).toBe(false);
    expect(heard.map((m) => (m.kind === 'state' ? m.from : m.kind))).toEqual(['real']);
    expect(raw).toHaveLength(1);
  });

  it('an audience cannot answer the clock, and a wrong or missing password is no performer', async () => {
    const audience = await bare();
    audience.nc.subscribe(relay.subjects.clock, { callback: () => undefined });
    await audience.nc.flush();
    await sleep(200);
    expect(audience.seen.map((e) => e.message).join('\n')).toMatch(/Permissions Violation for Subscription to "dreamscape\.sec\.clock"/);

    await expect(wsconnect({ servers: relay.wsUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, user: 'performer', pass: 'guess' })).rejects.toThrow(/Authorization Violation/i);
    await expect(wsconnect({ servers: relay.wsUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, user: 'performer' })).rejects.toThrow(/Authorization Violation/i);

    // The performer may not publish outside its room's subjects either.
    const performer = await bare({ user: 'performer', pass: relay.secret });
    performer.nc.publish('dreamscape.other-room.state', enc(state(1, 'x')));
    await performer.nc.flush();
    await sleep(200);
    expect(performer.seen.map((e) => e.message).join('\n')).toMatch(/Permissions Violation for Publish to "dreamscape\.other-room\.state"/);
  });

  it('a performer may sign in with its nkey instead (the server holds only the public key); another nkey is refused', async () => {
    const performer = await carrier({ nkey: relay.nkey.seed });
    const listener = await carrier();
    const heard: SyncMessage[] = [];
    listener.onMessage((m) => heard.push(m));
    await listener.connection()!.flush();
    performer.send(state(1, 'signed'));
    await performer.connection()!.flush();
    await sleep(300);
    expect(heard.map((m) => (m.kind === 'state' ? m.from : m.kind))).toEqual(['signed']);
    expect(performer.link.get().refused).toBeNull();
    const stranger = newNkey();
    await expect(
      wsconnect({ servers: relay.wsUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0, authenticator: nkeyAuthenticator(new TextEncoder().encode(stranger.seed)) }),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it('an audience asks the clock and the performer answers (request/reply under these permissions)', async () => {
    const performer = await carrier({ user: 'performer', pass: relay.secret });
    performer.answerClock(() => ({ kind: 'clock', protocol: PROTOCOL, t: 12345 }));
    await performer.connection()!.flush();
    const audience = await carrier();
    const reply = await audience.askClock({ kind: 'clock', protocol: PROTOCOL, id: 'a' }, 1000);
    expect(reply.t).toBe(12345);
  });
});

// ---------------------------------------------------------------------------------------------
// The server's limits (relay/nats-server.conf): a device over one is refused, the show goes on.

const configNumber = (key: string): number => {
  const m = new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(readFileSync(CONFIG, 'utf8'));
  if (!m) throw new Error(`relay/nats-server.conf sets no ${key}`);
  return Number(m[1]);
};

/** A raw NATS-over-WebSocket client: what a hostile device could send, unchecked by any library. */
const rawDevice = (url: string) =>
  new Promise<{ send(text: string | Buffer): void; received(): string; closed: Promise<void> }>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let text = '';
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.on('message', (b: Buffer) => {
      text += b.toString('utf8');
      if (text.startsWith('INFO')) resolve({ send: (t) => ws.send(t), received: () => text, closed });
    });
    ws.once('error', reject);
  });

/** The largest state a valid preset can make: 64 dreamers, 128 acts with notes, at the 256 KB file limit, mid-morph. */
const largestState = (): Uint8Array => {
  const pad = (s: string, n: number) => (s + 'x'.repeat(n)).slice(0, n);
  const id = (i: number) => pad(`d${i}-`, 48).replace(/x/g, 'a');
  const preset = (acts: number) => ({
    version: 1,
    id: 'big',
    title: pad('T', 96),
    story: pad('S', 2000),
    dreamers: Array.from({ length: 64 }, (_, i) => ({ id: id(i), name: pad(`N${i}`, 64), role: pad('R', 96), motif: Array(32).fill(21) })),
    acts: Array.from({ length: acts }, (_, i) => ({
      name: pad(`A${i}`, 64),
      duration: 3600,
      note: pad('n', 500),
      values: { dreamers: Object.fromEntries(Array.from({ length: 64 }, (_, j) => [id(j), { presence: 0.123456789, level: 0.987654321, colour: '#abcdef', consent: 'shared', voice: 'bell' }])) },
    })),
  });
  let acts = 1;
  while (acts < 128 && JSON.stringify(preset(acts + 1)).length <= 256 * 1024) acts++;
  const v = validatePreset(preset(acts));
  if (!v.ok) throw new Error(JSON.stringify(v.problems.slice(0, 3)));
  const store = createDreamStore(resolvePreset(v.preset, { seed: 1 }));
  apply(store, { type: 'morph', to: resolvePreset(v.preset), seconds: 8 });
  const dream = tick(store.getState().dream, 2);
  const header = { from: 'performer', seq: 1, clock: 1, sentAt: 1, clockAt: 1, audio: 'audience' as const, devices: 'all' as const };
  return enc(new StateEncoder().message(header, dream, true));
};

describe('relay limits (real nats-server, project config)', () => {
  /** A performer and an audience device on bare connections (no app-level checks): the audience's raw arrivals. */
  const show = async () => {
    const performer = await bare({ user: 'performer', pass: relay.secret });
    const audience = await bare();
    const arrived: Uint8Array[] = [];
    audience.nc.subscribe(relay.subjects.state, { callback: (_e, m) => void arrived.push(m.data) });
    await audience.nc.flush();
    return { performer, audience, arrived };
  };

  it('a device over max_subscriptions is refused each one over the limit; other devices keep receiving states', async () => {
    const limit = configNumber('max_subscriptions');
    const { performer, audience, arrived } = await show();
    // A device's second subscription (its clock replies, _INBOX) is within the limit: ask the clock.
    performer.nc.subscribe(relay.subjects.clock, { callback: (_e, m) => void m.respond('t') });
    await performer.nc.flush();
    expect((await audience.nc.request(relay.subjects.clock, 'now?', { timeout: 1000 })).string()).toBe('t');

    const hostile = await bare();
    let copies = 0;
    for (let i = 0; i < 50; i++) hostile.nc.subscribe(relay.subjects.state, { callback: () => void copies++ });
    await hostile.nc.flush().catch(() => undefined);
    performer.nc.publish(relay.subjects.state, 'after-flood');
    await performer.nc.flush();
    await sleep(500);
    const over = hostile.seen.filter((e) => /maximum subscriptions exceeded/i.test(e.message));
    expect(over.length).toBe(50 - limit);
    // the server kept only `limit` of them: the hostile device gets at most that many copies
    expect(copies).toBeLessThanOrEqual(limit);
    expect(arrived.map((d) => new TextDecoder().decode(d))).toEqual(['after-flood']);
    expect(audience.seen).toEqual([]);
    expect(audience.nc.isClosed()).toBe(false);
    expect(performer.seen).toEqual([]);
  });

  it("the largest state a valid preset makes passes the relay; a publish over max_payload is refused and that connection closed, the others' go on", async () => {
    const maxPayload = configNumber('max_payload');
    const big = largestState();
    // 565 KB measured: a 256 KB preset (272 KB resolved) morphing into another as large
    expect(big.length).toBeGreaterThan(400_000);
    expect(big.length).toBeLessThan(maxPayload);
    const { performer, audience, arrived } = await show();
    performer.nc.publish(relay.subjects.state, big);
    await performer.nc.flush();

    // a device sends a message over the limit, unchecked by any client library
    const device = await rawDevice(relay.wsUrl);
    device.send('CONNECT {"verbose":false,"pedantic":false,"protocol":1}\r\n');
    device.send(Buffer.concat([Buffer.from(`PUB ${relay.subjects.clock} ${maxPayload + 1}\r\n`), Buffer.alloc(maxPayload + 1, 120), Buffer.from('\r\n')]));
    await Promise.race([device.closed, sleep(3000)]);
    expect(device.received()).toMatch(/-ERR 'Maximum Payload Violation'/);
    await device.closed; // the server closed it

    performer.nc.publish(relay.subjects.state, 'still-on');
    await performer.nc.flush();
    await sleep(300);
    expect(arrived.map((d) => d.length)).toEqual([big.length, 'still-on'.length]);
    expect(audience.seen).toEqual([]);
    expect(audience.nc.isClosed()).toBe(false);
  });

  it("max_pending holds the largest message, and max_connections is above the load test's 1,500 devices", () => {
    expect(configNumber('max_pending')).toBeGreaterThanOrEqual(configNumber('max_payload'));
    expect(configNumber('max_connections')).toBeGreaterThan(1500);
  });
});

describe('relay secrets', () => {
  it('a fresh performer secret always reads as a string in nats-server config (starts with a letter)', async () => {
    const { newSecret } = await import('../../relay/nats.ts');
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const s = newSecret();
      expect(s).toMatch(/^s[A-Za-z0-9_-]{32}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(500);
  });
});
