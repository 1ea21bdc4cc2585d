import type { DreamState } from '../model/index.ts';
import type { Observable } from '../lib/observable.ts';

/**
 * One sync protocol for every carrier (BroadcastChannel between windows of one browser; a
 * network relay between devices). Only control data crosses: the performer's full dream-state,
 * a sequence number and its dream-clock time. Every device renders the dream itself.
 */
export const PROTOCOL = 2;

/** Where the symphony plays: in the audience window(s), or in the performer's. */
export type AudioPlace = 'audience' | 'performer';

/**
 * Which audience devices play the symphony when it plays in the audience: every device (each
 * renders the same seed at the same dream time, so all play in step), or only the devices named
 * here (a device takes its name from `?device=<name>`: the hall's PA, a projector's speakers).
 */
export type AudioDevices = 'all' | string[];

export interface StateMessage {
  kind: 'state';
  protocol: typeof PROTOCOL;
  /**
   * The performer that sent it: its id lives in the tab's sessionStorage, so a reloaded tab is the
   * same performer (src/sync/performer-id.ts).
   */
  from: string;
  /**
   * Increases with every message the performer sends, across reloads too (it starts from the
   * page's load time in µs, a safe integer); a device ignores anything older from the same `from`.
   */
  seq: number;
  /**
   * When this performer took the room over explicitly (wall ms; 0 or absent: never). A device
   * follows one performer; it switches to another whose takeover is later than its own
   * performer's, or when its own has been silent for PERFORMER_SILENCE_MS.
   */
  takeover?: number;
  /** When this performer (tab) first joined the room (wall ms): of two live ones, the older holds it. */
  since?: number;
  /** Sent by a performer that hears another hold the room: devices take none of its states. */
  standby?: boolean;
  /** The performer's dream clock (seconds) at `clockAt`. */
  clock: number;
  /** The performer page's wall clock when it sent this (ms, performance.timeOrigin + now()). */
  sentAt: number;
  /**
   * The performer's wall clock (same base as sentAt) at which its dream clock read `clock`: its
   * last animation frame. A device applies the state at the performer's dream time now, that is
   * `clock + (performer's now - clockAt)`, using its estimate of the offset between the clocks.
   */
  clockAt: number;
  /** Names the show's acts (src/sync/state-message.ts): they change only with a preset. */
  actsKey: string;
  /** Names the dream's scene (its layers): it changes with a preset, an act or a performer's change of world. */
  sceneKey: string;
  /**
   * The performer's whole dream; its `acts` and `scene` only on heartbeats, greetings and when
   * they changed, otherwise left out and taken from the last message with the same key.
   */
  dream: Omit<DreamState, 'acts' | 'scene'> & { acts?: DreamState['acts']; scene?: DreamState['scene'] };
  audio: AudioPlace;
  /** Which audience devices obey `audio: 'audience'`. */
  devices: AudioDevices;
}

/** An audience asks for the current state when it joins (never control). */
export interface HelloMessage {
  kind: 'hello';
  protocol: typeof PROTOCOL;
  id: string;
}

/** An audience window says it is still there, so the performer knows where audio should play. */
export interface PresenceMessage {
  kind: 'presence';
  protocol: typeof PROTOCOL;
  id: string;
  leaving?: boolean;
}

/**
 * A discrete change (an action, a cue, a script's set), sent at once: the top-level fields of the
 * audience's projection of the dream that the change touched (a changed `dreamers` or `acts` whole),
 * never the action itself (a fracture draws from the random state, which a device has only from
 * the last full state). A device merges them into its current dream; the next heartbeat's full
 * state corrects anything in between. `seq` is shared with the states: a patch older than the
 * last message taken is dropped, and one newer than a state waiting for its frame is applied
 * after it.
 */
export interface PatchMessage {
  kind: 'patch';
  protocol: typeof PROTOCOL;
  from: string;
  seq: number;
  sentAt: number;
  /** The acts' and the scene's keys after the change (src/sync/state-message.ts); each part itself when its key changed. */
  actsKey: string;
  sceneKey: string;
  dream: Partial<DreamState>;
}

