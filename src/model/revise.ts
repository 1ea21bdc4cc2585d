import { coerce, getParam, resolvePath, tablePaths, writeParam } from './params.ts';
import { applyValues, resolvePreset } from './preset.ts';
import type { Preset } from './schema.ts';
import type { Dreamer, DreamState, ParamValue, TimedEvent } from './state.ts';
import { clamp } from './units.ts';

/**
 * An edit of the preset now playing (a preset file saved under `npm start`): the show goes on with
 * the edited preset's structure and morphs to its values. A show log keeps it, whole, to replay it.
 */
export interface ReviseAction {
  type: 'revise';
  /** The edited preset, validated: the same id as the dream's. */
  preset: Preset;
  /** How long the dream takes to reach the edited values (an artist wants to see it at once, softly). */
  seconds: number;
  /** The tile count to keep (the show's own, e.g. `?tiles=`); without it, the preset's. */
  tiles?: number | undefined;
}

/** The `set` events at or before `elapsed`, applied in order at their final values (a stale path is skipped, as a running show skips it). */
const passedSets = (s: DreamState, events: readonly TimedEvent[], elapsed: number): DreamState => {
  let out = s;
  for (const e of events) {
    if (e.at > elapsed) break;
    if (e.action.type !== 'set') continue;
    try {
      const r = resolvePath(out, e.action.path);
      out = writeParam(out, r, coerce(r.spec, e.action.value, e.action.path));
    } catch {
      /* a path that no longer resolves (a dreamer the edit removed) */
    }
  }
  return out;
};

/** How long a revision morphs by default: long enough to see the change, short enough to judge it. */
export const REVISE_SECONDS = 1.5;

/**
 * The edited preset's dreamers, each carrying the values of the running dreamer it replaces (so a
 * morph moves them): the one with the same id, else the one at the same place if the edit does not
 * keep that one's id. A new dreamer comes with the preset's values.
 */
const reviseDreamers = (running: readonly Dreamer[], edited: readonly Dreamer[]): Dreamer[] => {
  const ids = new Set(edited.map((d) => d.id));
  return edited.map((d, i) => {
    const same = running.find((r) => r.id === d.id);
    const placed = running[i];
    const was = same ?? (placed && !ids.has(placed.id) ? placed : undefined);
    return was ? { ...was, id: d.id, name: d.name, role: d.role, motif: d.motif } : d;
  });
};

/**
 * The dream with the edited preset's structure (title, dreamers, acts and their events) in place of
 * its own, keeping everything that runs: the clock and beat, the generator, the act (clamped when
 * acts were removed) and its elapsed time, the live disturbance, the output, the performer's rows.
 * `to` is what the edited preset gives at this act (its values with the act's over them), for the
 * reducer to morph to over `seconds`: the values a morph may move, as a preset morph moves them.
 */
export const revise = (state: DreamState, action: ReviseAction): { state: DreamState; to: Record<string, ParamValue>; seconds: number } => {
  const options = { seed: state.seed, ...(action.tiles === undefined ? {} : { tiles: action.tiles }) };
  const edited = resolvePreset(action.preset, options);
  const index = clamp(state.show.index, 0, Math.max(0, edited.acts.length - 1));
  const act = edited.acts[index];
  const elapsed = state.show.elapsed;
  // The preset's own values, this act's over them (not the first act's, as a fresh load has), and
  // what this act's timed sets that have already happened made of them: an edit must not undo them.
  const target = passedSets(applyValues(resolvePreset({ ...action.preset, acts: [] }, options), act?.values ?? {}), act?.events ?? [], elapsed);
  const revised: DreamState = {
    ...state,
    title: edited.title,
    dreamers: reviseDreamers(state.dreamers, target.dreamers),
    acts: edited.acts,
    // Events of this act whose time has passed count as fired: an edit does not replay them.
    show: { ...state.show, index, elapsed, fired: act ? act.events.filter((e) => e.at <= elapsed).length : 0 },
  };
  const to: Record<string, ParamValue> = {};
  for (const p of tablePaths((spec) => spec.morph !== 'keep', revised.dreamers.length)) to[p] = getParam(target, p);
  if (state.show.tempoHold) delete to.tempo;
  const seconds = Number.isFinite(action.seconds) ? clamp(action.seconds, 0, 600) : 0;
  return { state: { ...revised, morph: null }, to, seconds };
};
