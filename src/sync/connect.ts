import { replaceDream } from '../store/dream-store.ts';
import type { CredentialSource } from '../app/credential.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { startAudienceSync } from './audience-sync.ts';
import type { AudienceSync } from './audience-sync.ts';
import { createBroadcastCarrier } from './broadcast-carrier.ts';
import { startClockEstimator } from './clock-offset.ts';
import type { ClockEstimator } from './clock-offset.ts';
import { trackFrames } from './frames.ts';
import type { FrameClock } from './frames.ts';
import { createLazyRelayCarrier } from './lazy-relay-carrier.ts';
import type { RelayOptions } from './nats-carrier.ts';
import { startPerformerSync } from './performer-sync.ts';
import type { PerformerSync } from './performer-sync.ts';
import { loadIdentity, randomId, saveIdentity, saveSeq, seqStart } from './performer-id.ts';
import { audienceProjection } from './projection.ts';
import { PROTOCOL } from './protocol.ts';
import type { AudioDevices, AudioPlace, Carrier, LinkInfo, LinkState, Observable } from './protocol.ts';

/** How to reach the others: a relay between devices, or (without one) this browser's other windows. */
export interface SyncOptions {
  /** ws:// or wss:// address of the NATS relay (`?relay=`). */
  relay?: string;
  /** The performer's credential (`?user=`, default "performer", and `?pass=`); an audience never sends one. */
  user?: string;
  pass?: string;
  /** Or the performer's nkey seed (`?nkey=`). */
  nkey?: string;
  /** Or the performer's credential as it is at each (re)connect (src/app/credential.ts: it can change mid-show). */
  credential?: CredentialSource;
  /** This device's name (`?device=`), for the performer's choice of devices that play the symphony. */
  device?: string;
  /** The dream clock's per-frame hook (clock.onAdvance): an audience device applies relayed states there, and glides continuous values. */
  onFrame?: (fn: () => void) => () => void;
  /** Node only: a WebSocket for the relay carrier. */
  wsFactory?: RelayOptions['wsFactory'];
}

/** What api.sync() reports and the sync components show. */
export interface SyncStatus {
  role: 'performer' | 'audience';
  carrier: 'broadcast' | 'relay';
  relay: string | null;
  link: LinkState;
  /** ms since the link's state last changed. */
  linkForMs: number;
  connects: number;
  refused: string | null;
  error: string | null;
  audio: AudioPlace;
  devices: AudioDevices;
  /** Performer: audience windows or devices heard from recently; messages sent. */
  audiences?: number;
  sent?: number;
  /** Performer: messages sent by kind (full states, patches, params). */
  sentByKind?: { state: number; patch: number; params: number };
  /** Performer: devices in its table, and new ones not counted because it was full. */
  deviceTable?: number;
  devicesNotCounted?: number;
  /**
   * Another performer heard in the room within 5 s (null: none). Performer: `holdsRoom` when the
   * devices follow it rather than this one (this one then stands by). Audience: a performer whose
   * states it ignores.
   */
  otherPerformer?: { id: string; lastHeardMs: number; holdsRoom?: boolean } | null;
  /** Performer: another performer holds the room and this one stands by. */
  standby?: boolean;
  /** Performer: its id (kept in the tab's session storage). Audience: the performer it follows. */
  performer?: string | null;
  /** Audience: states ignored (another performer's, or one standing by). */
  ignored?: number;
  /** Audience: the last state's sequence number, ms since it, and whether this device is cut off. */
  seq?: number;
  silenceMs?: number;
  cutOff?: boolean;
  /** Audience: the performer's clock minus this device's (ms), and the round trip that gave it. */
  offsetMs?: number | null;
  rttMs?: number | null;
  clockBursts?: number;
  /** Audience: the dream time added to the last state to reach the performer's dream time (ms). */
  catchUpMs?: number;
  device?: string;
}

interface Common {
  /** The link's state (observable, for React). */
  link: Observable<LinkInfo>;
  status(): SyncStatus;
  stop(): void;
}

export type SyncHandle = Common & ({ role: 'performer'; sync: PerformerSync } | { role: 'audience'; sync: AudienceSync; clock: ClockEstimator | null });

/** An audience is cut off when its link is down or the performer has been silent this long. */
export const CUT_OFF_SILENCE_MS = 3000;
/** A clock ping that has no answer within this long is left out of its burst. */
export const CLOCK_PING_TIMEOUT_MS = 1000;

type LinkStatus = () => Pick<SyncStatus, 'carrier' | 'relay' | 'link' | 'linkForMs' | 'connects' | 'refused' | 'error'>;

/** The relay when there is one (only the performer view ever sends the credential), else this browser's other windows. */
const openCarrier = (view: 'performer' | 'audience', room: string, options: SyncOptions): Carrier => {
  if (options.relay === undefined) return createBroadcastCarrier(room);
  const credential =
    view !== 'performer'
      ? {}
      : options.credential !== undefined
        ? { credential: options.credential }
        : options.nkey !== undefined
          ? { nkey: options.nkey }
          : options.pass !== undefined
            ? { user: options.user ?? 'performer', pass: options.pass }
            : {};
  return createLazyRelayCarrier({ url: options.relay, room, role: view, ...credential, ...(options.wsFactory ? { wsFactory: options.wsFactory } : {}) });
};

