import type { DreamState } from '../model/index.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { frameReference } from './frames.ts';
import type { FrameClock } from './frames.ts';
import { freshIdentity } from './performer-id.ts';
import type { PerformerIdentity } from './performer-id.ts';
import { HEARTBEAT_MS, PARAMS_MIN_MS, PERFORMER_SILENCE_MS, PRESENCE_TIMEOUT_MS, PROTOCOL, RELAY_PRESENCE_TIMEOUT_MS } from './protocol.ts';
import type { AudioDevices, AudioPlace, Carrier, ClockReply, StateMessage } from './protocol.ts';
import { changedFields, changedParams, StateEncoder } from './state-message.ts';
import { listeners } from '../runtime/listeners.ts';

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
  const frames = options.frames;
  const wallNow = options.wallNow ?? (() => Date.now());
  let me: PerformerIdentity = options.identity ?? { ...freshIdentity(wallNow()), ...(options.id !== undefined ? { id: options.id } : {}) };
  const firstSeq = options.seqStart ?? 1;
  let seq = firstSeq - 1;
  let sentCount = 0;
  const byKind = { state: 0, patch: 0, params: 0 };
  const paramsMinMs = options.paramsMinMs ?? PARAMS_MIN_MS;
  /** Continuous values moved since the last params message: path → latest value. */
  const pendingParams = new Map<string, number>();
  const maxDevices = options.maxDevices ?? MAX_DEVICES;
  let notCounted = 0;
  /** Other performers heard: id → what they said last and when (this page's clock). */
  const others = new Map<string, { takeover: number; since: number; at: number }>();
  const liveOthers = () => {
    const t = now();
    const out: { id: string; takeover: number; since: number; at: number }[] = [];
    for (const [id, o] of others) {
      if (t - o.at < PERFORMER_SILENCE_MS) out.push({ id, ...o });
      else others.delete(id);
    }
    return out;
  };
  const standby = () => liveOthers().some((o) => outranks(o, me));
  let choice: AudioChoice = 'auto';
  let devices: AudioDevices = 'all';
  /** id → when it is taken to be gone. */
  const seen = new Map<string, number>();
  const changed = listeners<[]>();
  const notify = () => {
    changed.emit((e) => console.error(e));
  };
  const place = (): AudioPlace => (choice === 'auto' ? (anyAudience() ? 'audience' : 'performer') : choice);
  /** Any live audience (stops at the first: cheap with a full table). */
  const anyAudience = () => {
    const t = now();
    for (const [id, until] of seen) {
      if (t <= until) return true;
      seen.delete(id);
    }
    return false;
  };
  const countAudiences = () => {
    const t = now();
    let n = 0;
    for (const [id, until] of seen) {
      if (t <= until) n++;
      else seen.delete(id);
    }
    return n;
  };
  const encoder = new StateEncoder();
  /**
   * Sends the state; `withActs` also when the acts have not changed (heartbeats, greetings, a
   * link that came back): whoever missed them gets them within a second.
   */
  const send = (withActs = false) => {
    const { dream } = store.getState();
    const t = now();
    const header = {
      from: me.id,
      seq: ++seq,
      clock: dream.clock,
      sentAt: t,
      clockAt: frames ? frames.reference(t) : frameReference(t, null),
      audio: place(),
      devices,
      since: me.since,
      ...(me.takeover > 0 ? { takeover: me.takeover } : {}),
      ...(standby() ? { standby: true } : {}),
    };
    sentCount++;
    byKind.state++;
    // The whole state holds every value moved so far: the params waiting are in it.
    pendingParams.clear();
    carrier.send(encoder.message(header, dream, withActs));
  };
  /** A discrete change: the fields it touched, at once (a performer standing by sends only its heartbeats). */
  const sendPatch = (before: DreamState, after: DreamState, view: DreamState) => {
    if (standby()) return;
    const fields = changedFields(before, after);
    // Nothing changed (a set to the value it had): nothing to say; an empty patch is refused anyway.
    if (fields.length === 0) return;
    const m = encoder.patch({ from: me.id, seq: ++seq, sentAt: now() }, view, fields);
    sentCount++;
    byKind.patch++;
    carrier.send(m);
  };
  let paramsTimer: ReturnType<typeof setTimeout> | null = null;
  let lastParams = -Infinity;
  const flushParams = () => {
    paramsTimer = null;
    if (pendingParams.size === 0) return;
    if (standby()) {
      pendingParams.clear();
      return;
    }
    lastParams = now();
    const values = Object.fromEntries(pendingParams);
    pendingParams.clear();
    sentCount++;
    byKind.params++;
    carrier.send({ kind: 'params', protocol: PROTOCOL, from: me.id, seq: ++seq, sentAt: lastParams, values });
  };
  const moved = (before: DreamState, after: DreamState, view: DreamState) => {
    const values = changedParams(before, after, view);
    if (values.size === 0) return;
    for (const [p, v] of values) pendingParams.set(p, v);
    paramsTimer ??= setTimeout(flushParams, Math.max(0, lastParams + paramsMinMs - now()));
  };
  let lastGreet = -Infinity;
  let greetTimer: ReturnType<typeof setTimeout> | null = null;
  /** Send soon for a device that just arrived; many arriving at once share one state. */
  const greet = () => {
    if (greetTimer || standby()) return;
    const wait = Math.max(0, lastGreet + GREET_MIN_MS - now());
    greetTimer = setTimeout(() => {
      greetTimer = null;
      lastGreet = now();
      send(true);
    }, wait);
  };
  const arrived = (id: string, timeout: number): boolean => {
    const t = now();
    const until = seen.get(id);
    if (until === undefined && seen.size >= maxDevices) {
      countAudiences(); // let go of the ones that are gone
      if (seen.size >= maxDevices) {
        notCounted++;
        return false;
      }
    }
    const before = place();
    const isNew = until === undefined || until < t;
    seen.set(id, t + timeout);
    if (place() !== before) {
      send();
      notify();
    }
    return isNew;
  };
  const unsubscribeStore = store.subscribe((s, prev) => {
    // (A change both discrete and continuous, from a replayed log's step, is one patch: its fields hold both.)
    if (s.revision !== prev.revision) sendPatch(prev.base, s.base, s.dream);
    else if (s.modulation !== prev.modulation) moved(prev.base, s.base, s.dream);
  });
  let wasStandby = false;
  /** Standing by or back: say so (the panel) and send at once (devices learn it). */
  const checkStandby = () => {
    const s = standby();
    if (s === wasStandby) return;
    wasStandby = s;
    send(true);
    notify();
  };
  const heardPerformer = (m: StateMessage) => {
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
    const isNew = !others.has(m.from);
    others.set(m.from, { takeover: m.takeover ?? 0, since: m.since ?? Number.MAX_SAFE_INTEGER, at: now() });
    if (isNew) notify();
    checkStandby();
  };
  const unsubscribeCarrier = carrier.onMessage((m) => {
    if (m.kind === 'state') {
      heardPerformer(m);
      return;
    }
    if (m.kind === 'hello' || m.kind === 'presence') {
      if (m.kind === 'presence' && m.leaving) {
        const before = place();
        seen.delete(m.id);
        if (place() !== before) {
          send();
          notify();
        }
        return;
      }
      arrived(m.id, PRESENCE_TIMEOUT_MS);
      if (m.kind === 'hello' && !standby()) send(true);
    }
  });
  // A performer standing by does not answer: a device's clock is the one of the performer it follows.
  const stopAnswering = carrier.answerClock?.((request): ClockReply | null => {
    if (standby()) return null;
    const reply: ClockReply = { kind: 'clock', protocol: PROTOCOL, t: now() };
    if (arrived(request.id, RELAY_PRESENCE_TIMEOUT_MS)) greet();
    return reply;
  });
  let linkState = carrier.link.get().state;
  const unsubscribeLink = carrier.link.subscribe(() => {
    const s = carrier.link.get().state;
    if (s === 'connected' && linkState !== 'connected') send(true);
    linkState = s;
  });
  let lastPlace = place();
  const timer = setInterval(() => {
    checkStandby();
    send(true);
    options.onSeq?.(seq);
    const p = place();
    if (p !== lastPlace) {
      lastPlace = p;
      notify();
    }
  }, HEARTBEAT_MS);
  send(true);
  return {
    audiences: countAudiences,
    audioPlace: place,
    audioChoice: () => choice,
    setAudioChoice: (c) => {
      choice = c;
      lastPlace = place();
      send();
      notify();
    },
    audioDevices: () => devices,
    setAudioDevices: (d) => {
      devices = d === 'all' ? 'all' : [...new Set(d.map((x) => x.trim()).filter((x) => x !== ''))];
      send();
      notify();
    },
    onChange: (fn) => {
      return changed.add(fn);
    },
    sent: () => sentCount,
    sentByKind: () => ({ ...byKind }),
    seq: () => seq,
    otherPerformer: () => {
      const live = liveOthers();
      if (!live.length) return null;
      const o = live.reduce((a, b) => (b.at > a.at ? b : a));
      return { id: o.id, lastHeardMs: now() - o.at, holdsRoom: live.some((x) => outranks(x, me)), takeover: o.takeover };
    },
    standby,
    takeOver: () => {
      // Later than any takeover heard, even from a device whose wall clock runs ahead.
      const top = Math.max(0, ...[...others.values()].map((o) => o.takeover));
      me = { ...me, takeover: Math.max(wallNow(), top + 1) };
      options.onIdentity?.(me);
      wasStandby = standby();
      send(true);
      notify();
    },
    identity: () => me,
    deviceTable: () => seen.size,
    devicesNotCounted: () => notCounted,
    stop: () => {
      options.onSeq?.(seq);
      clearInterval(timer);
      if (greetTimer) clearTimeout(greetTimer);
      if (paramsTimer) clearTimeout(paramsTimer);
      unsubscribeStore();
      unsubscribeCarrier();
      unsubscribeLink();
      stopAnswering?.();
      changed.clear();
    },
  };
};
