/**
 * `npm run osc`: the OSC bridge between controllers (UDP OSC: TouchOSC, Open Stage Control, a
 * DAW, Max) and the performer page (a WebSocket). OSC in on udp 127.0.0.1:9000, the page on
 * ws://127.0.0.1:8080, the dream's values out to --send HOST:PORT. With --lan it listens on the
 * LAN, takes OSC only from the --allow addresses and the page only with the token it prints.
 * Every message is checked against the parameter table (src/inputs/osc/addresses.ts); what is
 * bad or too much is counted and dropped, and a line a second says what. `--list` prints the
 * addresses. OSC is decoded and encoded by node-osc; the sockets are node:dgram and ws.
 */
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, encode } from 'node-osc';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { checkOscMessage, formatAddressList } from '../src/inputs/osc/addresses.ts';
import { CLOSE_ORIGIN, CLOSE_TOKEN, MAX_FRAME_BYTES, parseToBridge } from '../src/inputs/osc/wire.ts';
import type { OscValue, ToPage } from '../src/inputs/osc/wire.ts';
import { countDrop, createGate, newTally, originAllowed, parseOscArgs, performerLink, senderAllowed, tallyCounts, tallyLine, USAGE } from './lib/osc-bridge.ts';
import type { OscArgs, Tally } from './lib/osc-bridge.ts';

interface Decoded {
  oscType: 'message' | 'bundle';
  address?: string;
  args?: { value: unknown }[];
  elements?: Decoded[];
}

/** At most this many messages are taken from one bundle (nested bundles flattened). */
const MAX_BUNDLE_MESSAGES = 64;
/** A page has this long to say hello (with the token in LAN mode). */
const HELLO_MS = 5000;
const MAX_PAGES = 8;
/** State messages a page may send a second (it sends at most 30). */
const PAGE_STATES_PER_SECOND = 60;

/** The messages of a packet (a bundle's, flattened; its time tag is not waited for). */
const messagesOf = (d: Decoded, out: { address: string; args: unknown[] }[] = []): { address: string; args: unknown[] }[] => {
  if (d.oscType === 'message' && typeof d.address === 'string') out.push({ address: d.address, args: (d.args ?? []).map((a) => a.value) });
  else if (d.oscType === 'bundle') for (const e of d.elements ?? []) if (out.length < MAX_BUNDLE_MESSAGES) messagesOf(e, out);
  return out;
};

const textOf = (d: RawData): string => (Array.isArray(d) ? Buffer.concat(d) : Buffer.isBuffer(d) ? d : Buffer.from(d)).toString('utf8');

const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface Bridge {
  udpPort: number;
  wsPort: number;
  token: string | null;
  tally(): Tally;
  close(): Promise<void>;
}

interface Parts {
  args: OscArgs;
  udp: Socket;
  pages: Set<WebSocket>;
  tally: Tally;
  log: (line: string) => void;
}

const toPages = (p: Parts, m: ToPage) => {
  const text = JSON.stringify(m);
  for (const ws of p.pages) if (ws.readyState === ws.OPEN) ws.send(text);
};

const forward = (p: Parts, address: string, args: unknown[]) => {
  p.tally.forwarded += 1;
  toPages(p, { type: 'osc', address, args: args as OscValue[] });
};

/** UDP in: who sent it, the flood budget, decoding, the table's check, then the gate. */
const receive = (p: Parts, gate: ReturnType<typeof createGate>) => (msg: Buffer, rinfo: RemoteInfo) => {
  const now = performance.now();
  if (!senderAllowed(p.args, rinfo.address)) {
    p.tally.received += 1;
    countDrop(p.tally, 'not allowed', `from ${rinfo.address}`);
    return;
  }
  if (!gate.packet(now)) {
    p.tally.received += 1;
    countDrop(p.tally, 'flood', `over ${20_000} packets a second`);
    return;
  }
  let messages: { address: string; args: unknown[] }[];
  try {
    messages = messagesOf(decode(msg) as Decoded);
  } catch (e) {
    p.tally.received += 1;
    countDrop(p.tally, 'malformed packet', e instanceof Error ? e.message : String(e));
    return;
  }
  for (const { address, args } of messages) {
    p.tally.received += 1;
    const checked = checkOscMessage(address, args);
    if (!checked.ok) {
      countDrop(p.tally, checked.reason, checked.detail);
      continue;
    }
    const c = checked.command;
    const coalesce = c.kind === 'set' || c.kind === 'foreign' || (c.kind === 'do' && c.coalesce);
    const verdict = gate.offer(address, args, coalesce, now);
    if (verdict === 'now') forward(p, address, args);
    else if (verdict === 'coalesced') p.tally.coalesced += 1;
    else if (verdict === 'too fast' || verdict === 'flood') countDrop(p.tally, verdict, address);
  }
};

/** The dream's values from the page, out as OSC to --send (each checked against the table). */
const sendState = (p: Parts, values: [string, OscValue][]) => {
  const to = p.args.send;
  if (!to) return;
  for (const [address, value] of values) {
    const checked = checkOscMessage(address, [value]);
    if (!checked.ok || (checked.command.kind !== 'set' && checked.command.kind !== 'do')) {
      countDrop(p.tally, 'page: not a state address', address);
      continue;
    }
    const arg = typeof value === 'number' ? { type: address.endsWith('/do/act') ? 'i' : 'f', value } : value;
    p.udp.send(encode({ oscType: 'message', address, args: [arg] }), to.port, to.host);
  }
};