/** The performer: its identity and seq kept for the tab (src/sync/performer-id.ts). */
const joinAsPerformer = (store: DreamStore, carrier: Carrier, room: string, frames: FrameClock, linkStatus: LinkStatus): SyncHandle => {
  // A performer is its tab: the same id (and place in the room) after a reload.
  const identity = loadIdentity(room);
  const sync = startPerformerSync(store, carrier, {
    frames,
    ...(identity ? { identity } : {}),
    onIdentity: (next) => saveIdentity(room, next),
    seqStart: seqStart(room),
    onSeq: (seq) => saveSeq(room, seq),
  });
  const update = () => store.setState({ audioHere: sync.audioPlace() === 'performer' });
  sync.onChange(update);
  update();
  return {
    role: 'performer',
    sync,
    link: carrier.link,
    status: () => ({
      role: 'performer',
      ...linkStatus(),
      audio: sync.audioPlace(),
      devices: sync.audioDevices(),
      audiences: sync.audiences(),
      sent: sync.sent(),
      sentByKind: sync.sentByKind(),
      deviceTable: sync.deviceTable(),
      devicesNotCounted: sync.devicesNotCounted(),
      otherPerformer: sync.otherPerformer(),
      standby: sync.standby(),
      performer: sync.identity().id,
    }),
    stop: () => {
      sync.stop();
      frames.stop();
      carrier.close();
    },
  };
};

/** An audience device: it follows the performer's states, with a clock estimate over a relay. */
const joinAsAudience = (store: DreamStore, carrier: Carrier, id: string, options: SyncOptions, frames: FrameClock, linkStatus: LinkStatus): SyncHandle => {
  // The audience shows only what an audience may receive, from the first frame: the bundled
  // preset it boots from is projected as the performer's states will be.
  replaceDream(store, audienceProjection(store.getState().dream));
  const ask = carrier.askClock?.bind(carrier);
  const clock = ask ? startClockEstimator(() => ask({ kind: 'clock', protocol: PROTOCOL, id }, CLOCK_PING_TIMEOUT_MS).then((r) => r.t)) : null;
  // Between devices the offset is unknown until the first burst; in one browser it is 0.
  const offset = clock ? () => clock.estimate.get()?.offsetMs ?? null : () => 0;
  const sync = startAudienceSync(store, carrier, id, {
    frames,
    offset,
    ...(options.device !== undefined ? { device: options.device } : {}),
    // Between devices a state is applied at the next frame, set to the performer's dream time
    // there; in one browser (microseconds away) at once, every state, as the stage always did.
    ...(options.onFrame && options.relay !== undefined ? { onFrame: options.onFrame } : {}),
    // Continuous values glide frame by frame between the performer's params messages, either way.
    ...(options.onFrame ? { glideFrame: options.onFrame } : {}),
  });
  const update = () => store.setState({ audioHere: sync.audioHere() });
  sync.onChange(update);
  update();
  // Ping at once on every (re)connect: the first ping also tells the performer a device is here.
  let linkState = carrier.link.get().state;
  const unsubscribeLink = carrier.link.subscribe(() => {
    const s = carrier.link.get().state;
    if (s === 'connected' && linkState !== 'connected') void clock?.measure();
    linkState = s;
  });
  if (linkState === 'connected') void clock?.measure();
  return {
    role: 'audience',
    sync,
    clock,
    link: carrier.link,
    status: () => {
      const l = linkStatus();
      const silenceMs = sync.silence();
      const e = clock?.estimate.get() ?? null;
      return {
        role: 'audience',
        ...l,
        audio: sync.audioPlace(),
        devices: sync.audioDevices(),
        seq: sync.seq(),
        silenceMs,
        cutOff: l.link !== 'connected' || !(silenceMs <= CUT_OFF_SILENCE_MS),
        offsetMs: clock ? (e?.offsetMs ?? null) : 0,
        rttMs: clock ? (e?.rttMs ?? null) : 0,
        clockBursts: e?.bursts ?? 0,
        catchUpMs: sync.lastCatchUp() * 1000,
        performer: sync.following(),
        ignored: sync.ignored(),
        otherPerformer: sync.otherPerformer(),
        ...(options.device !== undefined ? { device: options.device } : {}),
      };
    },
    stop: () => {
      unsubscribeLink();
      clock?.stop();
      sync.stop();
      frames.stop();
      carrier.close();
    },
  };
};

/** Join the room as the view's role, and keep `audioHere` telling where the symphony plays. */
export const connectSync = (store: DreamStore, view: 'performer' | 'audience', room: string, options: SyncOptions = {}): SyncHandle => {
  const frames = trackFrames();
  const carrier = openCarrier(view, room, options);
  const linkStatus = () => {
    const l = carrier.link.get();
    return { carrier: l.carrier, relay: l.relay, link: l.state, linkForMs: Date.now() - l.since, connects: l.connects, refused: l.refused, error: l.error };
  };
  if (view === 'performer') return joinAsPerformer(store, carrier, room, frames, linkStatus);
  return joinAsAudience(store, carrier, randomId(), options, frames, linkStatus);
};
