import type { DreamState } from '../model/index.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { frameReference } from './frames.ts';
import type { FrameClock } from './frames.ts';
import { freshIdentity } from './performer-id.ts';
import type { PerformerIdentity } from './performer-id.ts';
import { HEARTBEAT_MS, PARAMS_MIN_MS, PERFORMER_SILENCE_MS, PRESENCE_TIMEOUT_MS, PROTOCOL, RELAY_PRESENCE_TIMEOUT_MS } from './protocol.ts';
import type { AudioDevices, AudioPlace, Carrier, ClockReply, StateMessage } from './protocol.ts';
import { changedFields, changedParams, StateEncoder } from './state-message.ts';
import { listeners } from '../lib/listeners.ts';

export type AudioChoice = 'auto' | AudioPlace;

/** Another performer heard in the room. */
export interface OtherPerformer {
  id: string;
  /** ms since its last state. */
  lastHeardMs: number;
  /** It holds the room (devices follow it, not this one): took over later, or was there first. */
  holdsRoom: boolean;
  takeover: number;
}

/** A performer's place in the room: the later takeover wins, then the older arrival, then the id. */
export const outranks = (a: { takeover: number; since: number; id: string }, b: { takeover: number; since: number; id: string }): boolean =>
  a.takeover !== b.takeover ? a.takeover > b.takeover : a.since !== b.since ? a.since < b.since : a.id < b.id;

export interface PerformerSync {
  /** Audience windows or devices heard from recently. */
  audiences(): number;
  /** Where the symphony plays now: 'auto' puts it in the audience when one is open. */
  audioPlace(): AudioPlace;
  setAudioChoice(choice: AudioChoice): void;
  audioChoice(): AudioChoice;
  /** Which audience devices play when it plays in the audience: all, or the named ones. */
  audioDevices(): AudioDevices;
  setAudioDevices(devices: AudioDevices): void;
  onChange(fn: () => void): () => void;
  /** Messages sent so far (for stats). */
  sent(): number;
  /** Messages sent so far by kind: full states, patches (discrete changes), params (continuous values). */
  sentByKind(): { state: number; patch: number; params: number };
  /** The last seq sent (it goes on across reloads of the tab). */
  seq(): number;
  /** Another performer heard within PERFORMER_SILENCE_MS (the most recent), or null. */
  otherPerformer(): OtherPerformer | null;
  /** Whether another live performer holds the room: this one then stands by (see below). */
  standby(): boolean;
  /** Take the room over: devices follow this performer from its next state on. */
  takeOver(): void;
  /** This performer's identity (id, since, takeover). */
  identity(): PerformerIdentity;
  /** Devices (ids) in the table now, and new ones not counted because it was full. */
  deviceTable(): number;
  devicesNotCounted(): number;
  stop(): void;
}

export interface PerformerSyncOptions {
  /** This performer's id (kept across reloads of the tab: src/sync/performer-id.ts). */
  id?: string;
  /** Its identity (id, since, takeover); wins over `id`. */
  identity?: PerformerIdentity;
  /** Called when the identity changes (a takeover; a duplicated tab taking a new id), to keep it. */
  onIdentity?: (identity: PerformerIdentity) => void;
  /** The first seq (default 1); called with the last seq every heartbeat and on stop. */
  seqStart?: number;
  onSeq?: (seq: number) => void;
  now?: () => number;
  /** Wall clock for takeover stamps (ms; Date.now by default). */
  wallNow?: () => number;
  /** The page's frames: a state is stamped with the frame its dream clock refers to. */
  frames?: FrameClock;
  /** Most devices counted (over the relay, by their clock pings) at once. */
  maxDevices?: number;
  /** Least time between two params messages (ms; PARAMS_MIN_MS: 20 a second). */
  paramsMinMs?: number;
}

/**
 * Least time between two extra states sent to greet newly seen devices (ms): at most four full
 * states a second beyond the heartbeat, however many new ids ask the clock.
 */
export const GREET_MIN_MS = 250;
/** Devices counted at once; a new id beyond it is answered but not counted or greeted. */
export const MAX_DEVICES = 5000;

/** The devices heard from (id → when each is taken to be gone), at most `max` at once. */
const createDeviceTable = (now: () => number, max: number) => {
  const seen = new Map<string, number>();
  let notCounted = 0;
  /** Live devices, letting go of the ones that are gone (`first`: stop at the first live one, cheap with a full table). */
  const live = (first: boolean) => {
    const t = now();
    let n = 0;
    for (const [id, until] of seen) {
      if (t <= until) {
        n++;
        if (first) return n;
      } else seen.delete(id);
    }
    return n;
  };
  return {
    any: () => live(true) > 0,
    count: () => live(false),
    size: () => seen.size,
    notCounted: () => notCounted,
    leave: (id: string) => seen.delete(id),
    /** Keep `id` for `timeout` ms more: whether it is new (or back), null when the table is full. */
    note: (id: string, timeout: number): boolean | null => {
      const t = now();
      const until = seen.get(id);
      if (until === undefined && seen.size >= max) {
        live(false);
        if (seen.size >= max) {
          notCounted++;
          return null;
        }
      }
      seen.set(id, t + timeout);
      return until === undefined || until < t;
    },
  };
};

