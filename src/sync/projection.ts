import type { Act, DreamState, Dreamer, Glide, Morph, ParamValue, TimedEvent } from '../model/index.ts';

/**
 * What an audience receives: the dream as it may be shown, never more. Consent is kept where the
 * data leaves the performer: every state message (BroadcastChannel or relay; heartbeat, greeting,
 * reconnection) is built from this projection in StateEncoder, and nothing else sends a dream.
 *
 * - A private dreamer keeps its slot (its index and the number of dreamers shape the mosaic's
 *   regions and the score), its colour, voice and presence (the audience veils its region and
 *   hides its thread; the same picture as before), and `consent: 'private'` (the veil reads it).
 *   Nothing personal stays: its id becomes `private-<index>` (the index in the dreamer list, so
 *   it is stable while other dreamers change consent), name and role are empty, the motif is
 *   empty and the level 0.
 * - Act notes are left out (''); the acts themselves still travel, since devices run their
 *   timed events. A timed event's `set` path or an act value's key that names a private dreamer
 *   by id (`dreamers.kian.presence`) is rewritten to the index form (`dreamers.3.presence`),
 *   which every device resolves to the same slot.
 * - A preset morph's target (a whole dream) is projected the same way, against its own dreamers;
 *   a target's own morph is dropped (one level deep at most). Morph from/to values and glides are
 *   keyed by flat paths, rewritten as above.
 *
 * Projected acts and targets are cached by identity, so a state message costs a few object
 * spreads and the acts' key (src/sync/state-message.ts) is computed only when they change.
 */

export const privateId = (index: number): string => `private-${index}`;

const DREAMER_PATH = /^dreamers\.([^.]+)\.([a-z]+)$/;

/** The ids of the private dreamers, by index (a signature for the caches below). */
const privateSignature = (dreamers: readonly Dreamer[]): string => {
  let sig = '';
  for (let i = 0; i < dreamers.length; i++) if (dreamers[i]!.consent === 'private') sig += `${i}:${dreamers[i]!.id}\u0000`;
  return sig;
};

/** A flat path that names a private dreamer by id, in the index form; any other path as it is. */
export const projectPath = (path: string, dreamers: readonly Dreamer[]): string => {
  const m = DREAMER_PATH.exec(path);
  if (!m || /^\d+$/.test(m[1]!)) return path;
  const i = dreamers.findIndex((d) => d.id === m[1]);
  return i >= 0 && dreamers[i]!.consent === 'private' ? `dreamers.${i}.${m[2]}` : path;
};

/** Whether a flat path is a private dreamer's voice level (which never travels: it is sent as 0). */
export const isPrivateLevel = (path: string, dreamers: readonly Dreamer[]): boolean => {
  const m = DREAMER_PATH.exec(path);
  if (!m || m[2] !== 'level') return false;
  const i = /^\d+$/.test(m[1]!) ? Number(m[1]) : dreamers.findIndex((d) => d.id === m[1]);
  return dreamers[i]?.consent === 'private';
};

const projectRecord = (values: Record<string, ParamValue>, dreamers: readonly Dreamer[], hasPrivate: boolean): Record<string, ParamValue> => {
  if (!hasPrivate) return values;
  const out: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(values)) out[projectPath(k, dreamers)] = isPrivateLevel(k, dreamers) ? 0 : v;
  return out;
};

const projectDreamer = (d: Dreamer, i: number): Dreamer =>
  d.consent === 'private' ? { ...d, id: privateId(i), name: '', role: '', motif: [], level: 0, consent: 'private' } : d;

const projectEvent = (e: TimedEvent, dreamers: readonly Dreamer[]): TimedEvent => {
  if (e.action.type !== 'set') return e;
  const path = projectPath(e.action.path, dreamers);
  // (An event is kept, its value zeroed: devices count the act's events by their index.)
  if (isPrivateLevel(e.action.path, dreamers)) return { ...e, action: { ...e.action, path, value: 0 } };
  return path === e.action.path ? e : { ...e, action: { ...e.action, path } };
};

const actsCache = new WeakMap<readonly Act[], { sig: string; acts: Act[] }>();

/** The acts with their notes left out and private dreamers' ids out of their paths (cached). */
export const projectActs = (acts: readonly Act[], dreamers: readonly Dreamer[]): Act[] => {
  const sig = privateSignature(dreamers);
  const hit = actsCache.get(acts);
  if (hit && hit.sig === sig) return hit.acts;
  const hasPrivate = sig !== '';
  const out = acts.map(
    (a): Act => ({
      ...a,
      values: projectRecord(a.values, dreamers, hasPrivate),
      events: hasPrivate ? a.events.map((e) => projectEvent(e, dreamers)) : a.events,
      note: '',
    }),
  );
  actsCache.set(acts, { sig, acts: out });
  return out;
};

const targetCache = new WeakMap<DreamState, DreamState>();

const projectMorph = (m: Morph, dreamers: readonly Dreamer[], hasPrivate: boolean): Morph => {
  let target: DreamState | null = null;
  if (m.target) {
    target = targetCache.get(m.target) ?? null;
    if (!target) {
      target = project({ ...m.target, morph: null });
      targetCache.set(m.target, target);
    }
  }
  return { ...m, from: projectRecord(m.from, dreamers, hasPrivate), to: projectRecord(m.to, dreamers, hasPrivate), target };
};

const projectGlide = (g: Glide, dreamers: readonly Dreamer[]): Glide => {
  const path = projectPath(g.path, dreamers);
  if (isPrivateLevel(g.path, dreamers)) return { ...g, path, from: 0, to: 0 };
  return path === g.path ? g : { ...g, path };
};

const project = (dream: DreamState): DreamState => {
  const hasPrivate = dream.dreamers.some((d) => d.consent === 'private');
  return {
    ...dream,
    dreamers: hasPrivate ? dream.dreamers.map(projectDreamer) : dream.dreamers,
    // (act values and events zero a private dreamer's level too: projectActs)
    acts: projectActs(dream.acts, dream.dreamers),
    morph: dream.morph ? projectMorph(dream.morph, dream.dreamers, hasPrivate) : null,
    glides: hasPrivate ? dream.glides.map((g) => projectGlide(g, dream.dreamers)) : dream.glides,
  };
};

/** The dream as an audience may receive it (see above). Pure; the input is not changed. */
export const audienceProjection = (dream: DreamState): DreamState => project(dream);

/**
 * A continuous value as an audience may receive it (a `params` message), its path in the index
 * form (`dreamers.2.level`, never a dreamer's id): null when the projection hides it, i.e. a
 * private dreamer's voice level (always 0 in the projection; the device has that already).
 */
export const projectParam = (dreamers: readonly Dreamer[], path: string, value: number): { path: string; value: number } | null => {
  const m = DREAMER_PATH.exec(path);
  if (!m) return { path, value };
  const i = /^\d+$/.test(m[1]!) ? Number(m[1]) : dreamers.findIndex((d) => d.id === m[1]);
  const d = dreamers[i];
  if (!d) return null;
  if (d.consent === 'private' && m[2] === 'level') return null;
  return { path: `dreamers.${i}.${m[2]}`, value };
};
