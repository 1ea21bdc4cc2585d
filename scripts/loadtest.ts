/**
 * npm run loadtest -- --clients N [--seconds S] [--json FILE] [--storm] [--rate R] [--workers W] [--lean] [--probes P]
 *
 * Starts its own nats-server with the project's relay config on 127.0.0.1 (free ports), connects
 * N simulated audience devices to it over WebSocket (nats-core's wsconnect on the `ws` package,
 * spread over W child processes), and has a performer (the app's own NATS carrier, with the
 * performer's credential) publish. By default the performer is what one really sends in a show
 * (issue 13): the app's performer sync on its own store, runtime and 60 Hz frames, two faders
 * moved continuously through `modulate` (params messages, at most 20 a second), one discrete change
 * every 2 s (a patch) and the heartbeat (the full state with the acts, ~6 KB, once a second):
 * ~21.5 messages a second. With `--rate R` it publishes a full dream-state snapshot (ticked every
 * update) R times a second instead (the acts once a second), the worst case of before the patches.
 * Reports delivery latency p50/p95/p99/max of every message, lost messages, connect time, and the
 * server's CPU and memory from /proc/<pid>/stat and /proc/<pid>/status. With --storm the server is
 * restarted halfway through and it reports how long until every device has a full state published
 * after the restart (convergeSeconds, from the moment the restart began).
 *
 * Bounded: at most 5,000 clients and 300 s, and the whole run is cut off after S + 120 s.
 * Traffic goes only to 127.0.0.1.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, setPriority } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wsconnect } from '@nats-io/nats-core';
import WebSocket from 'ws';
import { resolvePreset, tick, validatePreset } from '../src/model/index.ts';
import type { DreamState } from '../src/model/index.ts';
import { createNatsCarrier, RECONNECT_JITTER_MS, RECONNECT_TIME_WAIT_MS } from '../src/sync/nats-carrier.ts';
import { startPerformerSync } from '../src/sync/performer-sync.ts';
import type { Carrier } from '../src/sync/protocol.ts';
import { createRuntime } from '../src/runtime/runtime.ts';
import type { BusAction } from '../src/runtime/runtime.ts';
import { createDreamStore } from '../src/store/dream-store.ts';
import { StateEncoder } from '../src/sync/state-message.ts';
import { machineCpu, nodeWsFactory, procStats, startRelayServer } from '../relay/nats.ts';
import type { ProcStats } from '../relay/nats.ts';

export const LIMITS = { clients: 5000, seconds: 300 };
export const BUDGET = { p99Ms: 50, lost: 0, convergeSeconds: 3 };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Messages between the runner and its client processes.

type ToWorker =
  | { type: 'connect'; url: string; subject: string; clients: number; maxSeq: number; base: number; concurrency: number; lean: boolean }
  | { type: 'converge'; readySeq: number }
  | { type: 'end'; lastSeq: number }
  | { type: 'cpu' }
  | { type: 'report'; sentAt: (number | null)[]; heavy: number[]; stormFrom: number; stormTo: number; lastSeq: number; firstSeq: number }
  | { type: 'exit' };

type FromWorker =
  | { type: 'up' }
  | { type: 'connected'; connectMs: number[]; failed: number; errors: string[] }
  | { type: 'last'; clients: number }
  | { type: 'cpu'; seconds: number; received: number; minLast: number }
  | { type: 'converged'; at: number[] }
  | { type: 'report'; hist: [number, number][]; heavyHist: [number, number][]; stormHist: [number, number][]; max: number; delivered: number; lost: number; lostStorm: number; cpuSeconds: number; disconnects: number; slow: number };

/** Latency histogram: 0.01 ms buckets below 1 s, 1 ms buckets from 1 s to 10 min. */
const BUCKET_MS = 0.01;
const FINE = 100_000;
const bucketOf = (ms: number): number => (ms < 1000 ? Math.max(0, Math.floor(ms / BUCKET_MS)) : FINE + Math.min(599_000, Math.floor(ms - 1000)));
/** The upper edge of a bucket (ms). */
const bucketMs = (b: number): number => (b < FINE ? (b + 1) * BUCKET_MS : 1000 + (b - FINE) + 1);

// ---------------------------------------------------------------------------------------------
// A client process: `clients` audience devices, each a NATS connection over WebSocket that only
// subscribes (an audience credential), as a phone on the show's Wi-Fi would.

interface Client {
  close(): Promise<void>;
  /** Arrival time of each seq (ms since base), NaN when not (yet) received. */
  at: Float32Array;
  last: number;
  convergedAt: number;
  /** Full states received: seq and arrival (ms since base), for convergence after a restart. */
  states: number[];
}

/** One client process's devices and what they have counted. */
const createWorkerState = () => ({
  clients: [] as Client[],
  base: 0,
  readySeq: Infinity,
  lastSeq: Infinity,
  doneClients: 0,
  received: 0,
  disconnects: 0,
  slow: 0,
  cpu0: process.cpuUsage(),
});
type WorkerState = ReturnType<typeof createWorkerState>;

