import { advance, replaceDream } from '../store/dream-store.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { frameReference, STALE_FRAME_MS } from './frames.ts';
import type { FrameClock } from './frames.ts';
import { startGlider } from './glide.ts';
import { HEARTBEAT_MS, MAX_CATCH_UP_S, PERFORMER_SILENCE_MS, PROTOCOL } from './protocol.ts';
import type { AudioDevices, AudioPlace, Carrier, StateMessage } from './protocol.ts';
import { StateDecoder } from './state-message.ts';
import type { DreamState } from '../model/index.ts';
import { listeners } from '../lib/listeners.ts';

/** A state taken: the message, and the whole dream it carries (acts filled in). */
interface Taken {
  m: StateMessage;
  dream: DreamState;
}

/** A patch taken: its seq and the fields it carries. */
interface Patch {
  seq: number;
  fields: Partial<DreamState>;
}

export interface AudienceSync {
  /** The last state's sequence number (0 before the first). */
  seq(): number;
  /** ms since the last message from the performer (Infinity before the first). */
  silence(): number;
  /** Where the performer wants the symphony to play. */
  audioPlace(): AudioPlace;
  /** Which audience devices the performer wants it to play on. */
  audioDevices(): AudioDevices;
  /** Whether this device plays the symphony, by the performer's choice. */
  audioHere(): boolean;
  /** The dream time (s) added to the last state to bring it to the performer's dream time now. */
  lastCatchUp(): number;
  /** States and patches taken so far. */
  received(): number;
  /** Params messages taken so far, and paths gliding now. */
  paramsReceived(): number;
  gliding(): number;
  /** The performer this device follows (its `from`), or null before the first state. */
  following(): string | null;
  /** States not taken because they came from another performer (or one standing by). */
  ignored(): number;
  /** Another performer heard within PERFORMER_SILENCE_MS whose states are not taken, or null. */
  otherPerformer(): { id: string; lastHeardMs: number } | null;
  onChange(fn: () => void): () => void;
  stop(): void;
}

export interface AudienceSyncOptions {
  now?: () => number;
  frames?: FrameClock;
  /**
   * The performer's clock minus this device's (ms), or null while unknown. On one machine it is 0;
   * between devices the clock pings estimate it.
   */
  offset?: () => number | null;
  /** This device's name (`?device=`), for the performer's choice of devices that play. */
  device?: string;
  /**
   * Called right after the page's dream clock advanced in a frame (the clock's onAdvance). Given,
   * a state is applied there, at the next frame, set to the performer's dream time at that very
   * frame, before anything draws it; without frames (a hidden tab) it is applied 250 ms after it
   * came. Not given, a state is applied when it comes.
   */
  onFrame?: (fn: () => void) => () => void;
  /**
   * The page's frames for gliding continuous values (the clock's onAdvance; given also where states
   * are applied when they come). Without it, a 16 ms timer while anything glides.
   */
  glideFrame?: (fn: () => void) => () => void;
}

/** Whether a device plays the symphony: the performer chose the audience, and all or this device. */
export const playsHere = (audio: AudioPlace, devices: AudioDevices, device: string | undefined): boolean =>
  audio === 'audience' && (devices === 'all' || (device !== undefined && devices.includes(device)));

/** Dream time a state needs added so it shows the performer's dream time at this page's frame. */
export const catchUpSeconds = (m: Pick<StateMessage, 'clockAt'>, here: number, offsetMs: number | null): number => {
  if (offsetMs === null) return 0;
  const s = (here + offsetMs - m.clockAt) / 1000;
  return Number.isFinite(s) ? Math.min(MAX_CATCH_UP_S, Math.max(0, s)) : 0;
};

/**
 * A performer whose every state has been older than the last one taken (`seq <= last`) for this
 * long is taken to have started its count again (or the last seq was a bad one): its next state
 * is taken and the count follows it.
 */
export const SEQ_RESET_MS = 3000;