/** Other performers heard (id → what they said last and when), forgotten after PERFORMER_SILENCE_MS. */
const createOtherPerformers = (now: () => number) => {
  const others = new Map<string, { takeover: number; since: number; at: number }>();
  const live = () => {
    const t = now();
    const out: { id: string; takeover: number; since: number; at: number }[] = [];
    for (const [id, o] of others) {
      if (t - o.at < PERFORMER_SILENCE_MS) out.push({ id, ...o });
      else others.delete(id);
    }
    return out;
  };
  return {
    live,
    /** Note another performer's state: whether it is one not heard before. */
    heard: (m: StateMessage): boolean => {
      const isNew = !others.has(m.from);
      others.set(m.from, { takeover: m.takeover ?? 0, since: m.since ?? Number.MAX_SAFE_INTEGER, at: now() });
      return isNew;
    },
    topTakeover: () => Math.max(0, ...[...others.values()].map((o) => o.takeover)),
    /** The most recently heard, and whether any of them outranks `me`. */
    latest: (me: PerformerIdentity): OtherPerformer | null => {
      const all = live();
      if (!all.length) return null;
      const o = all.reduce((a, b) => (b.at > a.at ? b : a));
      return { id: o.id, lastHeardMs: now() - o.at, holdsRoom: all.some((x) => outranks(x, me)), takeover: o.takeover };
    },
  };
};

/** Continuous values moved since the last params message (path → latest), handed on at most every `minMs`. */
const createParamsCoalescer = (now: () => number, minMs: number, standby: () => boolean, flush: (values: Record<string, number>, at: number) => void) => {
  const pending = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  const flushNow = () => {
    timer = null;
    if (pending.size === 0) return;
    if (standby()) {
      pending.clear();
      return;
    }
    last = now();
    const values = Object.fromEntries(pending);
    pending.clear();
    flush(values, last);
  };
  return {
    moved: (values: Map<string, number>) => {
      if (values.size === 0) return;
      for (const [p, v] of values) pending.set(p, v);
      timer ??= setTimeout(flushNow, Math.max(0, last + minMs - now()));
    },
    /** A whole state holds every value moved so far: the ones waiting need not be sent. */
    clear: () => pending.clear(),
    stop: () => {
      if (timer) clearTimeout(timer);
    },
  };
};

/** What a performer says: every message numbered (seq) and counted by kind. */
interface SenderOptions {
  store: DreamStore;
  carrier: Carrier;
  firstSeq: number;
  /** This performer's id now (a duplicated tab takes a new one). */
  id: () => string;
  /** The state's header as it is now (who, where the symphony plays, standing by). */
  header: () => Omit<StateMessage, 'kind' | 'protocol' | 'seq' | 'clock' | 'sentAt' | 'clockAt' | 'dream' | 'actsKey' | 'sceneKey'>;
  frames: FrameClock | undefined;
  paramsMinMs: number;
  now: () => number;
  standby: () => boolean;
}

const createPerformerSender = ({ store, carrier, firstSeq, id, header, frames, paramsMinMs, now, standby }: SenderOptions) => {
  let seq = firstSeq - 1;
  let sentCount = 0;
  const byKind = { state: 0, patch: 0, params: 0 };
  const encoder = new StateEncoder();
  const params = createParamsCoalescer(now, paramsMinMs, standby, (values, at) => {
    sentCount++;
    byKind.params++;
    carrier.send({ kind: 'params', protocol: PROTOCOL, from: id(), seq: ++seq, sentAt: at, values });
  });
  return {
    params,
    seq: () => seq,
    sent: () => sentCount,
    sentByKind: () => ({ ...byKind }),
    /**
     * Sends the state; `withActs` also when the acts have not changed (heartbeats, greetings, a
     * link that came back): whoever missed them gets them within a second.
     */
    state: (withActs = false) => {
      const { dream } = store.getState();
      const t = now();
      sentCount++;
      byKind.state++;
      params.clear();
      carrier.send(encoder.message({ ...header(), seq: ++seq, clock: dream.clock, sentAt: t, clockAt: frames ? frames.reference(t) : frameReference(t, null) }, dream, withActs));
    },
    /** A discrete change: the fields it touched, at once (a performer standing by sends only its heartbeats). */
    patch: (before: DreamState, after: DreamState, view: DreamState) => {
      if (standby()) return;
      const fields = changedFields(before, after);
      // Nothing changed (a set to the value it had): nothing to say; an empty patch is refused anyway.
      if (fields.length === 0) return;
      sentCount++;
      byKind.patch++;
      carrier.send(encoder.patch({ from: id(), seq: ++seq, sentAt: now() }, view, fields));
    },
  };
};

