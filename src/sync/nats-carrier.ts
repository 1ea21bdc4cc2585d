import { errors, nkeyAuthenticator, wsconnect } from '@nats-io/nats-core';
import type { Authenticator, Msg, NatsConnection, WsSocketFactory } from '@nats-io/nats-core';
import type { CredentialSource } from '../app/credential.ts';
import { observable, PROTOCOL, subjects } from './protocol.ts';
import type { Carrier, ClockReply, ClockRequest, LinkInfo, SyncMessage } from './protocol.ts';
import { checkBytes, checkClockReply, checkClockRequest, checkSyncMessage, INBOX_PATTERN, MAX_CLOCK_BYTES, MAX_STATE_BYTES, reportDropped } from './validate.ts';
import { listeners } from '../lib/listeners.ts';

/**
 * The carrier between devices: NATS over WebSocket, straight from the browser to the relay
 * (`npm run relay`). One room is two subjects: the performer publishes every state, patch and
 * params message on `dreamscape.<room>.state`, which every device subscribes to; devices ask the
 * performer's clock by request/reply on `dreamscape.<room>.clock`. The relay lets only the performer's credential
 * publish state; a device without it may subscribe and ask the clock, nothing else.
 *
 * Every device is anonymous, so whatever comes in is checked (src/sync/validate.ts): a state's
 * size before it is parsed, then its shape; a clock request's size, its reply subject (only
 * `_INBOX.…`, so an answer cannot be made to land on the state subject) and its id.
 *
 * It reconnects forever, with jitter so a thousand devices do not all knock at once after the
 * relay restarts; while it is away the page keeps dreaming on its last state, and the
 * performer's next state (at once on its own reconnect, and every second) brings it back in step.
 */
export interface RelayOptions {
  /** ws:// or wss:// address of the relay's WebSocket listener. */
  url: string;
  room: string;
  /**
   * The performer publishes states, answers the clock and listens to the states (to hear another
   * performer in the room); an audience device listens to states and asks the clock. Each
   * subscribes only to what its role may (the relay refuses anything else).
   */
  role: 'performer' | 'audience';
  /** The performer's credential; an audience connects without one. */
  user?: string;
  pass?: string;
  /** Or the performer's nkey seed (SU…): the relay then knows only its public key. */
  nkey?: string;
  /**
   * Or the performer's credential as it is at each (re)connect: the performer's page (a rotated
   * secret is typed in mid-show; src/app/credential.ts). A change reconnects with it.
   */
  credential?: CredentialSource;
  /** A name the relay shows for this connection. */
  name?: string;
  /** Node has no WebSocket before v22: pass one (the `ws` package) there. */
  wsFactory?: WsSocketFactory;
  /** Reconnect wait and jitter (ms): the next try is after wait + random(0..jitter). */
  reconnectTimeWait?: number;
  reconnectJitter?: number;
}

export interface NatsCarrier extends Carrier {
  askClock(request: ClockRequest, timeoutMs: number): Promise<ClockReply>;
  answerClock(fn: (request: ClockRequest) => ClockReply | null): () => void;
  /** Resolves once connected the first time (never rejects: it keeps trying). */
  ready(): Promise<void>;
  /** The underlying connection once there (for tests and tools). */
  connection(): NatsConnection | null;
}

const encoder = new TextEncoder();
const encode = (m: unknown): Uint8Array => encoder.encode(JSON.stringify(m));

/** Sign in with whatever the source holds at this (re)connect: a password, an nkey (signing the server's nonce), or nothing. */
const credentialAuthenticator =
  (source: CredentialSource): Authenticator =>
  (nonce) => {
    const c = source.get();
    if (c === null) return undefined;
    if ('nkey' in c) return nkeyAuthenticator(new TextEncoder().encode(c.nkey))(nonce);
    return { user: c.user, pass: c.pass };
  };

export const RECONNECT_TIME_WAIT_MS = 500;
export const RECONNECT_JITTER_MS = 1000;

const connectOptions = (options: RelayOptions): Parameters<typeof wsconnect>[0] => ({
  servers: options.url,
  ...(options.user !== undefined ? { user: options.user } : {}),
  ...(options.pass !== undefined ? { pass: options.pass } : {}),
  ...(options.nkey !== undefined ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(options.nkey)) } : {}),
  ...(options.credential !== undefined ? { authenticator: credentialAuthenticator(options.credential) } : {}),
  ...(options.wsFactory ? { wsFactory: options.wsFactory } : {}),
  name: options.name ?? `dreamscape ${options.role}`,
  maxReconnectAttempts: -1,
  reconnectTimeWait: options.reconnectTimeWait ?? RECONNECT_TIME_WAIT_MS,
  reconnectJitter: options.reconnectJitter ?? RECONNECT_JITTER_MS,
  reconnectJitterTLS: options.reconnectJitter ?? RECONNECT_JITTER_MS,
  waitOnFirstConnect: true,
  ignoreAuthErrorAbort: true,
  // A phone that drops off Wi-Fi leaves a half-open socket: find out within ~10 s.
  pingInterval: 5000,
  maxPingOut: 2,
  noEcho: true,
});

