import { DreamInputError, getParam, resolvePath } from '../../model/index.ts';
import type { Source } from '../../model/index.ts';
import { MAPPINGS_FORMAT, MAPPINGS_VERSION, mappingSchema, sourceKey, targetSchema, validateProfile } from '../../model/mapping.ts';
import type { ActionTarget, Mapping, MappingInput, MappingSource, MappingTarget, Profile } from '../../model/mapping.ts';
import type { Problem } from '../../model/preset.ts';
import { issuesToProblems } from '../../model/preset.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { listeners } from '../../runtime/listeners.ts';
import { freshTakeover, relativeSteps, STEP_OF_TRAVEL, takeover, toPosition, toValue } from './response.ts';
import type { Range, TakeoverState } from './response.ts';

/**
 * One mapping system for every source. An input (MIDI, OSC, the sound the dream hears) turns what
 * arrived into a ControlEvent and calls `control(event)`; the engine finds the mappings of that
 * control and drives the dream: a continuous target through `modulate` (coalesced per frame, in
 * the log as the source's sweep), an action on a press through the bus, both tagged with the
 * source's kind. Learning arms a target and maps the next control that arrives.
 */

/** What a control did, as an input reports it. */
export interface ControlEvent {
  /** The control as it is: a MIDI control with its port, channel and number; an OSC address; a sound feature. */
  source: MappingSource;
  /** Its position 0..1 (a fader, a CC, a note's velocity, pitch bend, a feature's level). */
  position: number;
  /** The value as it came (a CC's 0-127, a 14-bit value): relative encoders are decoded from it. */
  raw: number;
  /** A press: a note on, a CC at or above 64, a program change, a hit. */
  pressed: boolean;
}

export interface MappingView extends Mapping {
  /** The last value this mapping gave its target (in the target's units) or the action it fired. */
  last: { raw: number; value: number | string; at: number } | null;
}

export class MappingProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.name = 'MappingProblemsError';
  }
}

export interface MappingDeps {
  /** Where the profile is kept across reloads (localStorage); null keeps it in memory only. */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Morph to a bundled preset (a `morph` action target). */
  loadPreset?: (id: string, seconds: number) => void;
  /** A tap of the tap tempo (a `tap` action target). */
  tap?: (source: Source) => void;
  /** Something could not be done (a locked input, a bad stored profile): one calm line. */
  say?: (message: string) => void;
  now?: () => number;
}

export const STORAGE_KEY = 'dreamscape.mappings';
export const LEARN_TIMEOUT_MS = 30_000;

interface Live {
  mapping: Mapping;
  key: string;
  takeover: TakeoverState;
  down: boolean;
  last: MappingView['last'];
}

