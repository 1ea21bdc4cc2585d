import { DREAMER_PARAMS, getParam, isContinuous, PARAMS } from '../model/index.ts';
import type { DreamState, ParamSpec } from '../model/index.ts';
import { audienceProjection, projectParam } from './projection.ts';
import { PROTOCOL } from './protocol.ts';
import type { PatchMessage, StateMessage } from './protocol.ts';
import { fnv1a } from '../model/hash.ts';

/**
 * The acts of a show (its script: names, durations, values, timed events) are four fifths of a
 * state snapshot (5.2 of dream-temple's 6.7 KB), and the scene (the world's layers: sky, mosaic
 * shape, threads, particles, camera, finish) is another part that changes only when a preset, an
 * act or a performer changes the world. So a state message names each of these parts by a key,
 * and carries it only when it may be new to someone: every heartbeat, every greeting and
 * reconnection, and the first message after it changed. Every other message is the rest of the
 * dream, and a device takes each keyed part from the last message that carried it under the same
 * key. A device that has not got a part yet skips such a message and converges on the next
 * heartbeat, within a second, as one that missed a message does.
 */
export const KEYED_PARTS = ['acts', 'scene'] as const;
export type KeyedPart = (typeof KEYED_PARTS)[number];

/** FNV-1a over a part's JSON, with its length: a key that changes when any of it does. */
export const partKey = (part: unknown): string => {
  const json = JSON.stringify(part);
  return `${fnv1a(json).toString(36)}.${json.length.toString(36)}`;
};
/** The acts' key (see partKey). */
export const actsKey = (acts: DreamState['acts']): string => partKey(acts);

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

interface PartState {
  /** The part last keyed (by reference: the model shares structure, so a new one is a change). */
  ref: unknown;
  key: string;
  /** The key last sent in full ('' before). */
  sent: string;
}

/**
 * The performer's side: builds messages, with the keyed parts only when asked or when they
 * changed. Every message carries the audience's projection of the dream (src/sync/projection.ts),
 * never the dream itself: this is the one place a dream leaves the performer, for every carrier
 * and every kind of send (change, heartbeat, greeting, reconnection). A part's key is that of the
 * projected part (the projection shares it while it is unchanged, so the key is computed only when
 * it changes).
 */
export class StateEncoder {
  private readonly parts: Record<KeyedPart, PartState> = { acts: { ref: null, key: '', sent: '' }, scene: { ref: null, key: '', sent: '' } };

  private keys(dream: DreamState): { actsKey: string; sceneKey: string } {
    for (const p of KEYED_PARTS) {
      const part = this.parts[p];
      if (dream[p] !== part.ref) {
        part.ref = dream[p];
        part.key = partKey(dream[p]);
      }
    }
    return { actsKey: this.parts.acts.key, sceneKey: this.parts.scene.key };
  }

  /** Whether a part goes in full in this message (and, if so, it counts as sent). */
  private send(p: KeyedPart, always: boolean): boolean {
    const part = this.parts[p];
    if (!always && part.key === part.sent) return false;
    part.sent = part.key;
    return true;
  }

  message(header: StateHeader, whole: DreamState, withParts: boolean): StateMessage {
    const dream = audienceProjection(whole);
    const keys = this.keys(dream);
    const out: Partial<DreamState> = { ...dream };
    for (const p of KEYED_PARTS) if (!this.send(p, withParts)) delete out[p];
    return { kind: 'state', protocol: PROTOCOL, ...header, ...keys, dream: out as StateMessage['dream'] };
  }

  /**
   * A discrete change: the named top-level fields of the projected dream (the keyed parts when
   * their key changed, whole), under the parts' keys.
   */
  patch(header: PatchHeader, whole: DreamState, fields: readonly (keyof DreamState)[]): PatchMessage {
    const dream = audienceProjection(whole);
    const keys = this.keys(dream);
    const out: Partial<DreamState> = {};
    for (const f of fields) if (!(KEYED_PARTS as readonly string[]).includes(f)) (out as Record<string, unknown>)[f] = dream[f];
    for (const p of KEYED_PARTS) if (this.send(p, false)) (out as Record<string, unknown>)[p] = dream[p];
    return { kind: 'patch', protocol: PROTOCOL, ...header, ...keys, dream: out };
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

/** The audience's side: the whole dream from a message, or null while a keyed part is unknown here. */
export class StateDecoder {
  private readonly parts: Record<KeyedPart, { key: string; value: unknown }> = { acts: { key: '', value: null }, scene: { key: '', value: null } };

  /** Takes the parts a message carries; false if one it leaves out is not known here under its key. */
  private take(m: StateMessage | PatchMessage): boolean {
    let known = true;
    for (const p of KEYED_PARTS) {
      const key = p === 'acts' ? m.actsKey : m.sceneKey;
      const value = m.dream[p];
      if (value !== undefined) this.parts[p] = { key, value };
      else if (this.parts[p].value === null || this.parts[p].key !== key) known = false;
    }
    return known;
  }

  dream(m: StateMessage): DreamState | null {
    if (!this.take(m)) return null;
    return { ...m.dream, acts: this.parts.acts.value, scene: this.parts.scene.value } as DreamState;
  }

  /** The fields of a patch, or null while a keyed part is unknown here (the next heartbeat brings it). */
  patch(m: PatchMessage): Partial<DreamState> | null {
    return this.take(m) ? m.dream : null;
  }
}
