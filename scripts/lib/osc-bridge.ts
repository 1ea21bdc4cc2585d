import { isIP } from 'node:net';

/**
 * The OSC bridge's pure parts (scripts/osc.ts does the sockets): its arguments, who may send, the
 * gate that keeps a flood from reaching the page (each address's latest value at most 60 times a
 * second, presses at most 10 a second per address, at most 20,000 packets a second in all), and
 * the once-a-second log of what was dropped. Time comes in as an argument.
 */

export interface OscArgs {
  /** UDP in. */
  port: number;
  /** The WebSocket server for the performer page. */
  wsPort: number;
  /** Where both listen: 127.0.0.1, or in LAN mode 0.0.0.0 (or --host). */
  host: string;
  lan: boolean;
  /** LAN mode: the only addresses OSC is taken from. */
  allow: string[];
  /** Where the dream's values go out as OSC. */
  send?: { host: string; port: number };
  /** The performer view's address, for the printed link. */
  page: string;
  list: boolean;
  help: boolean;
}

export const USAGE =
  'npm run osc [-- --port 9000] [--ws-port 8080] [--send HOST:PORT] [--lan --allow ADDR[,ADDR…] [--host ADDR]] [--page URL]\n' +
  'npm run osc -- --list     print every OSC address\n';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

const portOf = (k: string, v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${k}: expected a port 0..65535 (0: any free port), got ${v}`);
  return n;
};

const parseSend = (v: string): { host: string; port: number } => {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
  if (!m) throw new Error(`--send: expected HOST:PORT (e.g. 127.0.0.1:9001), got ${v}`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = portOf('--send', m[2]!);
  if (port === 0) throw new Error('--send: port 0 is no destination');
  return { host, port };
};

const checkArgs = (a: OscArgs, hostGiven: boolean): OscArgs => {
  if (a.lan) {
    if (a.allow.length === 0) throw new Error('--lan takes OSC only from the senders given with --allow ADDR (repeat it or give a comma list)');
    if (!hostGiven) a.host = '0.0.0.0';
  } else {
    if (a.allow.length > 0) throw new Error('--allow is for --lan: without it, only this machine (127.0.0.1) may send');
    if (hostGiven && !isLoopback(a.host)) throw new Error(`--host ${a.host}: listening beyond this machine needs --lan`);
    if (a.send && !isLoopback(a.send.host)) throw new Error(`--send ${a.send.host}: sending beyond this machine needs --lan`);
  }
  if (a.send && isLoopback(a.send.host) && a.send.port === a.port) throw new Error('--send: that is the bridge\'s own OSC port (a loop)');
  return a;
};

export const parseOscArgs = (argv: readonly string[]): OscArgs => {
  const a: OscArgs = { port: 9000, wsPort: 8080, host: '127.0.0.1', lan: false, allow: [], page: 'http://127.0.0.1:5173/', list: false, help: false };
  let hostGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${k} needs a value`);
      return v;
    };
    if (k === '--port') a.port = portOf(k, val());
    else if (k === '--ws-port') a.wsPort = portOf(k, val());
    else if (k === '--send') a.send = parseSend(val());
    else if (k === '--lan') a.lan = true;
    else if (k === '--host') {
      a.host = val();
      hostGiven = true;
      if (isIP(a.host) === 0) throw new Error(`--host: expected an IP address, got ${a.host}`);
    } else if (k === '--allow') {
      for (const ip of val().split(',').map((s) => s.trim()).filter(Boolean)) {
        if (isIP(ip) === 0) throw new Error(`--allow: expected IP addresses, got ${ip}`);
        a.allow.push(ip);
      }
    } else if (k === '--page') {
      a.page = val();
      if (!/^https?:\/\//.test(a.page)) throw new Error('--page: expected the performer view\'s http:// address');
    } else if (k === '--list') a.list = true;
    else if (k === '--help' || k === '-h') a.help = true;
    else throw new Error(`unknown argument ${k} (try --help)`);
  }
  return checkArgs(a, hostGiven);
};

/** May this UDP sender talk to the bridge? This machine without --lan; the --allow list with it. */
export const senderAllowed = (args: Pick<OscArgs, 'lan' | 'allow'>, address: string): boolean => {
  const a = address.replace(/^::ffff:/, '');
  return args.lan ? args.allow.includes(a) : isLoopback(a);
};