/** A page: hello (with the token in LAN mode) within 5 s, then state messages. */
const acceptPage = (p: Parts, token: string | null) => (ws: WebSocket, origin: string | undefined) => {
  if (!originAllowed(p.args.lan, origin)) {
    p.log(`osc: refused a page from ${String(origin)}: only pages of this machine without --lan`);
    ws.close(CLOSE_ORIGIN, 'only pages of this machine may link to this bridge (or start it with --lan)');
    return;
  }
  if (p.pages.size >= MAX_PAGES) return ws.close(1013, 'too many pages');
  let welcomed = false;
  let second = 0;
  let states = 0;
  const timer = setTimeout(() => ws.close(CLOSE_TOKEN, 'no hello'), HELLO_MS);
  ws.on('message', (data, isBinary) => {
    const m = isBinary ? null : parseToBridge(textOf(data));
    if (!welcomed) {
      clearTimeout(timer);
      if (m?.type !== 'hello' || (token !== null && (m.token === undefined || !sameToken(m.token, token)))) {
        p.log('osc: refused a page without the right token');
        return ws.close(CLOSE_TOKEN, 'the OSC bridge needs the token it printed: open the performer link npm run osc -- --lan printed');
      }
      welcomed = true;
      p.pages.add(ws);
      ws.send(JSON.stringify({ type: 'welcome', lan: p.args.lan } satisfies ToPage));
      p.log('osc: a performer page linked');
      return;
    }
    const s = Math.floor(performance.now() / 1000);
    if (s !== second) [second, states] = [s, 0];
    if (m?.type !== 'state' || ++states > PAGE_STATES_PER_SECOND) return countDrop(p.tally, 'page: bad or too many frames', m?.type ?? 'not JSON');
    sendState(p, m.values);
  });
  ws.on('close', () => {
    clearTimeout(timer);
    if (p.pages.delete(ws)) p.log('osc: a performer page left');
  });
  ws.on('error', () => undefined);
};

const listenUdp = (udp: Socket, port: number, host: string) =>
  new Promise<number>((ok, fail) => {
    udp.once('error', fail);
    udp.bind(port, host, () => {
      udp.off('error', fail);
      ok(udp.address().port);
    });
  });

const listenWs = (wss: WebSocketServer) =>
  new Promise<number>((ok, fail) => {
    wss.once('error', fail);
    wss.once('listening', () => {
      wss.off('error', fail);
      ok((wss.address() as { port: number }).port);
    });
  });

/** Start the bridge: UDP in/out, the page's WebSocket, the gate's clock and the log's second. */
export const startBridge = async (args: OscArgs, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Bridge> => {
  const token = args.lan ? randomBytes(24).toString('base64url') : null;
  // A large receive buffer: a burst (a flood, a layout sending everything at once) waits in it instead of being lost.
  const udp = createSocket({ type: args.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 << 20 });
  const p: Parts = { args, udp, pages: new Set(), tally: newTally(), log };
  const gate = createGate();
  udp.on('message', receive(p, gate));
  udp.on('error', (e) => log(`osc: udp: ${e.message}`));
  const udpPort = await listenUdp(udp, args.port, args.host);
  const wss = new WebSocketServer({ host: args.host, port: args.wsPort, maxPayload: MAX_FRAME_BYTES });
  const wsPort = await listenWs(wss);
  const accept = acceptPage(p, token);
  wss.on('connection', (ws, req) => accept(ws, req.headers.origin));
  // Held values go out when their turn comes (every 4 ms); the log and the pages hear once a second.
  const flush = setInterval(() => {
    for (const [address, a] of gate.due(performance.now())) forward(p, address, a);
  }, 4);
  let last = newTally();
  const second = setInterval(() => {
    [last, p.tally] = [p.tally, newTally()];
    const line = tallyLine(last);
    if (line) {
      log(line);
      toPages(p, { type: 'dropped', counts: tallyCounts(last) });
    }
  }, 1000);
  return {
    udpPort,
    wsPort,
    token,
    tally: () => p.tally,
    close: async () => {
      clearInterval(flush);
      clearInterval(second);
      for (const ws of p.pages) ws.close(1001, 'the bridge stopped');
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => udp.close(() => r()));
    },
  };
};

const lanAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);

const printStart = (args: OscArgs, b: Bridge) => {
  const info = (s: string) => process.stderr.write(`${s}\n`);
  const from = args.lan ? `from ${args.allow.join(', ')} only` : 'from this machine only';
  info(`osc: OSC in on udp ${args.host}:${b.udpPort} (${from}); the page links to ws://${args.host}:${b.wsPort}${args.lan ? ' with the token' : ''}`);
  info(args.send ? `osc: the dream's values go out to udp ${args.send.host}:${args.send.port}` : 'osc: no --send HOST:PORT: the dream\'s values go nowhere');
  if (args.lan) info(`osc: LAN mode: a performer page on another machine links to ws://${lanAddresses()[0] ?? '<this machine>'}:${b.wsPort} (same token)`);
  process.stdout.write(`performer: ${performerLink(args.page, `ws://${args.host === '0.0.0.0' ? '127.0.0.1' : args.host.includes(':') ? `[${args.host}]` : args.host}:${b.wsPort}`, b.token)}\n`);
};

const main = async () => {
  let args: OscArgs;
  try {
    args = parseOscArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`osc: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(USAGE);
  if (args.list) return void process.stdout.write(`${formatAddressList()}\n`);
  let bridge: Bridge;
  try {
    bridge = await startBridge(args);
  } catch (e) {
    process.stderr.write(`osc: could not listen: ${(e as Error).message}\n`);
    process.exit(1);
  }
  printStart(args, bridge);
  const stop = () => void bridge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) void main();