interface RoomHandlers {
  now: () => number;
  standby: () => boolean;
  send: (withActs?: boolean) => void;
  greet: () => void;
  arrived: (id: string, timeout: number) => boolean;
  /** A performer's state (another's, or this one's own id from a duplicated tab). */
  heardState: (m: StateMessage) => void;
  left: (id: string) => void;
}

/** What the performer hears: other performers' states, devices arriving and leaving, clock pings, its own link. */
const listenToRoom = (carrier: Carrier, h: RoomHandlers): (() => void) => {
  const unsubscribeCarrier = carrier.onMessage((m) => {
    if (m.kind === 'state') h.heardState(m);
    else if (m.kind === 'presence' && m.leaving) h.left(m.id);
    else if (m.kind === 'hello' || m.kind === 'presence') {
      h.arrived(m.id, PRESENCE_TIMEOUT_MS);
      if (m.kind === 'hello' && !h.standby()) h.send(true);
    }
  });
  // A performer standing by does not answer: a device's clock is the one of the performer it follows.
  const stopAnswering = carrier.answerClock?.((request): ClockReply | null => {
    if (h.standby()) return null;
    const reply: ClockReply = { kind: 'clock', protocol: PROTOCOL, t: h.now() };
    if (h.arrived(request.id, RELAY_PRESENCE_TIMEOUT_MS)) h.greet();
    return reply;
  });
  let linkState = carrier.link.get().state;
  const unsubscribeLink = carrier.link.subscribe(() => {
    const s = carrier.link.get().state;
    if (s === 'connected' && linkState !== 'connected') h.send(true);
    linkState = s;
  });
  return () => {
    unsubscribeCarrier();
    unsubscribeLink();
    stopAnswering?.();
  };
};

/** Where the symphony plays: the performer's choice ('auto': in the audience when one is open) and which devices. */
const createAudioPlace = (anyAudience: () => boolean, changed: () => void) => {
  let choice: AudioChoice = 'auto';
  let devices: AudioDevices = 'all';
  const place = (): AudioPlace => (choice === 'auto' ? (anyAudience() ? 'audience' : 'performer') : choice);
  let lastPlace = place();
  return {
    place,
    choice: () => choice,
    devices: () => devices,
    setChoice: (c: AudioChoice) => {
      choice = c;
      lastPlace = place();
      changed();
    },
    setDevices: (d: AudioDevices) => {
      devices = d === 'all' ? 'all' : [...new Set(d.map((x) => x.trim()).filter((x) => x !== ''))];
      changed();
    },
    /** Whether the place moved since the last look (an audience came or went). */
    moved: () => {
      const p = place();
      if (p === lastPlace) return false;
      lastPlace = p;
      return true;
    },
  };
};

/** Send soon for a device that just arrived; many arriving at once share one state (GREET_MIN_MS apart). */
const createGreeter = (now: () => number, standby: () => boolean, send: () => void) => {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    greet: () => {
      if (timer || standby()) return;
      timer = setTimeout(
        () => {
          timer = null;
          last = now();
          send();
        },
        Math.max(0, last + GREET_MIN_MS - now()),
      );
    },
    stop: () => {
      if (timer) clearTimeout(timer);
    },
  };
};

/** This performer among the others in the room: its identity, the others heard, standing by, taking over. */
const createPerformerInRoom = (now: () => number, options: PerformerSyncOptions, firstSeq: number, notify: () => void, sendAndTell: () => void) => {
  const wallNow = options.wallNow ?? (() => Date.now());
  let me: PerformerIdentity = options.identity ?? { ...freshIdentity(wallNow()), ...(options.id !== undefined ? { id: options.id } : {}) };
  const others = createOtherPerformers(now);
  const standby = () => others.live().some((o) => outranks(o, me));
  let wasStandby = false;
  /** Standing by or back: say so (the panel) and send at once (devices learn it). */
  const checkStandby = () => {
    const s = standby();
    if (s === wasStandby) return;
    wasStandby = s;
    sendAndTell();
  };
  return {
    me: () => me,
    standby,
    checkStandby,
    otherPerformer: () => others.latest(me),
    heard: (m: StateMessage) => {
      if (m.from === me.id) {
        // My own id from another page: a duplicated tab (its sessionStorage was copied). The page
        // loaded later (its seq started higher) takes a new identity; the other keeps this one.
        if (m.seq < firstSeq) {
          me = freshIdentity(wallNow());
          options.onIdentity?.(me);
          notify();
        }
        return;
      }
      if (others.heard(m)) notify();
      checkStandby();
    },
    takeOver: () => {
      // Later than any takeover heard, even from a device whose wall clock runs ahead.
      me = { ...me, takeover: Math.max(wallNow(), others.topTakeover() + 1) };
      options.onIdentity?.(me);
      wasStandby = standby();
      sendAndTell();
    },
  };
};