/** May a page from this origin link (without --lan: only pages of this machine; no origin: not a browser)? */
export const originAllowed = (lan: boolean, origin: string | undefined): boolean => {
  if (lan || origin === undefined) return true;
  try {
    return isLoopback(new URL(origin).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
};

/** The performer view's link to this bridge: ?osc= in the query, the LAN token in the #fragment. */
export const performerLink = (page: string, wsUrl: string, token: string | null): string => {
  const u = new URL(page);
  u.searchParams.set('osc', wsUrl);
  return `${u.origin}${u.pathname}?${u.searchParams.toString()}${token ? `#osctoken=${token}` : ''}`;
};

// ---- the gate ------------------------------------------------------------------------------------

export interface GateOptions {
  /** An address's values are sent at most once per this many ms; the latest waits for its turn. */
  coalesceMs: number;
  /** Presses (no value to coalesce) per address per second. */
  pressesPerSecond: number;
  /** Packets per second in all, before decoding. */
  packetsPerSecond: number;
  /** Addresses waiting at once. */
  maxWaiting: number;
}

export const GATE_DEFAULTS: GateOptions = { coalesceMs: 1000 / 60, pressesPerSecond: 10, packetsPerSecond: 20_000, maxWaiting: 256 };

export type Offer = 'now' | 'held' | 'coalesced' | 'too fast' | 'flood';

export interface Gate {
  /** A packet arrived: false when over the packets-per-second budget (dropped undecoded). */
  packet(now: number): boolean;
  /** A checked message: send it now, hold it (latest wins), or drop it. */
  offer(address: string, args: unknown[], coalesce: boolean, now: number): Offer;
  /** Held messages whose turn has come. */
  due(now: number): [string, unknown[]][];
  waiting(): number;
}

export const createGate = (o: GateOptions = GATE_DEFAULTS): Gate => {
  let second = 0;
  let packets = 0;
  const lastSent = new Map<string, number>();
  const held = new Map<string, unknown[]>();
  const presses = new Map<string, { second: number; n: number }>();
  const prune = (now: number) => {
    if (lastSent.size > 4 * o.maxWaiting) for (const [k, t] of lastSent) if (now - t > 1000 && !held.has(k)) lastSent.delete(k);
    if (presses.size > 4 * o.maxWaiting) presses.clear();
  };
  return {
    packet: (now) => {
      const s = Math.floor(now / 1000);
      if (s !== second) {
        second = s;
        packets = 0;
      }
      packets += 1;
      return packets <= o.packetsPerSecond;
    },
    offer: (address, args, coalesce, now) => {
      if (!coalesce) {
        const s = Math.floor(now / 1000);
        const p = presses.get(address);
        if (p && p.second === s && p.n >= o.pressesPerSecond) return 'too fast';
        presses.set(address, p && p.second === s ? { second: s, n: p.n + 1 } : { second: s, n: 1 });
        prune(now);
        return 'now';
      }
      const last = lastSent.get(address);
      if (!held.has(address) && (last === undefined || now - last >= o.coalesceMs)) {
        lastSent.set(address, now);
        prune(now);
        return 'now';
      }
      if (held.has(address)) {
        held.set(address, args);
        return 'coalesced';
      }
      if (held.size >= o.maxWaiting) return 'flood';
      held.set(address, args);
      return 'held';
    },
    due: (now) => {
      const out: [string, unknown[]][] = [];
      for (const [address, args] of held) {
        if (now - (lastSent.get(address) ?? -Infinity) < o.coalesceMs) continue;
        out.push([address, args]);
        held.delete(address);
        lastSent.set(address, now);
      }
      return out;
    },
    waiting: () => held.size,
  };
};

// ---- the log -------------------------------------------------------------------------------------

export interface Tally {
  received: number;
  forwarded: number;
  coalesced: number;
  dropped: Map<string, { n: number; example: string }>;
}

export const newTally = (): Tally => ({ received: 0, forwarded: 0, coalesced: 0, dropped: new Map() });

export const countDrop = (t: Tally, reason: string, example: string): void => {
  const d = t.dropped.get(reason);
  if (d) d.n += 1;
  else t.dropped.set(reason, { n: 1, example: example.slice(0, 120) });
};

/** One line for the last second, or null when nothing was dropped or coalesced. */
export const tallyLine = (t: Tally): string | null => {
  if (t.dropped.size === 0 && t.coalesced === 0) return null;
  const total = [...t.dropped.values()].reduce((s, d) => s + d.n, 0);
  const reasons = [...t.dropped].map(([r, d]) => `${d.n} ${r} (e.g. ${d.example})`).join('; ');
  return `osc: last second: ${t.received} received, ${t.forwarded} to the page, ${t.coalesced} coalesced (latest value wins), ${total} dropped${total > 0 ? `: ${reasons}` : ''}`;
};

export const tallyCounts = (t: Tally): Record<string, number> => {
  const counts: Record<string, number> = { coalesced: t.coalesced };
  for (const [r, d] of t.dropped) counts[r] = d.n;
  return counts;
};
