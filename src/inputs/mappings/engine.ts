import { DREAMER_PARAMS, DreamInputError, getParam, PARAMS, resolvePath } from '../../model/index.ts';
import type { ParamSpec, ParamTable, Source } from '../../model/index.ts';
import { MAPPINGS_FORMAT, MAPPINGS_VERSION, mappingSchema, sourceKey, targetSchema, validateProfile } from '../../model/mapping.ts';
import type { ActionTarget, Mapping, MappingInput, MappingSource, MappingTarget, Profile } from '../../model/mapping.ts';
import type { Problem } from '../../model/preset.ts';
import { issuesToProblems } from '../../model/preset.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { listeners } from '../../lib/listeners.ts';
import { CATCH, freshEnvelope, freshTakeover, relativeSteps, shape, STEP_OF_TRAVEL, takeover, toPosition, toValue } from './response.ts';
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
  loadPreset?: (id: string, seconds: number, source: Source) => void;
  /** A tap of the tap tempo (a `tap` action target). */
  tap?: (source: Source) => void;
  /** Something could not be done (a locked input, a bad stored profile): one calm line. */
  say?: (message: string) => void;
  now?: () => number;
}

export const STORAGE_KEY = 'dreamscape.mappings';
export const LEARN_TIMEOUT_MS = 30_000;
/** Where a kept profile that could not be read is moved aside, so nothing saves over it. */
export const UNREAD_KEY = `${STORAGE_KEY}.unread`;

interface Live {
  mapping: Mapping;
  key: string;
  takeover: TakeoverState;
  envelope: EnvelopeState;
  down: boolean;
  last: MappingView['last'];
  /** Where this mapping last put its target (a control position) and when, for takeover. */
  sent: { position: number; at: number } | null;
  /** When a problem of this mapping was last said. */
  saidAt: number | null;
}

const SAY_EVERY_MS = 5000;

/** After this long (ms) the last value sent has been applied (a frame); a different one was moved by someone else. */
const SETTLE_MS = 150;

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
      deps.loadPreset(target.preset, target.seconds ?? 8, source);
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
    this.live[i] = { mapping: m, key: sourceKey(m.source), takeover: freshTakeover(), envelope: freshEnvelope(), down: false, last: old.last, sent: null, saidAt: null };
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

  /**
   * Replace the mappings with a profile's (or merge them in: a mapping of the same source and
   * target is replaced, the others kept; an id already taken gets a new one). All or nothing: on
   * any problem the mappings are as they were, and the problems say where.
   */
  import(raw: unknown, options: { merge?: boolean } = {}): Mapping[] {
    const r = validateProfile(raw);
    if (!r.ok) throw new MappingProblemsError(r.problems);
    const before = this.live.slice();
    if (!options.merge) this.live.length = 0;
    const checked: Mapping[] = [];
    const problems: Problem[] = [];
    r.profile.mappings.forEach((m, i) => {
      try {
        const same = this.live.findIndex((l) => sourceKey(l.mapping.source) === sourceKey(m.source) && JSON.stringify(l.mapping.target) === JSON.stringify(m.target));
        if (same >= 0) this.live.splice(same, 1);
        checked.push(this.addChecked(this.check(m, `$.mappings[${i}]`)));
      } catch (err) {
        if (!(err instanceof MappingProblemsError)) throw err;
        problems.push(...err.problems);
      }
    });
    if (problems.length) {
      this.live.length = 0;
      this.live.push(...before);
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
        // One line per mapping every few seconds: a fader sends dozens of messages a second.
        const at = this.now();
        if (l.saidAt === null || at - l.saidAt >= SAY_EVERY_MS) {
          l.saidAt = at;
          this.say(`mapping ${l.mapping.id}: ${(err as Error).message}`);
        }
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

  /**
   * The kept profile, at boot. One that cannot be read (made by a newer dreamscape, or broken) is
   * copied aside under STORAGE_KEY + '.unread' before anything is saved over it, and the performer
   * is told where it is.
   */
  private restore(): void {
    const text = this.deps.storage?.getItem(STORAGE_KEY) ?? null;
    if (!text) return;
    try {
      this.import(JSON.parse(text));
    } catch (err) {
      try {
        this.deps.storage?.setItem(UNREAD_KEY, text);
      } catch {
        /* the storage is full or refused: nothing more can be kept */
      }
      this.say(`the kept mappings could not be read (${(err as Error).message.split('\n')[0] ?? ''}); they are kept as ${UNREAD_KEY} in this browser's storage`);
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

  /**
   * A parameter target must be a row the table marks mappable (never safety.*). A dreamer's is
   * checked by its field: the dreamer is found when the control moves (a profile outlives presets).
   */
  private checkTarget(target: MappingTarget, where: string): void {
    if (typeof target !== 'string') return;
    const dreamer = /^dreamers\.[^.]+\.([a-z]+)$/.exec(target);
    const row: ParamSpec | undefined = dreamer ? (DREAMER_PARAMS as ParamTable)[dreamer[1] ?? ''] : (PARAMS as ParamTable)[target];
    if (row?.mappable === true) return;
    const message = row ? `${target} cannot be mapped (only the continuous parameters the table marks mappable; never safety)` : `unknown parameter path '${target}'`;
    throw new MappingProblemsError([{ path: where, message, expected: 'a mappable parameter path', found: JSON.stringify(target) }]);
  }

  private addChecked(m: Mapping): Mapping {
    this.live.push({ mapping: m, key: sourceKey(m.source), takeover: freshTakeover(), envelope: freshEnvelope(), down: false, last: null, sent: null, saidAt: null });
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
    // The listen input follows the beat with tempo actions itself (src/inputs/listen/drive.ts, BeatFollower).
    if (m.source.kind === 'listen' && m.source.feature === 'beat' && m.target === 'tempo') return;
    const { range, resolved } = this.rangeOf(m, m.target);
    const current = toPosition(m, range, getParam(this.runtime.store.getState().dream, resolved) as number);
    const shaped = m.attack !== undefined || m.release !== undefined || m.gate !== undefined ? shape(m, l.envelope, e.position, e.at ?? this.now()) : e.position;
    const encoding = m.source.kind === 'midi' ? m.source.encoding : undefined;
    const relative = encoding === 'relative-twos' || encoding === 'relative-offset';
    // Someone else moved the target since (a panel, a preset, an act): the control must take it over again.
    if (l.sent && this.now() - l.sent.at > SETTLE_MS && Math.abs(current - l.sent.position) > CATCH) l.takeover.engaged = false;
    const x = relative ? Math.min(1, Math.max(0, current + relativeSteps(encoding, e.raw) * STEP_OF_TRAVEL)) : takeover(m.takeover, l.takeover, shaped, current);
    if (x === null) {
      l.last = { raw: e.raw, value: 'waiting for pickup', at: this.now() };
      return;
    }
    const value = toValue(m, range, x);
    this.runtime.modulate(resolved, value, { source });
    l.last = { raw: e.raw, value, at: this.now() };
    l.sent = { position: x, at: this.now() };
  }
}

/** The engine for a runtime (kept as a function for the modules that make one). */
export const createMappingEngine = (runtime: EngineRuntime, deps: MappingDeps = {}): MappingEngine => new MappingEngine(runtime, deps);
