import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errors, wsconnect } from '@nats-io/nats-core';
import type { NatsConnection, Status } from '@nats-io/nats-core';
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
const state = (seq: number, marker: string): StateMessage =>
  ({ kind: 'state', protocol: PROTOCOL, from: marker, seq, clock: 0, sentAt: 0, clockAt: 0, actsKey: 'k', dream: { marker } as never, audio: 'audience', devices: 'all' }) as StateMessage;

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
    for await (const s of nc.status() as AsyncIterable<Status>) if (s.type === 'error') seen.push(s.error);
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
