import type { DreamState } from '../model/index.ts';
import { audienceProjection } from './projection.ts';
import { PROTOCOL } from './protocol.ts';
import type { StateMessage } from './protocol.ts';

/**
 * The acts of a show (its script: names, durations, values, timed events) are four fifths of a
 * state snapshot (5.2 of dream-temple's 6.7 KB) and change only when a preset is loaded or
 * morphed in. So a state message names them by a key, and carries them only when they may be
 * new to someone: every heartbeat, every greeting and reconnection, and the first message after
 * they changed. Every other message is the whole dream but the acts, which a device takes from
 * the last message that carried them under the same key. A device that has not got them yet
 * skips such a message and converges on the next heartbeat, within a second, as one that missed
 * a message does.
 */

/** FNV-1a over the acts' JSON, with its length: a key that changes when any act does. */
export const actsKey = (acts: DreamState['acts']): string => {
  const json = JSON.stringify(acts);
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(36)}.${json.length.toString(36)}`;
};

export interface StateHeader {
  from: string;
  seq: number;
  clock: number;
  sentAt: number;
  clockAt: number;
  audio: StateMessage['audio'];
  devices: StateMessage['devices'];
  takeover?: number;
  since?: number;
  standby?: boolean;
}

/**
 * The performer's side: builds messages, with the acts only when asked or when they changed.
 * Every message carries the audience's projection of the dream (src/sync/projection.ts), never
 * the dream itself: this is the one place a dream leaves the performer, for every carrier and
 * every kind of send (change, heartbeat, greeting, reconnection). The acts' key is that of the
 * projected acts (the projection caches them, so the key is computed only when they change).
 */
export class StateEncoder {
  private acts: DreamState['acts'] | null = null;
  private key = '';
  /** The key of the acts last sent in full ('' before). */
  private sentKey = '';

  message(header: StateHeader, whole: DreamState, withActs: boolean): StateMessage {
    const dream = audienceProjection(whole);
    if (dream.acts !== this.acts) {
      this.acts = dream.acts;
      this.key = actsKey(dream.acts);
    }
    const full = withActs || this.key !== this.sentKey;
    if (full) this.sentKey = this.key;
    const { acts, ...rest } = dream;
    return { kind: 'state', protocol: PROTOCOL, ...header, actsKey: this.key, dream: full ? { ...rest, acts } : rest };
  }
}

/** The audience's side: the whole dream from a message, or null while its acts are unknown here. */
export class StateDecoder {
  private key = '';
  private acts: DreamState['acts'] | null = null;

  dream(m: StateMessage): DreamState | null {
    if (m.dream.acts) {
      this.key = m.actsKey;
      this.acts = m.dream.acts;
      return m.dream as DreamState;
    }
    if (this.acts === null || m.actsKey !== this.key) return null;
    return { ...m.dream, acts: this.acts };
  }
}
