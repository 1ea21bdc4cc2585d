import { bundledPreset, bundledPresetIds } from '../store/bundled-presets.ts';
import { dispatch, loadPresetInto, PresetProblemsError } from '../store/dream-store.ts';
import type { DreamStore } from '../store/dream-store.ts';
import type { DreamClock } from '../store/clock.ts';
import type { DreamState, Problem } from '../model/index.ts';
import { describe } from '../model/index.ts';

export const API_VERSION = '0.1.0';

/** A JSON-serializable snapshot of the dream (what `state()` returns). */
export type DreamSnapshot = DreamState & { act: { index: number; name: string; elapsed: number; remaining: number; count: number } };

export interface DreamscapeApi {
  readonly version: string;
  presets(): string[];
  state(): DreamSnapshot;
  dispatch(action: unknown): DreamSnapshot;
  loadPreset(preset: unknown, options?: { morphSeconds?: number }): Promise<DreamSnapshot>;
  readonly clock: Pick<DreamClock, 'pause' | 'resume' | 'step' | 'time'>;
  /** Call `listener` after every change of the dream (for bridges: MIDI, network, meters). */
  subscribe(listener: (dream: DreamState) => void): () => void;
  /** Added by the scene and the symphony as they mount. */
  [extension: string]: unknown;
}

export const snapshot = (dream: DreamState): DreamSnapshot => {
  const act = dream.acts[dream.show.index];
  const copy = structuredClone(dream) as DreamSnapshot;
  copy.act = {
    index: dream.show.index,
    name: act?.name ?? '',
    elapsed: dream.show.elapsed,
    remaining: act ? Math.max(0, act.duration - dream.show.elapsed) : 0,
    count: dream.acts.length,
  };
  return copy;
};

/** The error a rejected loadPreset gives: the validation problems, each with path and message. */
export class LoadPresetError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.name = 'LoadPresetError';
  }
}

export interface DreamscapeApiOptions {
  /** A subscriber that throws is reported here; the store's other listeners still run. */
  onListenerError?: (error: unknown) => void;
}

export const createDreamscapeApi = (store: DreamStore, clock: DreamClock, options: DreamscapeApiOptions = {}): DreamscapeApi => ({
  version: API_VERSION,
  presets: () => bundledPresetIds(),
  state: () => snapshot(store.getState().dream),
  dispatch: (action) => snapshot(dispatch(store, action)),
  loadPreset: async (preset, options = {}) => {
    let raw: unknown = preset;
    let source = 'preset object';
    if (typeof preset === 'string') {
      raw = bundledPreset(preset);
      source = preset;
      if (!raw) {
        const problems: Problem[] = [{ path: '$', message: `no bundled preset '${preset}'; bundled: ${bundledPresetIds().join(', ')}`, expected: 'a bundled preset id or a preset object', found: describe(preset) }];
        store.setState({ problems: { source, problems } });
        throw new LoadPresetError(problems);
      }
    }
    try {
      const opts = options.morphSeconds === undefined ? {} : { morphSeconds: options.morphSeconds };
      loadPresetInto(store, raw, source, opts);
    } catch (err) {
      if (err instanceof PresetProblemsError) throw new LoadPresetError(err.problems);
      throw err;
    }
    return snapshot(store.getState().dream);
  },
  clock: { pause: clock.pause, resume: clock.resume, step: clock.step, time: clock.time },
  subscribe: (listener) =>
    store.subscribe((s, prev) => {
      if (s.dream === prev.dream) return;
      // A bridge's bug must not stop the listeners after it (the scene, the symphony, the sync).
      try {
        listener(s.dream);
      } catch (error) {
        if (!options.onListenerError) throw error;
        options.onListenerError(error);
      }
    }),
});
