import { DreamInputError, getParam, resolvePath } from '../../model/index.ts';
import type { Source } from '../../model/index.ts';
import { MAPPINGS_FORMAT, MAPPINGS_VERSION, mappingSchema, sourceKey, targetSchema, validateProfile } from '../../model/mapping.ts';
import type { ActionTarget, Mapping, MappingInput, MappingSource, MappingTarget, Profile } from '../../model/mapping.ts';
import type { Problem } from '../../model/preset.ts';
import { issuesToProblems } from '../../model/preset.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { listeners } from '../../runtime/listeners.ts';
import { freshEnvelope, freshTakeover, relativeSteps, shape, STEP_OF_TRAVEL, takeover, toPosition, toValue } from './response.ts';
import type { EnvelopeState, Range, TakeoverState } from './response.ts';

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
  /** When it happened (ms; a sound feature's audio time): the clock of a mapping's attack and release. Default now. */
  at?: number;
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
  envelope: EnvelopeState;
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

type EngineRuntime = Pick<Runtime, 'store' | 'act' | 'modulate'>;

/** Fire an action target on the bus (or through the deps for a morph or a tap); returns its name. */
const fire = (runtime: EngineRuntime, deps: MappingDeps, target: ActionTarget, source: Source): string => {
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

const withPath = (problems: Problem[], where: string): Problem[] => problems.map((p) => ({ ...p, path: p.path.replace(/^\$/, where) }));

export class MappingEngine {
  private readonly live: Live[] = [];
  private readonly changed = listeners<[]>();
  private armed: Armed | null = null;
  private counter = 0;
  private readonly now: () => number;
  private readonly say: (message: string) => void;

  constructor(
    private readonly runtime: EngineRuntime,
    private readonly deps: MappingDeps = {},
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.say = deps.say ?? ((m: string) => console.warn(`[dreamscape] ${m}`));
    this.restore();
  }

  list(): MappingView[] {
    return this.live.map((l) => ({ ...l.mapping, last: l.last }));
  }

  /** Add a mapping (checked against the format and the dream's parameters); returns it with its id. */
  add(input: MappingInput): Mapping {
    const m = this.addChecked(this.check(input));
    this.save();
    return m;
  }

  update(id: string, patch: Partial<Omit<MappingInput, 'id'>>): Mapping {
    const i = this.live.findIndex((l) => l.mapping.id === id);
    const old = this.live[i];
    if (!old) throw new DreamInputError(`no mapping '${id}'`);
    const m = { ...this.check({ ...old.mapping, ...patch, id: undefined }), id };
    this.live[i] = { mapping: m, key: sourceKey(m.source), takeover: freshTakeover(), envelope: freshEnvelope(), down: false, last: old.last };
    this.save();
    return m;
  }

  remove(id: string): boolean {
    const i = this.live.findIndex((l) => l.mapping.id === id);
    if (i < 0) return false;
    this.live.splice(i, 1);
    this.save();
    return true;
  }

  /** Arm `target`: the next control that arrives is mapped to it (30 s, or until cancelLearn()). */
  learn(target: MappingTarget, timeoutMs = LEARN_TIMEOUT_MS): Promise<Mapping> {
    const t = targetSchema.safeParse(target);
    if (!t.success) return Promise.reject(new MappingProblemsError(withPath(issuesToProblems(t.error.issues), '$.target')));
    try {
      this.checkTarget(t.data, '$.target');
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.cancelLearn();
    return new Promise<Mapping>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.armed?.timer !== timer) return;
        this.armed = null;
        this.emit();
        reject(new Error(`learn: no control moved in ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.armed = { target: t.data, resolve, reject, timer };
      this.emit();
    });
  }

  cancelLearn(): void {
    const a = this.armed;
    if (!a) return;
    this.armed = null;
    clearTimeout(a.timer);
    a.reject(new Error('learn cancelled'));
    this.emit();
  }

  /** The target being learned, or null. */
  learning(): MappingTarget | null {
    return this.armed?.target ?? null;
  }

  export(): Profile {
    return { format: MAPPINGS_FORMAT, version: MAPPINGS_VERSION, mappings: this.live.map((l) => ({ ...l.mapping })) };
  }

  /** Replace the mappings with a profile's (or merge them in): all or nothing, with problems. */
  import(raw: unknown, options: { merge?: boolean } = {}): Mapping[] {
    const r = validateProfile(raw);
    if (!r.ok) throw new MappingProblemsError(r.problems);
    const kept = options.merge ? this.live.slice() : [];
    this.live.length = 0;
    this.live.push(...kept);
    const checked: Mapping[] = [];
    const problems: Problem[] = [];
    r.profile.mappings.forEach((m, i) => {
      try {
        const same = this.live.findIndex((l) => (m.id !== undefined && l.mapping.id === m.id) || (sourceKey(l.mapping.source) === sourceKey(m.source) && JSON.stringify(l.mapping.target) === JSON.stringify(m.target)));
        if (same >= 0) this.live.splice(same, 1);
        checked.push(this.addChecked(this.check(m, `$.mappings[${i}]`)));
      } catch (err) {
        if (!(err instanceof MappingProblemsError)) throw err;
        problems.push(...err.problems);
      }
    });
    if (problems.length) {
      this.live.length = 0;
      this.live.push(...kept);
      throw new MappingProblemsError(problems);
    }
    this.save();
    return checked;
  }

  /** What a control did: learn it if a target is armed, then drive every mapping it has. */
  control(e: ControlEvent): void {
    if (this.armed) this.learnFrom(e);
    const key = sourceKey(e.source);
    for (const l of this.live) {
      if (l.key !== key || !sourceMatches(l.mapping.source, e.source)) continue;
      try {
        this.drive(l, e);
      } catch (err) {
        this.say(`mapping ${l.mapping.id}: ${(err as Error).message}`);
      }
    }
  }

  /** Where the control of a parameter mapping would sit for the dream now (feedback, takeover). */
  positionOf(m: Mapping): number | null {
    if (typeof m.target !== 'string') return null;
    try {
      const { range, resolved } = this.rangeOf(m, m.target);
      return toPosition(m, range, getParam(this.runtime.store.getState().dream, resolved) as number);
    } catch {
      return null;
    }
  }

  /** Call `fn` after any change of the mappings or of learning. */
  onChange(fn: () => void): () => void {
    return this.changed.add(fn);
  }

  private emit(): void {
    this.changed.emit((err) => this.say(`mappings: ${(err as Error).message}`));
  }

  private learnFrom(e: ControlEvent): void {
    const a = this.armed;
    if (!a) return;
    this.armed = null;
    clearTimeout(a.timer);
    try {
      const m = this.addChecked(this.check({ source: e.source, target: a.target }));
      this.save();
      a.resolve(m);
    } catch (err) {
      a.reject(err as Error);
      this.emit();
    }
  }

  private nextId(): string {
    let id: string;
    do id = `m${(++this.counter).toString(36)}`;
    while (this.live.some((l) => l.mapping.id === id));
    return id;
  }

  private save(): void {
    try {
      this.deps.storage?.setItem(STORAGE_KEY, JSON.stringify(this.export()));
    } catch (err) {
      this.say(`the mappings could not be kept in this browser (${(err as Error).message}); export them to keep them`);
    }
    this.emit();
  }

  private restore(): void {
    const text = this.deps.storage?.getItem(STORAGE_KEY) ?? null;
    if (!text) return;
    try {
      this.import(JSON.parse(text));
    } catch (err) {
      this.say(`the kept mappings could not be read (${(err as Error).message.split('\n')[0] ?? ''}); they are left in storage untouched`);
    }
  }

  /** Check a mapping and the target it names against the dream now. */
  private check(input: unknown, where = '$'): Mapping {
    const parsed = mappingSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new MappingProblemsError(withPath(issuesToProblems(parsed.error.issues), where));
    const m = parsed.data;
    this.checkTarget(m.target, `${where}.target`);
    const id = m.id !== undefined && !this.live.some((l) => l.mapping.id === m.id) ? m.id : this.nextId();
    return { ...m, id };
  }

  /** A parameter target must be one the table marks mappable (never safety.*), on a dreamer that exists. */
  private checkTarget(target: MappingTarget, where: string): void {
    if (typeof target !== 'string') return;
    try {
      const r = resolvePath(this.runtime.store.getState().base, target);
      if (!r.spec.mappable) throw new DreamInputError(`${target} cannot be mapped (only the continuous parameters the table marks mappable; never safety)`, target);
    } catch (err) {
      throw new MappingProblemsError([{ path: where, message: (err as Error).message, expected: 'a mappable parameter path', found: JSON.stringify(target) }]);
    }
  }

  private addChecked(m: Mapping): Mapping {
    this.live.push({ mapping: m, key: sourceKey(m.source), takeover: freshTakeover(), envelope: freshEnvelope(), down: false, last: null });
    return m;
  }

  private rangeOf(m: Mapping, path: string): { range: Range; resolved: string } {
    const r = resolvePath(this.runtime.store.getState().base, path);
    if (r.spec.kind !== 'number') throw new DreamInputError(`${path} is not a number`, path);
    return { range: { min: m.min ?? r.spec.min, max: m.max ?? r.spec.max }, resolved: r.path };
  }

  private drive(l: Live, e: ControlEvent): void {
    const m = l.mapping;
    const source = TAG[m.source.kind];
    if (typeof m.target !== 'string') {
      // Actions fire on a press: a note on, a CC crossing 64 upward, every program change, a hit
      // (one that clears the mapping's gate).
      const program = m.source.kind === 'midi' && m.source.type === 'program';
      const pressed = e.pressed && (m.gate === undefined || e.position >= m.gate);
      const rising = pressed && (!l.down || program);
      l.down = pressed;
      if (rising) l.last = { raw: e.raw, value: fire(this.runtime, this.deps, m.target, source), at: this.now() };
      return;
    }
    // The listen input follows the beat with tempo actions itself (src/inputs/listen/follow.ts).
    if (m.source.kind === 'listen' && m.source.feature === 'beat' && m.target === 'tempo') return;
    const { range, resolved } = this.rangeOf(m, m.target);
    const current = toPosition(m, range, getParam(this.runtime.store.getState().dream, resolved) as number);
    const shaped = m.attack !== undefined || m.release !== undefined || m.gate !== undefined ? shape(m, l.envelope, e.position, e.at ?? this.now()) : e.position;
    const encoding = m.source.kind === 'midi' ? m.source.encoding : undefined;
    const relative = encoding === 'relative-twos' || encoding === 'relative-offset';
    const x = relative ? Math.min(1, Math.max(0, current + relativeSteps(encoding, e.raw) * STEP_OF_TRAVEL)) : takeover(m.takeover, l.takeover, shaped, current);
    if (x === null) {
      l.last = { raw: e.raw, value: 'waiting for pickup', at: this.now() };
      return;
    }
    const value = toValue(m, range, x);
    this.runtime.modulate(resolved, value, { source });
    l.last = { raw: e.raw, value, at: this.now() };
  }
}

/** The engine for a runtime (kept as a function for the modules that make one). */
export const createMappingEngine = (runtime: EngineRuntime, deps: MappingDeps = {}): MappingEngine => new MappingEngine(runtime, deps);
