import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { advanceTimeline, parseAction, reduce, timelineOf, validatePreset, viewOf } from '../model/index.ts';
import type { DreamAction, DreamState, Preset, Problem, ResolveOptions, Timeline } from '../model/index.ts';

/**
 * The one store. The scene, the symphony, leva, the keys, the cues and the audience sync all
 * read and write the dream through it; none keeps its own copy of the truth.
 */
export interface DreamStoreState {
  /** The dream as seen now (the timeline's view: its base moved on by `ahead`). */
  dream: DreamState;
  /** The dream at the last whole step of dream time (src/model/timeline.ts): actions apply here. */
  base: DreamState;
  /** Dream time past the base, less than one step. */
  ahead: number;
  /** The problems of the last preset that failed to load, shown on screen; the dream goes on. */
  problems: { source: string; problems: Problem[] } | null;
  /** Bumped on every discrete change that did not come from the clock (for sync and panels). */
  revision: number;
  /** Bumped once a frame when continuous controls (modulate) changed the dream. */
  modulation: number;
  /** Whether the symphony should sound in this window (one window plays it: see src/sync). */
  audioHere: boolean;
}

export type DreamStore = StoreApi<DreamStoreState>;

export class PresetProblemsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: Problem[],
  ) {
    super(`${source}: ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PresetProblemsError';
  }
}

export const createDreamStore = (initial: DreamState): DreamStore =>
  createStore<DreamStoreState>()(() => ({ dream: initial, base: initial, ahead: 0, problems: null, revision: 0, modulation: 0, audioHere: true }));

/** The store's timeline (the base and the time past it). */
export const timelineIn = (store: DreamStore): Timeline => {
  const { base, ahead } = store.getState();
  return { base, ahead };
};

/** Apply an action from outside: checked first, so a bad action throws a clear error and changes nothing. */
export const dispatch = (store: DreamStore, input: unknown): DreamState => {
  const action = parseAction(input);
  return apply(store, action);
};

/** Apply an action that is already well-formed (the model may still refuse it with an error). */
export const apply = (store: DreamStore, action: DreamAction): DreamState => {
  const { base, ahead, revision } = store.getState();
  const next = reduce(base, action);
  const dream = viewOf({ base: next, ahead });
  store.setState({ dream, base: next, revision: revision + 1 });
  return dream;
};

/**
 * Apply continuous values at the base, all at once, as one change that is not discrete: it bumps
 * `modulation`, not `revision`. Values that fail (a path gone with a preset switch) are skipped
 * and returned.
 */
export const applyModulations = (store: DreamStore, actions: readonly Extract<DreamAction, { type: 'modulate' }>[]): Map<number, Error> => {
  const { base, ahead, modulation } = store.getState();
  let next = base;
  const failed = new Map<number, Error>();
  actions.forEach((a, i) => {
    try {
      next = reduce(next, a);
    } catch (e) {
      failed.set(i, e instanceof Error ? e : new Error(String(e)));
    }
  });
  if (next !== base) store.setState({ dream: viewOf({ base: next, ahead }), base: next, modulation: modulation + 1 });
  return failed;
};

/**
 * Advance the dream clock in whole steps (the same dream time gives the same dream at any frame
 * rate); a replayed log's entries go through advanceReplaying instead.
 */
export const advance = (store: DreamStore, dt: number): void => {
  const { base, ahead } = store.getState();
  const tl = advanceTimeline({ base, ahead }, dt);
  if (tl.base === base && tl.ahead === ahead) return;
  store.setState({ dream: viewOf(tl), base: tl.base, ahead: tl.ahead });
};

/**
 * Advance with a replayed log's entries (`due` at each step, and at the step the clock stops past),
 * in one change of the store that counts as discrete and/or continuous as the entries were, so
 * whoever follows the store (the relay, the panels) sees the entries and the steps together.
 */
export const advanceReplaying = (
  store: DreamStore,
  dt: number,
  due: (base: DreamState) => DreamState,
  changed: () => { discrete: boolean; continuous: boolean },
  pastStep: (ahead: number) => boolean,
): void => {
  const { base, ahead, revision, modulation } = store.getState();
  let tl = advanceTimeline({ base, ahead }, dt, due);
  if (pastStep(tl.ahead)) tl = { ...tl, base: due(tl.base) };
  const kind = changed();
  if (tl.base === base && tl.ahead === ahead && !kind.discrete && !kind.continuous) return;
  store.setState({
    dream: viewOf(tl),
    base: tl.base,
    ahead: tl.ahead,
    ...(kind.discrete ? { revision: revision + 1 } : {}),
    ...(kind.continuous ? { modulation: modulation + 1 } : {}),
  });
};

/**
 * Replace the whole dream (an audience receiving the performer's state, a resumed or replayed
 * show); `discrete: false` for a show taken up before anyone is told.
 */
export const replaceDream = (store: DreamStore, dream: DreamState | Timeline, options: { discrete?: boolean } = {}): void => {
  const tl = 'base' in dream && 'ahead' in dream ? dream : timelineOf(dream);
  store.setState((s) => ({ dream: viewOf(tl), base: tl.base, ahead: tl.ahead, ...(options.discrete === false ? {} : { revision: s.revision + 1 }) }));
};

/** Validate a preset and morph to it; on problems, show them and keep the current dream. */
export const loadPresetInto = (
  store: DreamStore,
  raw: unknown,
  source: string,
  options: ResolveOptions & { morphSeconds?: number } = {},
  /** How the load is applied: the runtime's bus (tagged with the input's source), or straight. */
  act: (action: Extract<DreamAction, { type: 'preset' }>) => unknown = (a) => apply(store, a),
): Preset => {
  const result = validatePreset(raw);
  if (!result.ok) {
    store.setState({ problems: { source, problems: result.problems } });
    throw new PresetProblemsError(source, result.problems);
  }
  const { morphSeconds = 0, seed, tiles } = options;
  const seconds = Number.isFinite(morphSeconds) ? Math.max(0, morphSeconds) : 0;
  act({ type: 'preset', preset: result.preset, seconds, ...(seed === undefined ? {} : { seed }), ...(tiles === undefined ? {} : { tiles }) });
  store.setState({ problems: null });
  return result.preset;
};