const toRunner = (m: FromWorker) => process.send?.(m);
const SEQ = /"seq":(\d+)/;
const STATE = /^\{"kind":"state"/;
// A device would parse the whole snapshot; here only its first bytes are read (the protocol puts
// seq and sentAt first), so the client processes spend their CPU on the relay's traffic, not
// on JSON.parse of N copies of the same state.
const seqOf = (head: string): number => Number(SEQ.exec(head)?.[1] ?? -1);
const HEAD = 128;

/** One update arrived at client c: note when (only the header is read: see seqOf). */
const arrived = (w: WorkerState, c: Client, head: string) => {
  const seq = seqOf(head);
  const t = now() - w.base;
  w.received++;
  if (seq < 0 || seq >= c.at.length) return;
  if (Number.isNaN(c.at[seq]!)) c.at[seq] = t;
  if (seq > c.last) c.last = seq;
  // Converged: a full state published after the restart (a patch or params alone is not the dream).
  if (STATE.test(head)) {
    c.states.push(seq, t);
    if (Number.isNaN(c.convergedAt) && seq >= w.readySeq) c.convergedAt = t + w.base;
  }
  if (seq >= w.lastSeq && c.last === seq) {
    w.doneClients++;
    if (w.doneClients === w.clients.length) toRunner({ type: 'last', clients: w.doneClients });
  }
};

/** The app's own client library: nats-core's wsconnect on the `ws` package. */
const connectNatsCore = async (w: WorkerState, c: Client, url: string, subject: string): Promise<void> => {
  const decoder = new TextDecoder();
  const nc = await wsconnect({
    servers: url,
    wsFactory: nodeWsFactory,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_TIME_WAIT_MS,
    reconnectJitter: RECONNECT_JITTER_MS,
    waitOnFirstConnect: true,
    pingInterval: 60_000,
  });
  c.close = () => nc.close().catch(() => undefined);
  nc.subscribe(subject, { callback: (_err, msg) => arrived(w, c, decoder.decode(msg.data.subarray(0, HEAD))) });
  void (async () => {
    for await (const st of nc.status()) {
      if (st.type === 'disconnect') w.disconnects++;
      if (st.type === 'slowConsumer') w.slow++;
    }
  })();
  await nc.flush();
};

/** The NATS protocol's lines and MSG payloads off a byte stream: each payload's first HEAD bytes, each other line. */
const natsReader = (onPayloadHead: (head: string) => void, onLine: (line: string) => void) => {
  let buf: Buffer = Buffer.alloc(0);
  let need = -1;
  return (data: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, data]) : data;
    for (;;) {
      if (need >= 0) {
        if (buf.length < need + 2) break;
        onPayloadHead(buf.toString('latin1', 0, Math.min(need, HEAD)));
        buf = buf.subarray(need + 2);
        need = -1;
        continue;
      }
      const i = buf.indexOf('\r\n');
      if (i < 0) break;
      const line = buf.toString('latin1', 0, i);
      buf = buf.subarray(i + 2);
      if (line.startsWith('MSG ')) need = Number(line.slice(line.lastIndexOf(' ') + 1));
      else onLine(line);
    }
  };
};

/**
 * --lean: the NATS protocol read straight off the `ws` socket (INFO, CONNECT, SUB, PING/PONG,
 * MSG), with the same reconnect policy. What a client must do at the least, so the figures show
 * the relay's cost apart from the client library's.
 */
const connectLean = (w: WorkerState, c: Client, url: string, subject: string): Promise<void> =>
  new Promise((resolve, reject) => {
    let closed = false;
    let first = true;
    let failures = 0;
    let socket: WebSocket | null = null;
    c.close = async () => {
      closed = true;
      socket?.close();
    };
    const open = () => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      socket = ws;
      ws.binaryType = 'nodebuffer';
      let up = false;
      const onLine = (line: string) => {
        if (line === 'PING') ws.send('PONG\r\n');
        else if (line.startsWith('INFO ')) ws.send(`CONNECT {"verbose":false,"pedantic":false,"protocol":1,"lang":"lean","version":"0","headers":false}\r\nSUB ${subject} 1\r\nPING\r\n`);
        else if (line === 'PONG' && !up) {
          up = true;
          failures = 0;
          if (first) {
            first = false;
            resolve();
          }
        } else if (line.startsWith('-ERR') && first) reject(new Error(line));
      };
      ws.on('message', natsReader((head) => arrived(w, c, head), onLine));
      ws.on('error', () => undefined);
      ws.on('close', () => {
        if (closed) return;
        if (up) w.disconnects++;
        // nats-core's policy: try again at once, then every wait + random jitter.
        const delay = failures === 0 ? 0 : RECONNECT_TIME_WAIT_MS + Math.random() * RECONNECT_JITTER_MS;
        failures++;
        setTimeout(() => {
          if (!closed) open();
        }, delay);
      });
    };
    open();
  });