/** Where the followed performer says the symphony plays, and whether on this device. */
const createPlaceHeard = (device: string | undefined, changed: () => void) => {
  let audio: AudioPlace = 'performer';
  let devices: AudioDevices = 'all';
  let here = false;
  return {
    audio: () => audio,
    devices: () => devices,
    here: () => here,
    heard: (m: StateMessage) => {
      if (m.audio === audio && JSON.stringify(m.devices) === JSON.stringify(devices)) return;
      audio = m.audio;
      devices = m.devices;
      here = playsHere(audio, devices, device);
      changed();
    },
  };
};

/** Which performer the device follows, and which of its messages are new (see startAudienceSync). */
const createFollowing = (now: () => number) => {
  let lastSeq = 0;
  /** The performer followed ('' before the first state, or after it stood by). */
  let lastFrom = '';
  let lastTakeover = 0;
  let lastHeard = Number.NEGATIVE_INFINITY;
  let ignored = 0;
  let other: { id: string; at: number } | null = null;
  return {
    /** A patch or params: only from the followed performer, and only newer than anything taken from it. */
    takesNext: (m: { from: string; seq: number }): boolean => {
      if (lastFrom === '' || m.from !== lastFrom || m.seq <= lastSeq) return false;
      lastSeq = m.seq;
      lastHeard = now();
      return true;
    },
    /** A state: whether it is taken (its performer is then the one followed). */
    takesState: (m: StateMessage): boolean => {
      const t = now();
      if (m.from === lastFrom) {
        if (m.standby) {
          // The followed performer stepped aside (another took over): follow whoever holds the room.
          lastFrom = '';
          ignored++;
          return false;
        }
        // Older than the last one taken: ignored, unless the performer has said nothing newer for
        // SEQ_RESET_MS (it counts again from somewhere lower, or the last seq was a bad one).
        if (m.seq <= lastSeq && t - lastHeard < SEQ_RESET_MS) return false;
      } else {
        const free = lastFrom === '' || !(t - lastHeard < PERFORMER_SILENCE_MS);
        if (m.standby || !(free || (m.takeover ?? 0) > lastTakeover)) {
          ignored++;
          other = { id: m.from, at: t };
          return false;
        }
        if (other?.id === m.from) other = null;
      }
      lastFrom = m.from;
      lastTakeover = m.takeover ?? 0;
      lastSeq = m.seq;
      lastHeard = t;
      return true;
    },
    seq: () => lastSeq,
    silence: () => now() - lastHeard,
    following: () => (lastFrom === '' ? null : lastFrom),
    ignored: () => ignored,
    otherPerformer: () => (other && now() - other.at < PERFORMER_SILENCE_MS ? { id: other.id, lastHeardMs: now() - other.at } : null),
  };
};

/**
 * With frames: the last state taken, and the patches after it, wait for the next frame
 * (STALE_FRAME_MS at most); a state holds the patches sent before it.
 */
const createFrameQueue = (apply: (taken: Taken) => void, applyPatch: (patch: Patch) => void) => {
  let pending: Taken | null = null;
  let patches: Patch[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const m = pending;
    const waiting = patches;
    pending = null;
    patches = [];
    if (m) apply(m);
    for (const p of waiting) applyPatch(p);
  };
  return {
    flush,
    state: (taken: Taken) => {
      pending = taken;
      // The patches waiting were sent before this state: it holds them.
      patches = [];
      timer ??= setTimeout(flush, STALE_FRAME_MS);
    },
    patch: (patch: Patch) => {
      patches.push(patch);
      timer ??= setTimeout(flush, STALE_FRAME_MS);
    },
    stop: () => {
      if (timer) clearTimeout(timer);
    },
  };
};

