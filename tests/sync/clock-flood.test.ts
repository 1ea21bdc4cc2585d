import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { wsconnect } from '@nats-io/nats-core';
import type { NatsConnection } from '@nats-io/nats-core';
import { nodeWsFactory, startRelayServer } from '../../relay/nats.ts';
import type { RelayServer } from '../../relay/nats.ts';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { createNatsCarrier } from '../../src/sync/nats-carrier.ts';
import type { NatsCarrier } from '../../src/sync/nats-carrier.ts';
import { MAX_DEVICES, startPerformerSync } from '../../src/sync/performer-sync.ts';
import type { PerformerSync } from '../../src/sync/performer-sync.ts';
import { PROTOCOL } from '../../src/sync/protocol.ts';

// Anonymous devices flood the performer's clock subject through a real nats-server (Debian's,
// with the project's relay/nats-server.conf). The performer runs in this process, so its memory
// is this process's heap.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let relay: RelayServer;
let performer: NatsCarrier;
let sync: PerformerSync;
const open: { close(): unknown }[] = [];
const room = 'flood';
beforeAll(async () => {
  relay = await startRelayServer({ room });
  const v = validatePreset(JSON.parse(readFileSync(new URL('../../presets/dream-temple.json', import.meta.url), 'utf8')));
  if (!v.ok) throw new Error('preset');
  const store = createDreamStore(resolvePreset(v.preset, { tiles: 64 }));
  performer = createNatsCarrier({ url: relay.wsUrl, room, role: 'performer', user: 'performer', pass: relay.secret, wsFactory: nodeWsFactory });
  open.push(performer);
  await performer.ready();
  sync = startPerformerSync(store, performer, { id: 'perf-flood' });
}, 30_000);
afterAll(async () => {
  sync?.stop();
  for (const c of open) await c.close();
  await relay?.stop();
});

const enc = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const attacker = async (): Promise<NatsConnection> => {
  const nc = await wsconnect({ servers: relay.wsUrl, wsFactory: nodeWsFactory, maxReconnectAttempts: 0 });
  open.push(nc);
  return nc;
};
/** Publish `n` clock requests with `make(i)` as the body and replies to the attacker's inbox; count the replies. */
const flood = async (nc: NatsConnection, n: number, make: (i: number) => Uint8Array) => {
  let replies = 0;
  const inbox = `_INBOX.flood${Math.random().toString(36).slice(2)}`;
  nc.subscribe(`${inbox}.>`, { callback: () => void replies++ });
  for (let i = 0; i < n; i++) {
    nc.publish(relay.subjects.clock, make(i), { reply: `${inbox}.${i}` });
    if (i % 200 === 199) await nc.flush();
  }
  await nc.flush();
  return () => replies;
};
const heapMB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
/** A real device asks the clock, as the audience view does. */
const realDevice = async () => {
  const device = createNatsCarrier({ url: relay.wsUrl, room, role: 'audience', wsFactory: nodeWsFactory });
  open.push(device);
  await device.ready();
  return device.askClock({ kind: 'clock', protocol: PROTOCOL, id: crypto.randomUUID() }, 3000);
};

describe('clock requests from anonymous devices (real nats-server)', () => {
  it('200 requests with 250 KB ids: dropped before parsing; no device counted, the table and the heap stay as they were', async () => {
    const nc = await attacker();
    const before = heapMB();
    const huge = 'a'.repeat(250_000);
    const replies = await flood(nc, 200, (i) => enc({ kind: 'clock', protocol: PROTOCOL, id: `${huge}${i}` }));
    await sleep(1500);
    const after = heapMB();
    console.log(`250 KB ids: 200 requests, ${replies()} replies, devices ${sync.audiences()}, table ${sync.deviceTable()}, heap ${before.toFixed(1)} -> ${after.toFixed(1)} MB`);
    expect(replies()).toBe(0);
    expect(sync.audiences()).toBe(0);
    expect(sync.deviceTable()).toBe(0);
    expect(after - before).toBeLessThan(5);
  }, 60_000);

  it(`6,000 made-up ids: at most ${MAX_DEVICES} counted, greetings at most 4 a second, and a real device is still answered`, async () => {
    const nc = await attacker();
    const sent0 = sync.sent();
    const t0 = Date.now();
    const before = heapMB();
    const replies = await flood(nc, 6000, (i) => enc({ kind: 'clock', protocol: PROTOCOL, id: `fake-${i}` }));
    const start = Date.now();
    while (replies() < 6000 && Date.now() - start < 20_000) await sleep(50);
    const seconds = (Date.now() - t0) / 1000;
    const states = sync.sent() - sent0;
    const after = heapMB();
    console.log(
      `6,000 made-up ids in ${seconds.toFixed(2)} s: ${replies()} clock replies, devices counted ${sync.audiences()}, table ${sync.deviceTable()}, not counted ${sync.devicesNotCounted()}, states sent ${states}, heap ${before.toFixed(1)} -> ${after.toFixed(1)} MB`,
    );
    expect(sync.audiences()).toBe(MAX_DEVICES);
    expect(sync.deviceTable()).toBe(MAX_DEVICES);
    expect(sync.devicesNotCounted()).toBe(6000 - MAX_DEVICES);
    // the heartbeat (1 a second) and greetings (at most 4 a second), whatever the flood
    expect(states).toBeLessThanOrEqual(Math.ceil(seconds) * 5 + 2);
    const reply = await realDevice();
    expect(reply.kind).toBe('clock');
    expect(Math.abs(reply.t - (performance.timeOrigin + performance.now()))).toBeLessThan(5000);
  }, 60_000);

  it('a clock request whose reply subject is the state subject gets no answer there', async () => {
    const listener = await attacker();
    const onState: string[] = [];
    listener.subscribe(relay.subjects.state, { callback: (_e, m) => void onState.push(new TextDecoder().decode(m.data)) });
    await listener.flush();
    const nc = await attacker();
    for (let i = 0; i < 5; i++) nc.publish(relay.subjects.clock, enc({ kind: 'clock', protocol: PROTOCOL, id: `hijack-${i}` }), { reply: relay.subjects.state });
    await nc.flush();
    await sleep(1500);
    const states = onState.map((s) => JSON.parse(s) as { kind: string });
    expect(states.length).toBeGreaterThan(0); // the performer's heartbeats arrive there...
    expect(states.filter((s) => s.kind === 'clock')).toEqual([]); // ...and no clock reply
  }, 30_000);
});