/** Connect this process's devices, `concurrency` at a time; their connect times. */
const connectAll = async (w: WorkerState, raw: Extract<ToWorker, { type: 'connect' }>) => {
  w.base = raw.base;
  const connectMs: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  const connectOne = async (): Promise<number> => {
    const c: Client = { close: async () => undefined, at: new Float32Array(raw.maxSeq + 1).fill(Number.NaN), last: 0, convergedAt: Number.NaN, states: [] };
    w.clients.push(c);
    const t0 = now();
    await (raw.lean ? connectLean(w, c, raw.url, raw.subject) : connectNatsCore(w, c, raw.url, raw.subject));
    return now() - t0;
  };
  const lane = async () => {
    while (next < raw.clients) {
      next++;
      try {
        connectMs.push(await connectOne());
      } catch (e) {
        failed++;
        if (errors.length < 5) errors.push(String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(raw.concurrency, raw.clients) }, lane));
  toRunner({ type: 'connected', connectMs, failed, errors });
};

/** After a restart: report when each device had a full state published after it. */
const awaitConvergence = async (w: WorkerState, readySeq: number) => {
  w.readySeq = readySeq;
  // Some may have had a newer state before this message came.
  while (w.clients.some((c) => Number.isNaN(c.convergedAt))) {
    for (const c of w.clients) {
      if (!Number.isNaN(c.convergedAt)) continue;
      for (let i = 0; i < c.states.length; i += 2) {
        if (c.states[i]! >= readySeq) {
          c.convergedAt = c.states[i + 1]! + w.base;
          break;
        }
      }
    }
    await sleep(20);
  }
  toRunner({ type: 'converged', at: w.clients.map((c) => c.convergedAt) });
};

/** Every published seq's latency at every device, as histograms: steady, during the storm, the heavy states. */
const reportLatency = (w: WorkerState, raw: Extract<ToWorker, { type: 'report' }>) => {
  const hist = new Map<number, number>();
  const stormHist = new Map<number, number>();
  const heavyHist = new Map<number, number>();
  const heavy = new Set(raw.heavy);
  const r = { max: 0, delivered: 0, lost: 0, lostStorm: 0 };
  for (const c of w.clients) {
    for (let s = raw.firstSeq; s <= raw.lastSeq; s++) {
      // (not published: the performer's link was down, so nothing was sent)
      if (typeof raw.sentAt[s] !== 'number') continue;
      const inStorm = s >= raw.stormFrom && s <= raw.stormTo;
      const v = c.at[s]!;
      if (Number.isNaN(v)) {
        if (inStorm) r.lostStorm++;
        else r.lost++;
        continue;
      }
      r.delivered++;
      const ms = v + w.base - raw.sentAt[s]!;
      const h = inStorm ? stormHist : hist;
      if (!inStorm && ms > r.max) r.max = ms;
      const b = bucketOf(ms);
      h.set(b, (h.get(b) ?? 0) + 1);
      if (!inStorm && heavy.has(s)) heavyHist.set(b, (heavyHist.get(b) ?? 0) + 1);
    }
  }
  const u = process.cpuUsage(w.cpu0);
  toRunner({ type: 'report', hist: [...hist], heavyHist: [...heavyHist], stormHist: [...stormHist], ...r, cpuSeconds: (u.user + u.system) / 1e6, disconnects: w.disconnects, slow: w.slow });
};

/** A client process: does what the runner asks. */
const worker = () => {
  const w = createWorkerState();
  // The runner went away (killed): so do its clients.
  process.on('disconnect', () => process.exit(0));
  toRunner({ type: 'up' });
  process.on('message', (raw: ToWorker) => {
    void (async () => {
      if (raw.type === 'connect') await connectAll(w, raw);
      else if (raw.type === 'converge') void awaitConvergence(w, raw.readySeq);
      else if (raw.type === 'cpu') {
        const u = process.cpuUsage(w.cpu0);
        toRunner({ type: 'cpu', seconds: (u.user + u.system) / 1e6, received: w.received, minLast: w.clients.reduce((m, c) => Math.min(m, c.last), Number.POSITIVE_INFINITY) });
      } else if (raw.type === 'end') {
        w.lastSeq = raw.lastSeq;
        w.doneClients = w.clients.filter((c) => c.last >= w.lastSeq).length;
        if (w.doneClients === w.clients.length) toRunner({ type: 'last', clients: w.doneClients });
      } else if (raw.type === 'report') reportLatency(w, raw);
      else if (raw.type === 'exit') {
        await Promise.all(w.clients.map((c) => c.close()));
        process.exit(0);
      }
    })();
  });
};

// ---------------------------------------------------------------------------------------------
// The runner.

export interface LoadtestOptions {
  clients: number;
  seconds: number;
  /**
   * 'show' (the default): what a performer really sends (two faders, a discrete change every 2 s,
   * the heartbeat: see startShow). 'states' (`--rate R`): a full state R times a second, the
   * worst case of before the patches (with the acts once a second).
   */
  mode: 'show' | 'states';
  rate: number;
  storm: boolean;
  workers: number;
  /** Minimal NATS-over-WebSocket clients instead of nats-core (see connectLean). */
  lean: boolean;
  /**
   * Of the clients, this many are probes: nats-core clients in a process of their own at high
   * CPU priority, with the other client processes at low priority. What the probes see is what
   * a device sees when the other devices are not on the relay's machine: the relay's own latency.
   */
  probes: number;
  json?: string;
  quiet?: boolean;
}

export interface LoadtestResult {
  clients: number;
  seconds: number;
  rate: number;
  workers: number;
  client: 'nats-core' | 'lean';
  snapshotBytes: number;
  mode: 'show' | 'states';
  /** Bytes of a state message as sent: with the acts (once a second) and without (in between). */
  messageBytes: { full: number; lean: number; mean: number };
  /** What the performer published, by kind: messages and their JSON bytes in all. */
  kinds: Record<'state' | 'patch' | 'params', { count: number; bytes: number }>;
  /** Messages the performer published per second. */
  messagesPerSecond: number;
  /** Latency of the full states with the acts (~6 KB, the heartbeats) and of everything else. */
  byWeight: { heavy: { delivered: number; p50Ms: number; p99Ms: number }; light: { delivered: number; p50Ms: number; p99Ms: number } };
  published: number;
  expected: number;
  delivered: number;
  lost: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  connect: { totalSeconds: number; p50Ms: number; p99Ms: number; maxMs: number; failed: number };
  server: { cpuPercent: number; cpuSeconds: number; rssMB: number; peakRssMB: number };
  /** CPU of the client processes and of the publisher, % of one core (2 cores = 200 %). */
  clientsCpuPercent: number;
  publisherCpuPercent: number;
  /**
   * The whole machine's CPU while publishing (% of one core; this machine has `cores`), and what of
   * it was neither the server, the clients nor the publisher (other programs on the machine).
   */
  machineCpuPercent: number;
  otherCpuPercent: number;
  cores: number;
  /** Throughput the server delivered, messages and MB per second. */
  deliveredPerSecond: number;
  deliveredMBps: number;
  disconnects: number;
  slowConsumers: number;
  convergeSeconds?: number;
  storm?: { convergeSeconds: number; convergeAfterUpSeconds: number; downSeconds: number; lostDuringStorm: number; p99MsDuringStorm: number; converged: number };
  budget: { p99Ms: number; lost: number; convergeSeconds: number; met: boolean };
  /** With --probes: the probes' latency and losses (see LoadtestOptions.probes). */
  probe?: { clients: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; lost: number };
}

const percentile = (hist: Map<number, number>, total: number, p: number): number => {
  if (total === 0) return Number.NaN;
  const rank = Math.ceil(p * total);
  let seen = 0;
  const keys = [...hist.keys()].sort((a, b) => a - b);
  for (const k of keys) {
    seen += hist.get(k)!;
    if (seen >= rank) return bucketMs(k);
  }
  return Number.NaN;
};

const snapshotDream = (): DreamState => {
  const file = fileURLToPath(new URL('../presets/dream-temple.json', import.meta.url));
  const r = validatePreset(JSON.parse(readFileSync(file, 'utf8')));
  if (!r.ok) throw new Error('presets/dream-temple.json is invalid');
  return resolvePreset(r.preset, {});
};

type Log = (s: string) => void;
type Relay = Awaited<ReturnType<typeof startRelayServer>>;
type Publisher = ReturnType<typeof createNatsCarrier>;

/**
 * Fork the client processes (into `procs`, so whoever started them can end them whatever
 * happens), the probes' last and at high priority; and how to hear from all of them.
 */
const forkClients = (o: LoadtestOptions, relay: Relay, procs: ChildProcess[], log: Log) => {
  const self = fileURLToPath(import.meta.url);
  const inbox: FromWorker[][] = [];
  const waitAll = async <T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>[]> => {
    const t0 = now();
    for (;;) {
      const got = inbox.map((q) => q.find((m) => m.type === type));
      if (got.every((m) => m !== undefined)) {
        inbox.forEach((q, i) => q.splice(q.indexOf(got[i]!), 1));
        return got as Extract<FromWorker, { type: T }>[];
      }
      if (now() - t0 > timeoutMs) throw new Error(`client processes did not report '${type}' within ${timeoutMs} ms`);
      await sleep(10);
    }
  };
  const bulk = o.clients - o.probes;
  const per = Array.from({ length: o.workers }, (_, i) => Math.floor(bulk / o.workers) + (i < bulk % o.workers ? 1 : 0));
  if (o.probes > 0) per.push(o.probes);
  for (let i = 0; i < per.length; i++) {
    const p = fork(self, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    procs.push(p);
    const q: FromWorker[] = [];
    inbox.push(q);
    p.on('message', (m: FromWorker) => q.push(m));
    if (o.probes > 0 && p.pid !== undefined) {
      // The probes first, then the relay, then everything else.
      try {
        setPriority(p.pid, i === o.workers ? -10 : 10);
      } catch (e) {
        log(`could not set process priority: ${(e as Error).message}`);
      }
    }
  }
  if (o.probes > 0) {
    try {
      setPriority(relay.pid(), -5);
    } catch {
      /* not root: the figures say so (probe latency close to the others') */
    }
  }
  const sendAll = (m: ToWorker) => procs.forEach((p) => p.send(m));
  /** The clients' CPU seconds, updates received, and the oldest last update any of them has. */
  const ask = async () => {
    sendAll({ type: 'cpu' });
    const r = await waitAll('cpu', 60_000);
    return { cpu: r.reduce((a, c) => a + c.seconds, 0), received: r.reduce((a, c) => a + c.received, 0), minLast: Math.min(...r.map((c) => c.minLast)) };
  };
  return { procs, per, inbox, waitAll, sendAll, ask };
};
type Clients = ReturnType<typeof forkClients>;

/** Connect every client process's devices; their connect times. */
const connectClients = async (o: LoadtestOptions, relay: Relay, clients: Clients, maxSeq: number, base: number, log: Log) => {
  const tc = now();
  clients.procs.forEach((p, i) => p.send({ type: 'connect', url: relay.wsUrl, subject: relay.subjects.state, clients: clients.per[i]!, maxSeq, base, concurrency: 25, lean: o.lean && i < o.workers } satisfies ToWorker));
  const connected = await clients.waitAll('connected', 120_000);
  const totalSeconds = (now() - tc) / 1000;
  const connectMs = connected.flatMap((c) => c.connectMs).sort((a, b) => a - b);
  const failed = connected.reduce((n, c) => n + c.failed, 0);
  for (const c of connected) for (const e of c.errors) log(`connect error: ${e}`);
  log(`connected ${connectMs.length}/${o.clients} in ${totalSeconds.toFixed(2)} s`);
  return { connectMs, failed, totalSeconds };
};

/** What the performer published: when each seq went out (null: the link was down), by kind, the heavy ones. */
const createPublished = () => ({
  sentAt: [] as (number | null)[],
  kinds: { state: { count: 0, bytes: 0 }, patch: { count: 0, bytes: 0 }, params: { count: 0, bytes: 0 } } as LoadtestResult['kinds'],
  /** The seqs of the full states with the acts (~6 KB: the heartbeats) published. */
  heavy: [] as number[],
  /** The last seq sent (published or not), and the last published. */
  seq: 0,
  lastPublished: 0,
});
type Published = ReturnType<typeof createPublished>;

/**
 * What a performer really sends (the default): the app's own performer sync on its own store,
 * runtime and 60 Hz frames, with two faders moved continuously through `modulate` (params at
 * most 20 a second), one discrete change every 2 s (a patch) and its heartbeat (the full state
 * with the acts once a second), through the same carrier; each message's seq is noted as it goes.
 */
const startShow = (publisher: Publisher, pub: Published): (() => void) => {
  const store = createDreamStore(snapshotDream());
  const runtime = createRuntime(store);
  const carrier: Carrier = {
    link: publisher.link,
    send: (m) => {
      if (m.kind !== 'state' && m.kind !== 'patch' && m.kind !== 'params') return;
      pub.seq = Math.max(pub.seq, m.seq);
      if (publisher.link.get().state === 'connected') {
        pub.sentAt[m.seq] = now();
        pub.lastPublished = m.seq;
        pub.kinds[m.kind].count++;
        pub.kinds[m.kind].bytes += JSON.stringify(m).length;
        if (m.kind === 'state' && m.dream.acts) pub.heavy.push(m.seq);
      } else pub.sentAt[m.seq] = null;
      publisher.send(m);
    },
    onMessage: (fn) => publisher.onMessage(fn),
    close: () => undefined,
  };
  const performer = startPerformerSync(store, carrier, { id: 'loadtest-performer' });
  const start = now();
  const frames = setInterval(() => {
    const s = (now() - start) / 1000;
    runtime.modulate('mood.arousal', 0.5 + 0.4 * Math.sin(s * 1.3), { source: 'panel' });
    runtime.modulate('depth', 0.5 + 0.4 * Math.sin(s * 0.7 + 1), { source: 'panel' });
    runtime.clock.frame(performance.now() / 1000);
  }, 1000 / 60);
  const changes: BusAction[] = [
    { type: 'fracture', amount: 0.6 },
    { type: 'set', path: 'mood.valence', value: 0.2 },
    { type: 'glitch', amount: 0.4 },
    { type: 'set', path: 'unity', value: 0.7 },
  ];
  let n = 0;
  const discrete = setInterval(() => runtime.act(changes[n++ % changes.length]!, 'script'), 2000);
  return () => {
    clearInterval(frames);
    clearInterval(discrete);
    performer.stop();
    runtime.dispose();
  };
};

/** The state sizes: a snapshot, a state message with the acts and one without. */
const stateSizes = () => {
  const dream = snapshotDream();
  const sizer = new StateEncoder();
  const header = { from: 'loadtest', seq: 0, clock: 0, sentAt: 0, clockAt: 0, audio: 'audience', devices: 'all' } as const;
  return { snapshot: JSON.stringify(dream).length, full: JSON.stringify(sizer.message(header, dream, true)).length, lean: JSON.stringify(sizer.message(header, dream, false)).length };
};

/** `--rate R`: a full state (ticked) R times a second, the acts once a second (its heartbeat), by key in between. */
const publishStates = async (o: LoadtestOptions, publisher: Publisher, pub: Published, t0: number, sizes: ReturnType<typeof stateSizes>, running: () => boolean) => {
  let dream = snapshotDream();
  const encoder = new StateEncoder();
  const period = 1000 / o.rate;
  while (running()) {
    const seq = ++pub.seq;
    dream = tick(dream, 1 / o.rate);
    const t = now();
    pub.sentAt[seq] = t;
    const withActs = seq % o.rate === 1;
    const m = encoder.message({ from: 'loadtest', seq, clock: dream.clock, sentAt: t, clockAt: t, audio: 'audience', devices: 'all' }, dream, withActs);
    if (publisher.link.get().state === 'connected') {
      pub.lastPublished = seq;
      pub.kinds.state.count++;
      pub.kinds.state.bytes += withActs ? sizes.full : sizes.lean;
      if (withActs) pub.heavy.push(seq);
    } else pub.sentAt[seq] = null;
    publisher.send(m);
    const wait = t0 + seq * period - now();
    if (wait > 0) await sleep(wait);
    else await new Promise((r) => setImmediate(r));
  }
};

/** Publish until the returned function is called (it resolves when publishing has stopped). */
const startPublishing = (o: LoadtestOptions, publisher: Publisher, pub: Published, t0: number, sizes: ReturnType<typeof stateSizes>): (() => Promise<void>) => {
  let running = true;
  const done = (async () => {
    if (o.mode === 'states') return publishStates(o, publisher, pub, t0, sizes, () => running);
    const stopShow = startShow(publisher, pub);
    while (running) await sleep(20);
    stopShow();
  })();
  return async () => {
    running = false;
    await done;
  };
};

/** The relay server's CPU (summed across a restart, whose process is new) and memory. */
const createServerMeter = (relay: Relay) => {
  let cpu = 0;
  let s0: ProcStats | null = procStats(relay.pid());
  let rss = 0;
  let peakRss = 0;
  const sample = () => {
    const s = procStats(relay.pid());
    if (s) {
      rss = s.rssMB;
      peakRss = Math.max(peakRss, s.peakRssMB);
    }
    return s;
  };
  return {
    sample,
    /** Count the CPU used since the process started (or since `restarted`). */
    add: () => {
      const s = sample();
      if (s && s0) cpu += s.cpuSeconds - s0.cpuSeconds;
    },
    restarted: () => {
      s0 = procStats(relay.pid());
    },
    figures: () => ({ cpu, rss, peakRss }),
  };
};
type ServerMeter = ReturnType<typeof createServerMeter>;

/** --storm: restart the server halfway through and time until every device has a state published after it. */
const runStorm = async (o: LoadtestOptions, relay: Relay, clients: Clients, pub: Published, meter: ServerMeter, t0: number, log: Log) => {
  await sleep((o.seconds * 1000) / 2);
  meter.add();
  // Updates still on their way when the server goes are lost with it: the storm begins at the
  // oldest update some client has not had yet.
  const { minLast } = await clients.ask();
  const killAt = now();
  const from = Math.min(pub.seq + 1, minLast + 1);
  log(`storm: restarting nats-server at seq ${pub.seq}`);
  await relay.restart();
  const upAt = now();
  meter.restarted();
  clients.sendAll({ type: 'converge', readySeq: pub.seq + 1 });
  const at = (await clients.waitAll('converged', 60_000)).flatMap((c) => c.at);
  const last = Math.max(...at);
  const to = pub.sentAt.findLastIndex((t) => typeof t === 'number' && t <= last);
  const storm: NonNullable<LoadtestResult['storm']> = {
    convergeSeconds: (last - killAt) / 1000,
    convergeAfterUpSeconds: (last - upAt) / 1000,
    downSeconds: (upAt - killAt) / 1000,
    lostDuringStorm: 0,
    p99MsDuringStorm: 0,
    converged: at.filter((x) => !Number.isNaN(x)).length,
  };
  log(`storm: all ${storm.converged} converged ${storm.convergeSeconds.toFixed(2)} s after the restart began (server down ${storm.downSeconds.toFixed(2)} s)`);
  const rest = o.seconds * 1000 - (now() - t0);
  if (rest > 0) await sleep(rest);
  return { storm, from, to };
};

/**
 * Let the last updates arrive: until every client has the last one, or nothing more arrives for
 * 3 s (60 s at most). What never arrives is lost; what arrives late shows in the latency.
 */
const drainClients = async (clients: Clients, lastSeq: number, t1: number, log: Log) => {
  clients.sendAll({ type: 'end', lastSeq });
  let count = -1;
  let still = now();
  const drainFrom = now();
  while (!clients.inbox.every((q) => q.some((m) => m.type === 'last'))) {
    const c = (await clients.ask()).received;
    if (c !== count) {
      count = c;
      still = now();
    }
    if (now() - still > 3000 || now() - drainFrom > 60_000) {
      log(`not every client had the last update ${((now() - t1) / 1000).toFixed(1)} s after it was sent`);
      break;
    }
    await sleep(250);
  }
  await clients.waitAll('last', 1).catch(() => undefined);
};

const addInto = (into: Map<number, number>, from: Iterable<[number, number]>, sign = 1) => {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + sign * v);
};

/** The client processes' reports, added up; the probes' (the last process, with --probes) also apart. */
const mergeReports = (reports: Extract<FromWorker, { type: 'report' }>[], probeIndex: number | null) => {
  const m = { hist: new Map<number, number>(), stormHist: new Map<number, number>(), heavyHist: new Map<number, number>(), lightHist: new Map<number, number>(), delivered: 0, lost: 0, lostStorm: 0, maxMs: 0, disconnects: 0, slow: 0, sum: 0 };
  const probe = { hist: new Map<number, number>(), max: 0, lost: 0 };
  for (const [i, r] of reports.entries()) {
    if (i === probeIndex) {
      addInto(probe.hist, r.hist);
      probe.max = r.max;
      probe.lost = r.lost;
    }
    addInto(m.hist, r.hist);
    for (const [k, v] of r.hist) m.sum += bucketMs(k) * v;
    addInto(m.stormHist, r.stormHist);
    addInto(m.heavyHist, r.heavyHist);
    addInto(m.lightHist, r.hist);
    addInto(m.lightHist, r.heavyHist, -1);
    m.delivered += r.delivered;
    m.lost += r.lost;
    m.lostStorm += r.lostStorm;
    m.maxMs = Math.max(m.maxMs, r.max);
    m.disconnects += r.disconnects;
    m.slow += r.slow;
  }
  return { ...m, probe };
};
type Merged = ReturnType<typeof mergeReports>;

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const countOf = (h: Map<number, number>) => [...h.values()].reduce((a, b) => a + b, 0);
/** p50, p95, p99 of a histogram (ms, rounded) and how many it holds. */
const latencyOf = (h: Map<number, number>) => {
  const n = countOf(h);
  return { delivered: n, p50Ms: round(percentile(h, n, 0.5)), p95Ms: round(percentile(h, n, 0.95)), p99Ms: round(percentile(h, n, 0.99)) };
};

interface RunFigures {
  connect: Awaited<ReturnType<typeof connectClients>>;
  pub: Published;
  sizes: ReturnType<typeof stateSizes>;
  merged: Merged;
  storm: LoadtestResult['storm'];
  server: ReturnType<ServerMeter['figures']>;
  /** CPU seconds of the clients and the publisher, the machine's busy %, over cpuWall seconds. */
  cpu: { clients: number; publisher: number; machinePercent: number; wall: number };
  /** Seconds of publishing. */
  wall: number;
}

/** The result: latencies, losses, throughput, CPU and the budget, from what the run measured. */
const summarise = (o: LoadtestOptions, f: RunFigures): LoadtestResult => {
  const { kinds } = f.pub;
  const published = kinds.state.count + kinds.patch.count + kinds.params.count;
  // NATS adds its MSG line (~60 B) and WebSocket framing to each.
  const meanBytes = (kinds.state.bytes + kinds.patch.bytes + kinds.params.bytes) / Math.max(1, published) + 60;
  const all = latencyOf(f.merged.hist);
  const p99 = percentile(f.merged.hist, all.delivered, 0.99);
  const storm = f.storm && { ...f.storm, lostDuringStorm: f.merged.lostStorm, p99MsDuringStorm: percentile(f.merged.stormHist, countOf(f.merged.stormHist), 0.99) };
  const serverPercent = (f.server.cpu / f.cpu.wall) * 100;
  const clientsPercent = (f.cpu.clients / f.cpu.wall) * 100;
  const publisherPercent = (f.cpu.publisher / f.cpu.wall) * 100;
  const { connectMs } = f.connect;
  const light = latencyOf(f.merged.lightHist);
  const heavy = latencyOf(f.merged.heavyHist);
  const probe = latencyOf(f.merged.probe.hist);
  return {
    clients: o.clients,
    seconds: o.seconds,
    rate: o.mode === 'states' ? o.rate : round(published / f.wall, 1),
    workers: o.workers,
    client: o.lean ? 'lean' : 'nats-core',
    snapshotBytes: f.sizes.snapshot,
    mode: o.mode,
    messageBytes: { full: f.sizes.full, lean: f.sizes.lean, mean: Math.round(meanBytes) },
    kinds,
    messagesPerSecond: round(published / f.wall, 1),
    byWeight: { heavy: { delivered: heavy.delivered, p50Ms: heavy.p50Ms, p99Ms: heavy.p99Ms }, light: { delivered: light.delivered, p50Ms: light.p50Ms, p99Ms: light.p99Ms } },
    published,
    expected: published * connectMs.length,
    delivered: f.merged.delivered,
    lost: f.merged.lost,
    p50Ms: all.p50Ms,
    p95Ms: all.p95Ms,
    p99Ms: round(p99),
    maxMs: round(f.merged.maxMs),
    meanMs: round(f.merged.sum / Math.max(1, all.delivered)),
    connect: { totalSeconds: round(f.connect.totalSeconds), p50Ms: round(connectMs[Math.floor(connectMs.length * 0.5)] ?? 0), p99Ms: round(connectMs[Math.floor(connectMs.length * 0.99)] ?? 0), maxMs: round(connectMs.at(-1) ?? 0), failed: f.connect.failed },
    server: { cpuPercent: round(serverPercent, 1), cpuSeconds: round(f.server.cpu), rssMB: round(f.server.rss, 1), peakRssMB: round(f.server.peakRss, 1) },
    clientsCpuPercent: round(clientsPercent, 1),
    publisherCpuPercent: round(publisherPercent, 1),
    machineCpuPercent: round(f.cpu.machinePercent, 1),
    otherCpuPercent: round(Math.max(0, f.cpu.machinePercent - serverPercent - clientsPercent - publisherPercent), 1),
    cores: cpus().length,
    deliveredPerSecond: round(f.merged.delivered / f.wall, 0),
    deliveredMBps: round((f.merged.delivered * meanBytes) / f.wall / 1e6, 1),
    disconnects: f.merged.disconnects,
    slowConsumers: f.merged.slow,
    ...(storm ? { convergeSeconds: round(storm.convergeSeconds), storm: { ...storm, convergeSeconds: round(storm.convergeSeconds), convergeAfterUpSeconds: round(storm.convergeAfterUpSeconds), downSeconds: round(storm.downSeconds), p99MsDuringStorm: round(storm.p99MsDuringStorm) } } : {}),
    ...(o.probes > 0 ? { probe: { clients: o.probes, p50Ms: probe.p50Ms, p95Ms: probe.p95Ms, p99Ms: probe.p99Ms, maxMs: round(f.merged.probe.max), lost: f.merged.probe.lost } } : {}),
    budget: { ...BUDGET, met: p99 <= BUDGET.p99Ms && f.merged.lost === BUDGET.lost && f.connect.failed === 0 && (!storm || storm.convergeSeconds <= BUDGET.convergeSeconds) },
  };
};

/** Tell every client process to exit (killed after 5 s), close the performer, stop the server. */
const stopAll = async (procs: ChildProcess[], publisher: Publisher | null, relay: Relay) => {
  for (const p of procs) p.send({ type: 'exit' } satisfies ToWorker);
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((r) => {
          const t = setTimeout(() => {
            p.kill('SIGKILL');
            r();
          }, 5000);
          p.once('exit', () => {
            clearTimeout(t);
            r();
          });
        }),
    ),
  );
  publisher?.close();
  await relay.stop();
};