/**
 * The performer sends what changed, and the whole state every second; audiences tick their own
 * clock in between, so the same dream runs everywhere without streaming 60 states a second:
 * - a discrete change (an action, a cue, a preset: `revision`) at once, as a patch of the
 *   top-level fields it touched (src/sync/state-message.ts), never the action;
 * - continuous values (modulate: `modulation`, once a frame) at most every PARAMS_MIN_MS, the
 *   latest value of each path, as a params message (devices glide between them);
 * - the whole state with the acts every HEARTBEAT_MS, on greetings and reconnections, and when
 *   where the symphony plays changes (then without the acts unless they are new).
 * All of it is the audience's projection of the dream (src/sync/projection.ts). Over a relay it
 * also answers the devices' clock pings, counts devices by them, greets a new or returning device
 * with the state at once, and sends the state as soon as its own link comes back.
 *
 * One performer per room: it listens to the room's states too. Another performer that outranks
 * it (a later explicit takeover, or the same and it was there first) holds the room; this one
 * then stands by: it shows the warning (otherPerformer), keeps sending its states marked
 * `standby` (devices take none of them, so it does not fight; it is heard as live), stops
 * answering clock pings and greeting devices, and comes back by itself when the other has been
 * silent for PERFORMER_SILENCE_MS, or at once with takeOver().
 */
export const startPerformerSync = (store: DreamStore, carrier: Carrier, options: PerformerSyncOptions = {}): PerformerSync => {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const firstSeq = options.seqStart ?? 1;
  const table = createDeviceTable(now, options.maxDevices ?? MAX_DEVICES);
  const changed = listeners<[]>();
  const notify = () => changed.emit((e) => console.error(e));
  const sendAndTell = (withActs = false) => {
    send(withActs);
    notify();
  };
  const room = createPerformerInRoom(now, options, firstSeq, notify, () => sendAndTell(true));
  const standby = room.standby;
  const audio = createAudioPlace(table.any, sendAndTell);
  const place = audio.place;
  const header = () => {
    const me = room.me();
    return { from: me.id, audio: place(), devices: audio.devices(), since: me.since, ...(me.takeover > 0 ? { takeover: me.takeover } : {}), ...(standby() ? { standby: true } : {}) };
  };
  const out = createPerformerSender({ store, carrier, firstSeq, id: () => room.me().id, header, frames: options.frames, paramsMinMs: options.paramsMinMs ?? PARAMS_MIN_MS, now, standby });
  const send = out.state;
  /** Run `change` on the device table; send and tell the panel when it moved where the symphony plays. */
  const watchingPlace = <T,>(change: () => T): T => {
    const before = place();
    const result = change();
    if (place() !== before) sendAndTell();
    return result;
  };
  const greeter = createGreeter(now, standby, () => send(true));
  const unsubscribeStore = store.subscribe((s, prev) => {
    // (A change both discrete and continuous, from a replayed log's step, is one patch: its fields hold both.)
    if (s.revision !== prev.revision) out.patch(prev.base, s.base, s.dream);
    else if (s.modulation !== prev.modulation) out.params.moved(changedParams(prev.base, s.base, s.dream));
  });
  const stopListening = listenToRoom(carrier, {
    now,
    standby,
    send,
    greet: greeter.greet,
    heardState: room.heard,
    arrived: (id, timeout) => watchingPlace(() => table.note(id, timeout)) ?? false,
    left: (id) => watchingPlace(() => table.leave(id)),
  });
  const timer = setInterval(() => {
    room.checkStandby();
    send(true);
    options.onSeq?.(out.seq());
    if (audio.moved()) notify();
  }, HEARTBEAT_MS);
  send(true);
  const stop = () => {
    options.onSeq?.(out.seq());
    clearInterval(timer);
    greeter.stop();
    out.params.stop();
    unsubscribeStore();
    stopListening();
    changed.clear();
  };
  return {
    audiences: table.count,
    audioPlace: place,
    audioChoice: audio.choice,
    setAudioChoice: audio.setChoice,
    audioDevices: audio.devices,
    setAudioDevices: audio.setDevices,
    onChange: changed.add,
    sent: out.sent,
    sentByKind: out.sentByKind,
    seq: out.seq,
    otherPerformer: room.otherPerformer,
    standby,
    takeOver: room.takeOver,
    identity: room.me,
    deviceTable: table.size,
    devicesNotCounted: table.notCounted,
    stop,
  };
};
