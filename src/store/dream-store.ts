import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import { parseAction, reduce, resolvePreset, tick, validatePreset } from '../model/index.ts';
import type { DreamAction, DreamState, Preset, Problem, ResolveOptions } from '../model/index.ts';

/**
 * The one store. The scene, the symphony, leva, the keys, the cues and the audience sync all
 * read and write the dream through it; none keeps its own copy of the truth.
 */
export interface DreamStoreState {
  dream: DreamState;
  /** The problems of the last preset that failed to load, shown on screen; the dream goes on. */
  problems: { source: string; problems: Problem[] } | null;
  /** Bumped on every change that did not come from the clock (for sync and panels). */
  revision: number;
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
  createStore<DreamStoreState>()(() => ({ dream: initial, problems: null, revision: 0, audioHere: true }));

/** Apply an action from outside: checked first, so a bad action throws a clear error and changes nothing. */
export const dispatch = (store: DreamStore, input: unknown): DreamState => {
  const action = parseAction(input);
  return apply(store, action);
};

/** Apply an action that is already well-formed (the model may still refuse it with an error). */
export const apply = (store: DreamStore, action: DreamAction): DreamState => {
  const { dream, revision } = store.getState();
  const next = reduce(dream, action);
  store.setState({ dream: next, revision: revision + 1 });
  return next;
};

/** Advance the dream clock; called by the clock, never per tile. */
export const advance = (store: DreamStore, dt: number): void => {
  const { dream } = store.getState();
  const next = tick(dream, dt);
  if (next !== dream) store.setState({ dream: next });
};

/** Replace the whole dream (an audience receiving the performer's state). */
export const replaceDream = (store: DreamStore, dream: DreamState): void => {
  store.setState((s) => ({ dream, revision: s.revision + 1 }));
};

/** Validate a preset and morph to it; on problems, show them and keep the current dream. */
export const loadPresetInto = (
  store: DreamStore,
  raw: unknown,
  source: string,
  options: ResolveOptions & { morphSeconds?: number } = {},
): Preset => {
  const result = validatePreset(raw);
  if (!result.ok) {
    store.setState({ problems: { source, problems: result.problems } });
    throw new PresetProblemsError(source, result.problems);
  }
  const { morphSeconds = 0, ...resolveOptions } = options;
  const current = store.getState().dream;
  const target = resolvePreset(result.preset, { seed: resolveOptions.seed ?? result.preset.seed ?? current.seed, ...resolveOptions });
  const seconds = Number.isFinite(morphSeconds) ? Math.max(0, morphSeconds) : 0;
  if (seconds === 0) {
    // An immediate switch keeps the running clock and the performer's safety settings.
    const dream = { ...target, clock: current.clock, beat: current.beat, safety: current.safety, output: current.output };
    store.setState((s) => ({ dream, problems: null, revision: s.revision + 1 }));
  } else {
    apply(store, { type: 'morph', to: target, seconds });
    store.setState({ problems: null });
  }
  return result.preset;
};
