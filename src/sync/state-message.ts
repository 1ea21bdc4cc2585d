import { DREAMER_PARAMS, getParam, isContinuous, PARAMS } from '../model/index.ts';
import type { DreamState, ParamSpec } from '../model/index.ts';
import { audienceProjection, projectParam } from './projection.ts';
import { PROTOCOL } from './protocol.ts';
import type { PatchMessage, StateMessage } from './protocol.ts';
import { fnv1a } from '../model/hash.ts';

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
  return `${fnv1a(json).toString(36)}.${json.length.toString(36)}`;
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

  /**
   * A discrete change: the named top-level fields of the projected dream (the acts when their key
   * changed, whole), under the acts' key.
   */
  patch(header: PatchHeader, whole: DreamState, fields: readonly (keyof DreamState)[]): PatchMessage {
    const dream = audienceProjection(whole);
    if (dream.acts !== this.acts) {
      this.acts = dream.acts;
      this.key = actsKey(dream.acts);
    }
    const out: Partial<DreamState> = {};
    for (const f of fields) if (f !== 'acts') (out as Record<string, unknown>)[f] = dream[f];
    if (this.key !== this.sentKey) {
      this.sentKey = this.key;
      out.acts = dream.acts;
    }
    return { kind: 'patch', protocol: PROTOCOL, ...header, actsKey: this.key, dream: out };
  }
}

export interface PatchHeader {
  from: string;
  seq: number;
  sentAt: number;
}

/**
 * The top-level fields of the dream that a discrete change touched. The model shares structure,
 * so comparing the references of the dream's fields before and after finds them at once. The
 * projection of `morph` and `glides` names private dreamers by index, so they go along when the
 * dreamers changed; the acts are named by their key (see StateEncoder.patch).
 */
export const changedFields = (before: DreamState, after: DreamState): (keyof DreamState)[] => {
  const out: (keyof DreamState)[] = [];
  for (const k of Object.keys(after) as (keyof DreamState)[]) if (k !== 'acts' && before[k] !== after[k]) out.push(k);
  if (before.dreamers !== after.dreamers) {
    if (!out.includes('morph')) out.push('morph');
    if (!out.includes('glides')) out.push('glides');
  }
  return out;
};

const continuous = (path: string, spec: ParamSpec) => isContinuous({ path, spec });
/** The continuous global parameters, by their top-level field. */
const GLOBAL_CONTINUOUS: { path: string; field: keyof DreamState }[] = Object.entries(PARAMS)
  .filter(([path, spec]) => continuous(path, spec))
  .map(([path]) => ({ path, field: path.split('.')[0] as keyof DreamState }));
const DREAMER_CONTINUOUS = (Object.keys(DREAMER_PARAMS) as (keyof typeof DREAMER_PARAMS)[]).filter((f) => continuous(`dreamers.0.${f}`, DREAMER_PARAMS[f]));

/**
 * The continuous values a frame's modulations moved (paths in the index form), as an audience may
 * receive them: compared where the dream's top-level field changed; values read from `view` (the
 * dream as seen); a private dreamer's level left out (src/sync/projection.ts).
 */
export const changedParams = (before: DreamState, after: DreamState, view: DreamState = after): Map<string, number> => {
  const out = new Map<string, number>();
  for (const { path, field } of GLOBAL_CONTINUOUS) {
    if (before[field] === after[field]) continue;
    const v = getParam(after, path);
    if (typeof v === 'number' && v !== getParam(before, path)) out.set(path, getParam(view, path) as number);
  }
  if (before.dreamers !== after.dreamers) {
    after.dreamers.forEach((d, i) => {
      const was = before.dreamers[i];
      if (d === was) return;
      for (const f of DREAMER_CONTINUOUS) {
        if (was && was[f] === d[f]) continue;
        const seen = (view.dreamers[i]?.[f] ?? d[f]) as number;
        const p = projectParam(after.dreamers, `dreamers.${i}.${f}`, seen);
        if (p) out.set(p.path, p.value);
      }
    });
  }
  return out;
};

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

  /** The fields of a patch, or null while its acts are unknown here (the next heartbeat brings them). */
  patch(m: PatchMessage): Partial<DreamState> | null {
    if (m.dream.acts) {
      this.key = m.actsKey;
      this.acts = m.dream.acts;
      return m.dream;
    }
    if (this.acts === null || m.actsKey !== this.key) return null;
    return m.dream;
  }
}
