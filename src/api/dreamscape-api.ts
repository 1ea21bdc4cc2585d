import { bundledPreset, bundledPresetIds } from '../store/bundled-presets.ts';
import { loadPresetInto, PresetProblemsError } from '../store/dream-store.ts';
import type { DreamClock } from '../store/clock.ts';
import type { Runtime, Source } from '../runtime/runtime.ts';
import type { DreamState, Problem } from '../model/index.ts';
import { describe, SOURCES } from '../model/index.ts';

export const API_VERSION = '0.1.0';

/** A JSON-serializable snapshot of the dream (what `state()` returns). */
export type DreamSnapshot = DreamState & { act: { index: number; name: string; elapsed: number; remaining: number; count: number } };

/** What every page has from boot. */
export interface DreamscapeCore {
  readonly version: string;
  presets(): string[];
  state(): DreamSnapshot;
  /** An action from a script (source `script`): checked, applied, logged. */
  dispatch(action: unknown): DreamSnapshot;
  /** Load a bundled preset (by id) or a preset object; `source` tags it in the show log (default 'script'). */
  loadPreset(preset: unknown, options?: { morphSeconds?: number; source?: Source }): Promise<DreamSnapshot>;
  /**
   * A continuous value for a parameter (a bridge's fader, CC or sound feature). Returns nothing;
   * throws on an unknown or non-continuous path; clamped; in state() after the next frame or
   * clock.step (also while paused); many calls in a frame are one change per parameter.
   */
  modulate(path: string, value: number, options?: { source?: Source }): void;
  readonly clock: Pick<DreamClock, 'pause' | 'resume' | 'step' | 'time'>;
  /** Call `listener` after every change of the dream (for bridges: MIDI, network, meters). */
  subscribe(listener: (dream: DreamState) => void): () => void;
}

/**
 * What the modules register on window.dreamscape as they start (the scene's stats, the symphony's
 * renderAudio, the sync's status, the show log's replay...). Each module declares its members here
 * by declaration merging (`declare module '…/dreamscape-api.ts' { interface DreamscapeModules
 * {…} }`), so the object is typed whole: no index signature, no casts on the way out. A member is
 * there once its module has started (the scene's once it mounted), hence optional.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DreamscapeModules {}

export type DreamscapeApi = DreamscapeCore & Partial<DreamscapeModules>;

/** Register a module's members; returns the function that takes them away again. */
export const registerApi = <K extends keyof DreamscapeModules>(api: DreamscapeApi, members: Pick<DreamscapeModules, K>): (() => void) => {
  Object.assign(api, members);
  return () => {
    for (const k of Object.keys(members) as K[]) if (api[k] === members[k]) delete api[k];
  };
};

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

export const createDreamscapeApi = (runtime: Runtime, options: DreamscapeApiOptions = {}): DreamscapeApi => {
  const { store, clock } = runtime;
  return {
  version: API_VERSION,
  presets: () => bundledPresetIds(),
  state: () => snapshot(store.getState().dream),
  dispatch: (action) => snapshot(runtime.dispatch(action, 'script')),
  modulate: (path, value, opts) => {
    runtime.modulate(path, value, opts);
  },
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
      const by: Source = options.source !== undefined && (SOURCES as readonly string[]).includes(options.source) ? options.source : 'script';
      loadPresetInto(store, raw, source, opts, (a) => runtime.act(a, by));
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
  };
};
