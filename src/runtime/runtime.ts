import { coerce, describe, DreamInputError, isContinuous, parseAction, resolvePath, roundModulation, TIME_SNAP } from '../model/index.ts';
import type { DreamAction, DreamState, Source } from '../model/index.ts';
import { advance, advanceReplaying, apply, applyModulations } from '../store/dream-store.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { createDreamClock } from '../store/clock.ts';
import type { DreamClock, DreamClockOptions } from '../store/clock.ts';
import { listeners } from '../lib/listeners.ts';

/**
 * The one runtime: inputs → actions → store → outputs. Every input (keys, panels, cues, the
 * scripting API, the audience sync, and later MIDI, OSC, live sound) puts actions on one bus, each
 * tagged with its source and stamped with the dream time at which it applies; continuous values
 * are coalesced to at most one per parameter per frame. Outputs (the picture, the symphony, the
 * relay, the log) are modules that subscribe; a module's start returns the stop that releases
 * everything it made.
 */
export { SOURCES } from '../model/index.ts';
export type { Source } from '../model/index.ts';

/** What goes on the bus and into a show log: the model's actions but the internal morph. */
export type BusAction = Exclude<DreamAction, { type: 'morph' }>;

export interface BusEntry {
  /** The dream time at which it applied (the time of the step it applied at). */
  t: number;
  source: Source;
  action: BusAction;
}

export interface RuntimeModule {
  /** A name for errors and stats. */
  readonly name: string;
  /** Start: returns the stop that releases everything the module made. */
  start(runtime: Runtime): () => void;
}

/**
 * A replayed log steps the dream (src/log/player.ts): it applies its entries due at each step,
 * before the step and at the step the clock stops on, and says what kind of change that was.
 */
export interface StepHook {
  due(base: DreamState): DreamState;
  /** What the entries applied since the last call were: discrete actions, continuous values. */
  changed(): { discrete: boolean; continuous: boolean };
}

export interface Runtime {
  readonly store: DreamStore;
  readonly clock: DreamClock;
  /** Check an action from outside (throws a DreamInputError that says what is wrong) and apply it. */
  dispatch(input: unknown, source: Source): DreamState;
  /** Apply a well-formed action. */
  act(action: BusAction, source: Source): DreamState;
  /**
   * A continuous control's value. Throws on an unknown path or one that is not continuous;
   * clamped to the parameter's range; the latest value of each parameter is applied at the next
   * frame or clock step (also while paused), as one change that is not discrete.
   */
  modulate(path: string, value: number, options?: { source?: Source }): void;
  /** Every action as applied, and every frame's coalesced values, stamped with their dream time. */
  onEntry(fn: (entry: BusEntry) => void): () => void;
  /**
   * Turn live inputs off (a log is playing): every source but `replay` is refused with `reason`
   * until the returned release is called.
   */
  lockInputs(reason: string): () => void;
  /** Why live inputs are off, or null while they are on. */
  inputsLocked(): string | null;
  /** Let a replayed log apply its entries at each step of the clock (null: none). */
  setStepHook(hook: StepHook | null): void;
  /** Start a module; its stop runs on the returned function or on dispose. */
  start(module: RuntimeModule): () => void;
  dispose(): void;
}

export interface RuntimeOptions {
  /** A part that throws (a renderer, a listener, a module) is reported here and the show goes on. */
  onError?: (error: unknown) => void;
  clock?: Omit<DreamClockOptions, 'onError' | 'beforeAdvance' | 'advance'>;
}

/** The frame's continuous values (the latest per path), applied together at the base before the clock moves. */
const createModulations = (store: DreamStore, report: (e: unknown) => void, emit: (entry: BusEntry) => void) => {
  const pending = new Map<string, { value: number; source: Source }>();
  return {
    set: (path: string, value: number, source: Source) => pending.set(path, { value, source }),
    clear: () => pending.clear(),
    flush: () => {
      if (pending.size === 0) return;
      const t = store.getState().base.clock;
      const batch = [...pending].map(([path, { value, source }]) => ({ source, action: { type: 'modulate' as const, path, value } }));
      pending.clear();
      const failed = applyModulations(store, batch.map((b) => b.action));
      for (const e of failed.values()) report(e);
      // Only what was applied is kept: a replay gives what the show gave.
      batch.forEach((b, i) => {
        if (!failed.has(i)) emit({ t, ...b });
      });
    },
  };
};