interface Armed {
  target: MappingTarget;
  resolve: (m: Mapping) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const TAG: Record<MappingSource['kind'], Source> = { midi: 'midi', osc: 'osc', listen: 'listen' };

/** Does a mapping's source take this control? (A mapping without a port takes any port.) */
export const sourceMatches = (m: MappingSource, c: MappingSource): boolean => {
  if (sourceKey(m) !== sourceKey(c)) return false;
  return !(m.kind === 'midi' && c.kind === 'midi' && m.port !== undefined && m.port !== c.port);
};

export type MappingEngine = ReturnType<typeof createMappingEngine>;

export const createMappingEngine = (runtime: Pick<Runtime, 'store' | 'act' | 'modulate'>, deps: MappingDeps = {}) => {
  const now = deps.now ?? (() => performance.now());
  const say = deps.say ?? ((m: string) => console.warn(`[dreamscape] ${m}`));
  const live: Live[] = [];
  const changed = listeners<[]>();
  const report = (err: unknown): void => say(`mappings: ${(err as Error).message}`);
  let armed: Armed | null = null;
  let counter = 0;

  const nextId = (): string => {
    let id: string;
    do id = `m${(++counter).toString(36)}`;
    while (live.some((l) => l.mapping.id === id));
    return id;
  };

  const save = (): void => {
    try {
      deps.storage?.setItem(STORAGE_KEY, JSON.stringify(exportProfile()));
    } catch (err) {
      say(`the mappings could not be kept in this browser (${(err as Error).message}); export them to keep them`);
    }
    changed.emit(report);
  };

  /** Check a mapping and the target it names against the dream now. */
  const check = (input: unknown, where = '$'): Mapping => {
    const parsed = mappingSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new MappingProblemsError(issuesToProblems(parsed.error.issues).map((p) => ({ ...p, path: p.path.replace(/^\$/, where) })));
    const m = parsed.data;
    if (typeof m.target === 'string') {
      try {
        const r = resolvePath(runtime.store.getState().base, m.target);
        if (!r.spec.mappable) throw new DreamInputError(`${m.target} cannot be mapped (only the continuous parameters the table marks mappable; never safety)`, m.target);
      } catch (err) {
        throw new MappingProblemsError([{ path: `${where}.target`, message: (err as Error).message, expected: 'a mappable parameter path', found: JSON.stringify(m.target) }]);
      }
    }
    return { ...m, id: m.id && !live.some((l) => l.mapping.id === m.id) ? m.id : nextId() };
  };

  const addChecked = (m: Mapping): Mapping => {
    live.push({ mapping: m, key: sourceKey(m.source), takeover: freshTakeover(), down: false, last: null });
    return m;
  };

  const rangeOf = (m: Mapping, path: string): { range: Range; resolved: string } => {
    const r = resolvePath(runtime.store.getState().base, path);
    if (r.spec.kind !== 'number') throw new DreamInputError(`${path} is not a number`, path);
    return { range: { min: m.min ?? r.spec.min, max: m.max ?? r.spec.max }, resolved: r.path };
  };

  /** Where the control of a parameter mapping would sit for the dream now (feedback, takeover). */
  const positionOf = (m: Mapping): number | null => {
    if (typeof m.target !== 'string') return null;
    try {
      const { range, resolved } = rangeOf(m, m.target);
      return toPosition(m, range, getParam(runtime.store.getState().dream, resolved) as number);
    } catch {
      return null;
    }
  };

  const fire = (target: ActionTarget, source: Source): string => {
    switch (target.action) {
      case 'fracture':
      case 'glitch':
        runtime.act(target.amount === undefined ? { type: target.action } : { type: target.action, amount: target.amount }, source);
        break;
      case 'restabilize':
        runtime.act(target.seconds === undefined ? { type: 'restabilize' } : { type: 'restabilize', seconds: target.seconds }, source);
        break;
      case 'act':
        runtime.act({ type: 'act', to: target.to }, source);
        break;
      case 'panic':
      case 'recover':
        runtime.act({ type: target.action }, source);
        break;
      case 'morph':
        if (!deps.loadPreset) throw new Error('morphing to a preset is not available here');
        deps.loadPreset(target.preset, target.seconds ?? 8);
        break;
      case 'tap':
        if (!deps.tap) throw new Error('tap tempo is not available here');
        deps.tap(source);
        break;
    }
    return target.action;
  };

  const drive = (l: Live, e: ControlEvent): void => {
    const m = l.mapping;
    const source = TAG[m.source.kind];
    if (typeof m.target !== 'string') {
      // Actions fire on a press: a note on, a CC crossing 64 upward, every program change, a hit.
      const program = m.source.kind === 'midi' && m.source.type === 'program';
      const rising = e.pressed && (!l.down || program);
      l.down = e.pressed;
      if (rising) l.last = { raw: e.raw, value: fire(m.target, source), at: now() };
      return;
    }
    const { range, resolved } = rangeOf(m, m.target);
    const current = toPosition(m, range, getParam(runtime.store.getState().dream, resolved) as number);
    const encoding = m.source.kind === 'midi' ? m.source.encoding : undefined;
    let x: number | null;
    if (encoding === 'relative-twos' || encoding === 'relative-offset') {
      x = Math.min(1, Math.max(0, current + relativeSteps(encoding, e.raw) * STEP_OF_TRAVEL));
    } else {
      x = takeover(m.takeover, l.takeover, e.position, current);
    }
    if (x === null) {
      l.last = { raw: e.raw, value: 'waiting for pickup', at: now() };
      return;
    }
    const value = toValue(m, range, m.invert && encoding?.startsWith('relative') ? 1 - x : x);
    runtime.modulate(resolved, value, { source });
    l.last = { raw: e.raw, value, at: now() };
  };

  const control = (e: ControlEvent): void => {
    if (armed) {
      const a = armed;
      armed = null;
      clearTimeout(a.timer);
      try {
        const m = addChecked(check({ source: e.source, target: a.target }));
        save();
        a.resolve(m);
      } catch (err) {
        a.reject(err as Error);
      }
    }
    const key = sourceKey(e.source);
    for (const l of live) {
      if (l.key !== key || !sourceMatches(l.mapping.source, e.source)) continue;
      try {
        drive(l, e);
      } catch (err) {
        say(`mapping ${l.mapping.id}: ${(err as Error).message}`);
      }
    }
  };

  const exportProfile = (): Profile => ({ format: MAPPINGS_FORMAT, version: MAPPINGS_VERSION, mappings: live.map((l) => ({ ...l.mapping })) });

  const importProfile = (raw: unknown, options: { merge?: boolean } = {}): Mapping[] => {
    const r = validateProfile(raw);
    if (!r.ok) throw new MappingProblemsError(r.problems);
    const checked: Mapping[] = [];
    const problems: Problem[] = [];
    const kept = options.merge ? live.slice() : [];
    live.length = 0;
    live.push(...kept);
    r.profile.mappings.forEach((m, i) => {
      try {
        const same = live.findIndex((l) => (m.id !== undefined && l.mapping.id === m.id) || (sourceKey(l.mapping.source) === sourceKey(m.source) && JSON.stringify(l.mapping.target) === JSON.stringify(m.target)));
        if (same >= 0) live.splice(same, 1);
        checked.push(addChecked(check(m, `$.mappings[${i}]`)));
      } catch (err) {
        if (err instanceof MappingProblemsError) problems.push(...err.problems);
        else throw err;
      }
    });
    if (problems.length) {
      // All or nothing: put back what was there.
      live.length = 0;
      live.push(...kept);
      throw new MappingProblemsError(problems);
    }
    save();
    return checked;
  };

  const restore = (): void => {
    const text = deps.storage?.getItem(STORAGE_KEY) ?? null;
    if (!text) return;
    try {
      importProfile(JSON.parse(text));
    } catch (err) {
      say(`the kept mappings could not be read (${(err as Error).message.split('\n')[0]}); they are left in storage untouched`);
    }
  };

  const api = {
    list: (): MappingView[] => live.map((l) => ({ ...l.mapping, last: l.last })),
    add: (input: MappingInput): Mapping => {
      const m = addChecked(check(input));
      save();
      return m;
    },
    update: (id: string, patch: Partial<Omit<MappingInput, 'id'>>): Mapping => {
      const i = live.findIndex((l) => l.mapping.id === id);
      if (i < 0) throw new DreamInputError(`no mapping '${id}'`);
      const m = { ...check({ ...live[i]!.mapping, ...patch, id: undefined }), id };
      live[i] = { mapping: m, key: sourceKey(m.source), takeover: freshTakeover(), down: false, last: live[i]!.last };
      save();
      return m;
    },
    remove: (id: string): boolean => {
      const i = live.findIndex((l) => l.mapping.id === id);
      if (i < 0) return false;
      live.splice(i, 1);
      save();
      return true;
    },
    learn: (target: MappingTarget, timeoutMs = LEARN_TIMEOUT_MS): Promise<Mapping> => {
      const t = targetSchema.safeParse(target);
      if (!t.success) return Promise.reject(new MappingProblemsError(issuesToProblems(t.error.issues).map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.target') }))));
      api.cancelLearn();
      return new Promise<Mapping>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (armed?.timer !== timer) return;
          armed = null;
          changed.emit(report);
          reject(new Error(`learn: no control moved in ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        armed = { target: t.data, resolve, reject, timer };
        changed.emit(report);
      });
    },
    cancelLearn: (): void => {
      if (!armed) return;
      const a = armed;
      armed = null;
      clearTimeout(a.timer);
      a.reject(new Error('learn cancelled'));
      changed.emit(report);
    },
    /** The target being learned, or null. */
    learning: (): MappingTarget | null => armed?.target ?? null,
    export: exportProfile,
    import: importProfile,
    control,
    positionOf,
    /** Call `fn` after any change of the mappings or of learning. */
    onChange: changed.add,
  };
  restore();
  return api;
};
