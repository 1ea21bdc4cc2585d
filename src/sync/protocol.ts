import type { DreamState } from '../model/index.ts';

/**
 * One sync protocol for every carrier (BroadcastChannel between windows of one browser; a
 * network relay between devices). Only control data crosses: the performer's full dream-state,
 * a sequence number and its dream-clock time. Every device renders the dream itself.
 */
export const PROTOCOL = 1;

/** Where the symphony plays: in the audience window(s), or in the performer's. */
export type AudioPlace = 'audience' | 'performer';

export interface StateMessage {
  kind: 'state';
  protocol: typeof PROTOCOL;
  /** Increases with every message the performer sends; a device ignores anything older. */
  seq: number;
  /** The performer's dream clock when it sent this (seconds). */
  clock: number;
  /** The performer page's wall clock when it sent this (ms, performance.timeOrigin + now()). */
  sentAt: number;
  dream: DreamState;
  audio: AudioPlace;
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

export type SyncMessage = StateMessage | HelloMessage | PresenceMessage;

/** A carrier moves messages; it knows nothing about dreams. */
export interface Carrier {
  send(message: SyncMessage): void;
  onMessage(fn: (message: SyncMessage) => void): () => void;
  close(): void;
}

export const isSyncMessage = (m: unknown): m is SyncMessage =>
  typeof m === 'object' && m !== null && (m as { protocol?: unknown }).protocol === PROTOCOL && ['state', 'hello', 'presence'].includes(String((m as { kind?: unknown }).kind));

/** The performer re-sends the whole state this often, so a device that missed a message converges. */
export const HEARTBEAT_MS = 1000;
/** An audience window that has not said it is there for this long is taken to be gone. */
export const PRESENCE_TIMEOUT_MS = 3500;