/**
 * Continuous values (a fader dragged, later a MIDI CC), at most PARAMS_MIN_MS apart per room: the
 * latest value of each parameter path moved since the last one (`mood.arousal`,
 * `dreamers.2.presence`), as the audience's projection shows it (a private dreamer's level never
 * travels). A device glides each path to its new value over PARAMS_MIN_MS, frame by frame.
 */
export interface ParamsMessage {
  kind: 'params';
  protocol: typeof PROTOCOL;
  from: string;
  seq: number;
  sentAt: number;
  values: Record<string, number>;
}

export type SyncMessage = StateMessage | PatchMessage | ParamsMessage | HelloMessage | PresenceMessage;

/** An audience device asks the performer's clock (request/reply over a relay). */
export interface ClockRequest {
  kind: 'clock';
  protocol: typeof PROTOCOL;
  /** The asking device (the performer counts devices by it, and greets a new one with the state). */
  id: string;
}

/** The performer's answer: its wall clock when it answered (ms, performance.timeOrigin + now()). */
export interface ClockReply {
  kind: 'clock';
  protocol: typeof PROTOCOL;
  t: number;
}

/** The state of a carrier's link, for the performer's panel and the audience's indicator. */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface LinkInfo {
  carrier: 'broadcast' | 'relay';
  /** The relay's address (ws:// or wss://), or null for BroadcastChannel. */
  relay: string | null;
  state: LinkState;
  /** Wall clock (ms) when the state last changed. */
  since: number;
  /** Successful connections so far (1 after the first). */
  connects: number;
  /** The last thing the relay refused (a permission or authorization error), or null. */
  refused: string | null;
  /** The last connection error, or null. */
  error: string | null;
}

/** A small observable (the sync components subscribe to it): the runtime's. */
export { observable } from '../lib/observable.ts';
export type { Observable } from '../lib/observable.ts';

/** A carrier moves messages; it knows nothing about dreams. */
export interface Carrier {
  send(message: SyncMessage): void;
  onMessage(fn: (message: SyncMessage) => void): () => void;
  close(): void;
  /** The link's state (a BroadcastChannel is always connected). */
  readonly link: Observable<LinkInfo>;
  /** Between devices: the audience asks the performer's clock. Absent on one machine (offset 0). */
  askClock?(request: ClockRequest, timeoutMs: number): Promise<ClockReply>;
  /** Between devices: the performer answers clock requests (null: no answer). */
  answerClock?(fn: (request: ClockRequest) => ClockReply | null): () => void;
}

/** NATS subjects of a room: the performer publishes `state` (states, patches, params); audiences request on `clock`. */
export const subjects = (room: string) => ({ state: `dreamscape.${room}.state`, clock: `dreamscape.${room}.clock` });

/** The performer re-sends the whole state this often, so a device that missed a message converges. */
export const HEARTBEAT_MS = 1000;
/**
 * Continuous values leave the performer at most once per this many ms (20 a second), and a device
 * glides to each over the same time, so the picture moves as smoothly as the fader.
 */
export const PARAMS_MIN_MS = 50;
/** An audience window that has not said it is there for this long is taken to be gone. */
export const PRESENCE_TIMEOUT_MS = 3500;
/** Over a relay an audience device is heard from by its clock pings (a burst every 10 s). */
export const RELAY_PRESENCE_TIMEOUT_MS = 25_000;
/** Clock pings: a burst of this many, keep the lowest round trip, every CLOCK_EVERY_MS. */
export const CLOCK_PINGS = 8;
export const CLOCK_EVERY_MS = 10_000;
/** A device follows another performer once its own has been silent this long (ms). */
export const PERFORMER_SILENCE_MS = 5000;
/** The longest catch-up a device applies to a state (a performer tab in the background stops its frames). */
export const MAX_CATCH_UP_S = 2;