/**
 * An audience follows the performer: it asks for the state when it joins, takes every newer
 * state it hears, and keeps dreaming on its last state when the performer goes away. It never
 * sends control; it only says it is there. Each state is applied at the performer's dream time:
 * the state's clock plus the time since the performer's frame it was taken at, on the performer's
 * clock (this device's clock plus the estimated offset), so picture and music are in step.
 *
 * One performer per room: a device locks on to the first performer it hears (by `from`) and
 * takes states only from it. Another performer's states are ignored until the followed one has
 * been silent for PERFORMER_SILENCE_MS, or the other took the room over explicitly (its
 * `takeover` is later than the followed one's). A performer standing by (`standby`) is never
 * taken; if the followed one stands by, the lock is let go and the performer that holds the room
 * is taken at once. A reloaded performer tab keeps its `from`, so it is followed at once.
 *
 * Between full states it takes the followed performer's patches (merged into its dream) and
 * params (glided to, frame by frame: src/sync/glide.ts), in the order of their seq: anything not
 * newer than the last message taken is dropped, and a patch that comes while a state waits for
 * its frame is applied after it. A patch whose acts are unknown here is skipped; the next
 * heartbeat brings everything.
 */
export const startAudienceSync = (store: DreamStore, carrier: Carrier, id: string, options: AudienceSyncOptions = {}): AudienceSync => {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const offset = options.offset ?? (() => 0);
  const frames = options.frames;
  const follow = createFollowing(now);
  let catchUp = 0;
  let received = 0;
  const changed = listeners<[]>();
  const place = createPlaceHeard(options.device, () => changed.emit((e) => console.error(e)));
  let paramsReceived = 0;
  const glider = startGlider(store, { now, ...(options.glideFrame ? { onFrame: options.glideFrame } : {}) });
  const apply = ({ m, dream }: Taken) => {
    const t = now();
    catchUp = catchUpSeconds(m, frames ? frames.reference(t) : frameReference(t, null), offset());
    replaceDream(store, dream);
    // One advance: dream time moves in fixed steps however far it goes (src/model/timeline.ts).
    advance(store, catchUp);
    glider.replaced(m.seq);
    place.heard(m);
  };
  /** A patch: its fields merged into the dream where it stands (the base; the time past it kept). */
  const applyPatch = ({ seq, fields }: Patch) => {
    const { base, ahead } = store.getState();
    replaceDream(store, { base: { ...base, ...fields }, ahead });
    glider.replaced(seq);
  };
  const decoder = new StateDecoder();
  const queue = createFrameQueue(apply, applyPatch);
  const unsubscribeFrame = options.onFrame?.(queue.flush);
  const takeState = options.onFrame ? queue.state : apply;
  const takePatch = options.onFrame ? queue.patch : applyPatch;
  const unsubscribe = carrier.onMessage((m) => {
    if (m.kind === 'patch' || m.kind === 'params') {
      if (!follow.takesNext(m)) return;
      if (m.kind === 'params') {
        paramsReceived++;
        glider.target(m.values, m.seq);
        return;
      }
      const fields = decoder.patch(m);
      if (!fields) return;
      received++;
      takePatch({ seq: m.seq, fields });
      return;
    }
    if (m.kind !== 'state' || !follow.takesState(m)) return;
    // Without its acts known here (a device that just joined), wait for the next heartbeat.
    const dream = decoder.dream(m);
    if (!dream) return;
    received++;
    takeState({ m, dream });
  });
  carrier.send({ kind: 'hello', protocol: PROTOCOL, id });
  const timer = setInterval(() => carrier.send({ kind: 'presence', protocol: PROTOCOL, id }), HEARTBEAT_MS);
  const leave = () => carrier.send({ kind: 'presence', protocol: PROTOCOL, id, leaving: true });
  if (typeof addEventListener === 'function') addEventListener('pagehide', leave);
  return {
    seq: follow.seq,
    silence: follow.silence,
    audioPlace: place.audio,
    audioDevices: place.devices,
    audioHere: place.here,
    lastCatchUp: () => catchUp,
    received: () => received,
    paramsReceived: () => paramsReceived,
    gliding: () => glider.active(),
    following: follow.following,
    ignored: follow.ignored,
    otherPerformer: follow.otherPerformer,
    onChange: changed.add,
    stop: () => {
      clearInterval(timer);
      if (typeof removeEventListener === 'function') removeEventListener('pagehide', leave);
      leave();
      unsubscribe();
      unsubscribeFrame?.();
      glider.stop();
      queue.stop();
      changed.clear();
    },
  };
};