export const runLoadtest = async (o: LoadtestOptions): Promise<LoadtestResult> => {
  const log = (s: string) => {
    if (!o.quiet) process.stderr.write(`${s}\n`);
  };
  const relay = await startRelayServer({ room: 'loadtest' });
  const procs: ChildProcess[] = [];
  let publisher: Publisher | null = null;
  try {
    log(`nats-server ${relay.wsUrl} (pid ${relay.pid()}); ${o.clients} clients in ${o.workers} process(es)`);
    const base = now();
    // (show: ~21.5 messages a second, and a state at every reconnection: 30 a second is room enough)
    const maxSeq = Math.ceil(o.rate * (o.seconds + 30)) + 10;
    const clients = forkClients(o, relay, procs, log);
    await clients.waitAll('up', 60_000);
    const connect = await connectClients(o, relay, clients, maxSeq, base, log);
    // The performer: the app's own carrier with the performer's credential.
    publisher = createNatsCarrier({ url: relay.wsUrl, room: 'loadtest', role: 'performer', user: 'performer', pass: relay.secret, wsFactory: nodeWsFactory, name: 'loadtest performer' });
    await publisher.ready();
    await publisher.connection()!.flush();
    const sizes = stateSizes();
    const pub = createPublished();
    const clientCpu0 = (await clients.ask()).cpu;
    const pubCpu0 = process.cpuUsage();
    const t0 = now();
    const m0 = machineCpu();
    const meter = createServerMeter(relay);
    const stopPublishing = startPublishing(o, publisher, pub, t0, sizes);
    let storm: Awaited<ReturnType<typeof runStorm>> | null = null;
    if (o.storm) storm = await runStorm(o, relay, clients, pub, meter, t0, log);
    else {
      while (now() - t0 < o.seconds * 1000) {
        await sleep(Math.min(1000, o.seconds * 1000 - (now() - t0)));
        meter.sample();
      }
    }
    await stopPublishing();
    const t1 = now();
    const lastSeq = pub.lastPublished;
    await drainClients(clients, lastSeq, t1, log);
    // CPU over [start of publishing, all delivered]: the backlog drained after the last publish is work too.
    const cpuWall = (now() - t0) / 1000;
    const m1 = machineCpu();
    meter.add();
    const clientCpu = (await clients.ask()).cpu - clientCpu0;
    const pubCpu = process.cpuUsage(pubCpu0);
    clients.sendAll({ type: 'report', sentAt: pub.sentAt, heavy: pub.heavy, stormFrom: storm?.from ?? Number.POSITIVE_INFINITY, stormTo: storm?.to ?? Number.NEGATIVE_INFINITY, lastSeq, firstSeq: 1 });
    const merged = mergeReports(await clients.waitAll('report', 60_000), o.probes > 0 ? o.workers : null);
    const machinePercent = m0 && m1 ? ((m1.busy - m0.busy) / ((m1.total - m0.total) / cpus().length)) * 100 : Number.NaN;
    const cpu = { clients: clientCpu, publisher: (pubCpu.user + pubCpu.system) / 1e6, machinePercent, wall: cpuWall };
    return summarise(o, { connect, pub, sizes, merged, storm: storm?.storm, server: meter.figures(), cpu, wall: (t1 - t0) / 1000 });
  } finally {
    await stopAll(procs, publisher, relay);
  }
};