/** The modules started on the runtime: each stopped once, the last started first; one that throws is reported. */
const createModules = (report: (e: unknown) => void) => {
  const stops = new Set<() => void>();
  return {
    start: (module: RuntimeModule, runtime: Runtime): (() => void) => {
      let stop: (() => void) | null = null;
      try {
        stop = module.start(runtime);
      } catch (e) {
        report(new Error(`${module.name} did not start: ${e instanceof Error ? e.message : String(e)}`));
        return () => undefined;
      }
      const once = () => {
        if (!stops.delete(once)) return;
        try {
          stop?.();
        } catch (e) {
          report(e);
        }
      };
      stops.add(once);
      return once;
    },
    stopAll: () => {
      for (const stop of [...stops].reverse()) stop();
    },
  };
};

export const createRuntime = (store: DreamStore, options: RuntimeOptions = {}): Runtime => {
  const entries = listeners<[BusEntry]>();
  const report = options.onError ?? ((e: unknown) => console.error(e));
  let lock: string | null = null;
  let stepHook: StepHook | null = null;
  const modules = createModules(report);
  const emit = (entry: BusEntry) => entries.emit(entry, report);
  const pending = createModulations(store, report, emit);
  /** Panic and recover, and the performer's safety settings, are never refused: not even in a replay. */
  const alwaysAllowed = (action: BusAction | null) =>
    action !== null && (action.type === 'panic' || action.type === 'recover' || (action.type === 'set' && /^safety\./.test(action.path)));
  const refuseIfLocked = (source: Source, action: BusAction | null = null) => {
    if (lock !== null && source !== 'replay' && !alwaysAllowed(action)) throw new DreamInputError(lock);
  };
  const clock = createDreamClock(store, {
    ...options.clock,
    onError: report,
    beforeAdvance: pending.flush,
    advance: (dt) => {
      if (!stepHook) return advance(store, dt);
      // Past a step, entries due at it apply now (exactly at a step, before the next one: see replayTo).
      advanceReplaying(store, dt, stepHook.due, stepHook.changed, (ahead) => ahead > TIME_SNAP);
    },
  });

  const act = (action: BusAction, source: Source): DreamState => {
    refuseIfLocked(source, action);
    const t = store.getState().base.clock;
    const dream = apply(store, action);
    emit({ t, source, action });
    return dream;
  };

  const runtime: Runtime = {
    store,
    clock,
    dispatch: (input, source) => {
      const action = parseAction(input);
      if (action.type === 'morph') throw new DreamInputError('morph: use loadPreset');
      // A continuous value from outside takes the continuous way: coalesced per frame, not discrete.
      if (action.type === 'modulate') {
        runtime.modulate(action.path, action.value, { source });
        return store.getState().dream;
      }
      return act(action, source);
    },
    act,
    modulate: (path, value, opts = {}) => {
      const source = opts.source ?? 'script';
      const r = resolvePath(store.getState().base, path);
      if (!isContinuous(r)) throw new DreamInputError(`modulate: ${path} is not a continuous parameter (numbers only; not integers such as mosaic.tiles, not enums, booleans, colours or safety settings): use dispatch({type:'set'})`, path);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new DreamInputError(`modulate: ${path} expects a finite number, got ${describe(value)}`, path);
      refuseIfLocked(source);
      pending.set(r.path, roundModulation(coerce(r.spec, value, path) as number), source);
    },
    onEntry: entries.add,
    lockInputs: (reason) => {
      lock = reason;
      pending.clear();
      return () => {
        if (lock === reason) lock = null;
      };
    },
    inputsLocked: () => lock,
    setStepHook: (hook) => {
      stepHook = hook;
    },
    start: (module) => modules.start(module, runtime),
    dispose: () => {
      modules.stopAll();
      entries.clear();
    },
  };
  return runtime;
};