/** The link's state from the connection's status events. */
const followStatus = async (conn: NatsConnection, update: (patch: Partial<LinkInfo>) => void, connects: () => number) => {
  for await (const s of conn.status()) {
    switch (s.type) {
      case 'disconnect':
      case 'staleConnection':
        update({ state: 'reconnecting' });
        break;
      case 'reconnect':
        update({ state: 'connected', connects: connects() + 1, error: null });
        break;
      case 'error':
        // A clock answer later than the relay allows (the page was busy for seconds, loading
        // or drawing) is refused too: it was of no use to anyone by then, and it is no alarm.
        if (s.error instanceof errors.PermissionViolationError && /Publish to "_INBOX\./.test(s.error.message)) break;
        if (s.error instanceof errors.PermissionViolationError || s.error instanceof errors.AuthorizationError) update({ refused: s.error.message });
        else update({ error: s.error.message });
        break;
      case 'close':
        update({ state: 'closed' });
        break;
      default:
        break;
    }
  }
};

/** States from the relay, checked (size, then shape) before anyone hears them. */
const stateCallback = (hear: (m: SyncMessage) => void, update: (patch: Partial<LinkInfo>) => void) => (err: Error | null, msg: Msg) => {
  if (err) {
    update({ refused: err.message });
    return;
  }
  const checked = checkBytes(msg.data, MAX_STATE_BYTES, checkSyncMessage);
  if (!checked.ok) {
    reportDropped('state from the relay', checked.rejection);
    return;
  }
  hear(checked.value);
};

/** The performer's side of the devices' clock pings: checked (size, reply subject, shape) before they are answered. */
const clockCallback =
  (getAnswer: () => ((r: ClockRequest) => ClockReply | null) | null, update: (patch: Partial<LinkInfo>) => void) =>
  (err: Error | null, msg: Msg) => {
    if (err) {
      update({ refused: err.message });
      return;
    }
    const answer = getAnswer();
    if (!answer) return;
    // Anonymous devices: the size before parsing, the reply subject, then the request.
    if (!msg.reply || !INBOX_PATTERN.test(msg.reply)) {
      reportDropped('clock request', { message: `reply subject ${msg.reply ? JSON.stringify(msg.reply.slice(0, 40)) : '(none)'} is not an _INBOX. subject`, path: 'reply' });
      return;
    }
    const checked = checkBytes(msg.data, MAX_CLOCK_BYTES, checkClockRequest);
    if (!checked.ok) {
      reportDropped('clock request', checked.rejection);
      return;
    }
    const reply = answer(checked.value);
    if (reply) msg.respond(encode(reply));
  };

export const createNatsCarrier = (options: RelayOptions): NatsCarrier => {
  const subject = subjects(options.room);
  const link = observable<LinkInfo>({ carrier: 'relay', relay: options.url, state: 'connecting', since: Date.now(), connects: 0, refused: null, error: null });
  const update = (patch: Partial<LinkInfo>) => {
    const prev = link.get();
    const next = { ...prev, ...patch };
    if (patch.state !== undefined && patch.state !== prev.state) next.since = Date.now();
    link.set(next);
  };
  const received = listeners<[SyncMessage]>();
  let answer: ((r: ClockRequest) => ClockReply | null) | null = null;
  let nc: NatsConnection | null = null;
  let closed = false;
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => {
    resolveReady = r;
  });

  // A new credential (a rotated secret typed in) is for a new connection: reconnect now (while
  // reconnecting, the next try takes it anyway), and what was refused before was the old one's.
  const stopCredential =
    options.credential?.subscribe(() => {
      update({ refused: null });
      if (nc && !nc.isClosed()) nc.reconnect().catch(() => undefined);
    }) ?? (() => undefined);

  const start = async () => {
    const conn = await wsconnect(connectOptions(options));
    if (closed) {
      await conn.close();
      return;
    }
    nc = conn;
    update({ state: 'connected', connects: link.get().connects + 1, error: null });
    resolveReady();
    // Devices follow the states; the performer hears them too, to know of another performer in
    // the room (noEcho: never its own).
    conn.subscribe(subject.state, { callback: stateCallback((m) => received.emit(m, (e) => console.error(e)), update) });
    if (answer) subscribeClock(conn);
    void followStatus(conn, update, () => link.get().connects);
    void conn.closed().then((err) => update({ state: 'closed', ...(err ? { error: err.message } : {}) }));
  };

  let clockSubscribed = false;
  const subscribeClock = (conn: NatsConnection) => {
    if (clockSubscribed) return;
    clockSubscribed = true;
    conn.subscribe(subject.clock, { callback: clockCallback(() => answer, update) });
  };

  start().catch((e: unknown) => update({ state: 'closed', error: e instanceof Error ? e.message : String(e) }));

  return {
    link,
    ready: () => ready,
    connection: () => nc,
    send: (m) => {
      // Only the performer's messages cross a relay (states, patches, params; an audience's hello
      // is its first clock ping). While the link is down nothing is queued: the state sent on
      // reconnect supersedes anything missed.
      if ((m.kind !== 'state' && m.kind !== 'patch' && m.kind !== 'params') || !nc || link.get().state !== 'connected') return;
      nc.publish(subject.state, encode(m));
    },
    onMessage: (fn) => {
      return received.add(fn);
    },
    askClock: async (request, timeoutMs) => {
      if (!nc || link.get().state !== 'connected') throw new Error('relay not connected');
      const reply = await nc.request(subject.clock, encode(request), { timeout: timeoutMs });
      const checked = checkBytes(reply.data, MAX_CLOCK_BYTES, checkClockReply);
      if (!checked.ok) throw new Error(`bad clock reply: ${checked.rejection.path}: ${checked.rejection.message}`);
      return checked.value;
    },
    answerClock: (fn) => {
      answer = fn;
      if (nc) subscribeClock(nc);
      return () => {
        answer = null;
      };
    },
    close: () => {
      closed = true;
      received.clear();
      stopCredential();
      void nc?.close();
    },
  };
};

/** A clock reply with this page's wall clock. */
export const clockReply = (now: number): ClockReply => ({ kind: 'clock', protocol: PROTOCOL, t: now });