const parseArgs = (argv: string[]): LoadtestOptions => {
  const o: LoadtestOptions = { clients: 100, seconds: 10, mode: 'show', rate: 30, storm: false, workers: 2, lean: false, probes: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = (min: number, max: number) => {
      const n = Number(val());
      if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${a}: expected a number from ${min} to ${max}`);
      return n;
    };
    if (a === '--clients') o.clients = Math.round(num(1, LIMITS.clients));
    else if (a === '--seconds') o.seconds = num(1, LIMITS.seconds);
    else if (a === '--rate') {
      o.rate = num(1, 240);
      o.mode = 'states';
    }
    else if (a === '--workers') o.workers = Math.round(num(1, 16));
    else if (a === '--json') o.json = val();
    else if (a === '--storm') o.storm = true;
    else if (a === '--lean') o.lean = true;
    else if (a === '--probes') o.probes = Math.round(num(1, 100));
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('npm run loadtest -- --clients N [--seconds S] [--json FILE] [--storm] [--rate R] [--workers 2] [--lean] [--probes P]\n(without --rate: what a performer sends: two faders, a change every 2 s, heartbeats; --rate R: R full states a second)\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  if (o.probes >= o.clients) throw new Error('--probes: fewer than --clients');
  o.workers = Math.min(o.workers, o.clients - o.probes);
  return o;
};

const main = async () => {
  if (process.argv.includes('--worker')) {
    worker();
    return;
  }
  let o: LoadtestOptions;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`loadtest: ${(e as Error).message}\n`);
    process.exit(2);
  }
  // Stops by itself: the whole run is cut off well after its planned end.
  const hard = setTimeout(() => {
    process.stderr.write('loadtest: took too long; stopping\n');
    process.exit(3);
  }, (o.seconds + 120) * 1000 + o.clients * 20);
  hard.unref();
  // Ctrl-C or a kill: exit through the 'exit' hooks, which stop nats-server.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  const r = await runLoadtest(o);
  const line = (k: string, v: string) => process.stdout.write(`${k.padEnd(22)}${v}\n`);
  const k = r.kinds;
  const meanOf = (x: { count: number; bytes: number }) => (x.count ? Math.round(x.bytes / x.count) : 0);
  if (r.mode === 'show')
    line('clients', `${r.clients} ${r.client} clients (${r.workers} processes${r.probe ? ', and 1 for the probes' : ''}), a performer with two faders and a change every 2 s for ${r.seconds} s: ${r.messagesPerSecond} messages/s: ${k.params.count} params (${meanOf(k.params)} B), ${k.patch.count} patches (${meanOf(k.patch)} B), ${k.state.count} states (${meanOf(k.state)} B, with the acts)`);
  else line('clients', `${r.clients} ${r.client} clients (${r.workers} processes${r.probe ? ', and 1 for the probes' : ''}), ${r.rate} full states/s for ${r.seconds} s: a ${r.snapshotBytes} B dream, messages of ${r.messageBytes.full} B with its acts (1/s) and ${r.messageBytes.lean} B without`);
  line('latency', `p50 ${r.p50Ms} ms  p95 ${r.p95Ms} ms  p99 ${r.p99Ms} ms  max ${r.maxMs} ms  (mean ${r.meanMs} ms)`);
  line('by weight', `states with the acts: p50 ${r.byWeight.heavy.p50Ms} ms  p99 ${r.byWeight.heavy.p99Ms} ms; the rest: p50 ${r.byWeight.light.p50Ms} ms  p99 ${r.byWeight.light.p99Ms} ms`);
  line('lost', `${r.lost} of ${r.expected} (delivered ${r.delivered}; ${r.deliveredPerSecond}/s, ${r.deliveredMBps} MB/s)`);
  line('connect', `all in ${r.connect.totalSeconds} s; each p50 ${r.connect.p50Ms} ms  p99 ${r.connect.p99Ms} ms  max ${r.connect.maxMs} ms; failed ${r.connect.failed}`);
  line('nats-server', `CPU ${r.server.cpuPercent} % of a core (${r.server.cpuSeconds} s); RSS ${r.server.rssMB} MB (peak ${r.server.peakRssMB} MB)`);
  line('clients, publisher', `CPU ${r.clientsCpuPercent} %, ${r.publisherCpuPercent} % of a core; ${r.disconnects} disconnects, ${r.slowConsumers} slow consumers`);
  line('machine', `CPU ${r.machineCpuPercent} % of ${r.cores * 100} % busy; other programs ${r.otherCpuPercent} %`);
  if (r.probe) line('probes', `${r.probe.clients} at high priority: p50 ${r.probe.p50Ms} ms  p95 ${r.probe.p95Ms} ms  p99 ${r.probe.p99Ms} ms  max ${r.probe.maxMs} ms; lost ${r.probe.lost}`);
  if (r.storm) line('storm', `converged in ${r.storm.convergeSeconds} s from the restart (${r.storm.convergeAfterUpSeconds} s after it was up; down ${r.storm.downSeconds} s); ${r.storm.lostDuringStorm} lost during it`);
  line('budget', `${r.budget.met ? 'met' : 'MISSED'} (p99 ≤ ${BUDGET.p99Ms} ms, ${BUDGET.lost} lost${o.storm ? `, converge ≤ ${BUDGET.convergeSeconds} s` : ''})`);
  if (o.json) writeFileSync(o.json, `${JSON.stringify(r, null, 2)}\n`);
  process.exit(0);
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
