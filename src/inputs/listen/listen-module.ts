import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import type { Mapping } from '../../model/mapping.ts';
import type { Runtime, RuntimeModule } from '../../runtime/runtime.ts';
import type { MappingEngine } from '../mappings/engine.ts';
import { BeatFollower, controlEvent, ListenLearner } from './drive.ts';
import type { ListenSource } from './drive.ts';
import { hopFor } from './features.ts';
import type { FeatureFrame } from './features.ts';
import type { ListenFrameMessage } from './protocol.ts';
import { listInputs, ListenRefusedError, openInput, openSymphony } from './source.ts';
import type { ListenInput, OpenedSource } from './source.ts';

export interface ListenStartOptions {
  source: 'input' | 'symphony';
  /** An input's id from inputs() (default: the browser's default input). */
  device?: string;
  /** A channel of a multichannel interface, or a pair, counted from 1 (default: all, mixed). */
  channel?: number | [number, number];
  /** The input trim in dB (default 0). */
  trimDb?: number;
}

export interface ListenStatus {
  state: 'off' | 'starting' | 'on';
  source: 'input' | 'symphony' | null;
  /** Why listening stopped or was refused, or why the beat is not followed; '' when all is well. */
  why: string;
  trimDb: number;
  /** The analysis hop in samples and ms, and the sample rate (0 before it starts). */
  hop: number;
  hopMs: number;
  sampleRate: number;
  /** The dream follows the heard beat (a beat → tempo mapping, confident beat). */
  following: boolean;
}

/** What the listening costs and how late it is (the bench reads it). */
export interface ListenStats {
  frames: number;
  /** Main-thread ms spent on the frames (receiving, driving the mappings). */
  mainMs: number;
  /** The last frame: when its first sample reached the worklet, and when the main thread had driven it (ms since the epoch). */
  heard: number;
  driven: number;
  /** For each of the last 512 frames: ms from its sound reaching the worklet to its mappings driven on the main thread. */
  lateness: number[];
}

export interface ListenApi {
  inputs(): Promise<ListenInput[]>;
  /** Resolves when the features flow; rejects with a reason (the show goes on). */
  start(options: ListenStartOptions): Promise<ListenStatus>;
  stop(): void;
  /** The latest frame of features (null before listening). */
  features(): FeatureFrame | null;
  /** The frames of about the last 10 s, oldest first, each with when its sound reached the analysis (`heard`, ms since the epoch): the meters' history, and every frame for a reader that polls slower than the hop. */
  recent(): HeardFrame[];
  setTrim(db: number): void;
  status(): ListenStatus;
  stats(): ListenStats;
}

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** The dream listens: `inputs()`, `start({source, device?, channel?})`, `stop()`, `features()`. */
    listen: ListenApi;
  }
}

export type HeardFrame = FeatureFrame & { heard: number };

/** Frames kept for recent(): about 10 s at a 10 ms hop. */
const RECENT = 1024;

export interface ListenDeps {
  engine(): MappingEngine | null;
  say(message: string): void;
}

/** Features flow within this long of start(), or it is refused. */
const FLOW_TIMEOUT_MS = 5000;

const isBeatFollow = (m: Mapping): boolean => m.source.kind === 'listen' && m.source.feature === 'beat' && m.source.on === undefined && m.target === 'tempo';

/** The listen sources the mappings use (recomputed when the mappings change, not per hop). */
const mappedSources = (engine: MappingEngine | null): { sources: ListenSource[]; follow: boolean } => {
  const sources = new Map<string, ListenSource>();
  let follow = false;
  for (const m of engine?.list() ?? []) {
    if (m.source.kind !== 'listen') continue;
    if (isBeatFollow(m)) follow = true;
    sources.set(`${m.source.feature}:${m.source.on ?? ''}`, m.source);
  }
  return { sources: [...sources.values()], follow };
};

const learnKind = (target: unknown): 'action' | 'tempo' | 'parameter' => (typeof target !== 'string' ? 'action' : target === 'tempo' ? 'tempo' : 'parameter');

/** The frames of about the last 10 s (recent()), kept in a ring. */
class Recent {
  private readonly ring: HeardFrame[] = [];
  private at = 0;

  push(f: HeardFrame): void {
    if (this.ring.length < RECENT) this.ring.push(f);
    else this.ring[this.at] = f;
    this.at = (this.at + 1) % RECENT;
  }

  list(): HeardFrame[] {
    return this.ring.length < RECENT ? this.ring.slice() : [...this.ring.slice(this.at), ...this.ring.slice(0, this.at)];
  }

  clear(): void {
    this.ring.length = 0;
    this.at = 0;
  }
}

/**
 * The listening input: the source, the worklet's frames turned into the mappings' control events
 * (tagged `listen`), learning, and the beat followed as the dream's tempo. Only what the mappings
 * do reaches the bus and the log, never the raw features.
 */
class Listener {
  runtime: Runtime | null = null;
  private opened: OpenedSource | null = null;
  private latest: FeatureFrame | null = null;
  private readonly recent = new Recent();
  private status: ListenStatus = { state: 'off', source: null, why: '', trimDb: 0, hop: 0, hopMs: 0, sampleRate: 0, following: false };
  private readonly stats: ListenStats = { frames: 0, mainMs: 0, heard: 0, driven: 0, lateness: [] };
  mapped = mappedSources(null);
  private readonly learner = new ListenLearner();
  private readonly follower = new BeatFollower();
  private refusedFollow = false;
  private flowing: (() => void) | null = null;
  /** Refuses a start still waiting for sound (a stop or a later start came first). */
  private unflow: (() => void) | null = null;
  /** Each start's number: a start that finds a later one has superseded it closes what it opened. */
  private generation = 0;
  /** The follower's tempo action was refused (a show log playing): said once. */
  private tempoRefused = false;

  constructor(
    private readonly api: DreamscapeApi,
    private readonly deps: ListenDeps,
  ) {}

  /** One frame from the worklet: kept, then driven through the mappings (or learned from). */
  drive(m: ListenFrameMessage): void {
    const t0 = performance.now();
    this.latest = m.frame;
    this.recent.push(Object.assign(m.frame, { heard: m.heard }));
    this.stats.frames++;
    this.flowing?.();
    const engine = this.deps.engine();
    const r = this.runtime;
    if (engine && r) {
      const target = engine.learning();
      if (target !== null) {
        const e = this.learner.add(m.frame, learnKind(target));
        if (e) engine.control(e);
      } else {
        this.learner.reset();
        for (const s of this.mapped.sources) engine.control(controlEvent(s, m.frame));
        this.follow(r, m.frame, m.heard);
      }
    }
    this.stats.heard = m.heard;
    this.stats.driven = Date.now();
    this.stats.lateness.push(this.stats.driven - m.heard);
    if (this.stats.lateness.length > 512) this.stats.lateness.shift();
    this.stats.mainMs += performance.now() - t0;
  }

  /** The beat → tempo mapping: tempo actions while the beat is confident (never from the symphony itself). */
  private follow(r: Runtime, f: FeatureFrame, heard: number): void {
    if (!this.mapped.follow) {
      if (this.follower.following()) this.actAll(r, this.follower.release());
      return;
    }
    if (this.status.source === 'symphony') {
      if (!this.refusedFollow) this.deps.say('listen: beat → tempo is not followed while listening to the symphony itself (the dream would follow its own echo)');
      this.refusedFollow = true;
      this.status = { ...this.status, why: 'beat → tempo is refused while listening to the symphony itself (a loop)' };
      return;
    }
    const d = r.store.getState().dream;
    this.actAll(r, this.follower.update(f, Math.max(0, Date.now() - heard) / 1000, { tempo: d.tempo, beat: d.beat, tempoHold: d.show.tempoHold }));
  }

  /**
   * The follower's tempo actions on the bus. A refusal (a show log playing: live inputs locked) is
   * said once, not thrown at the worklet's message handler once a beat.
   */
  private actAll(r: Runtime, actions: Iterable<Parameters<Runtime['act']>[0]>): void {
    for (const a of actions) {
      try {
        r.act(a, 'listen');
        this.tempoRefused = false;
      } catch (err) {
        if (!this.tempoRefused) this.deps.say(`listen: the heard beat is not followed: ${(err as Error).message}`);
        this.tempoRefused = true;
      }
    }
  }

  stop(why = ''): void {
    this.generation++;
    this.unflow?.();
    this.unflow = null;
    this.opened?.close();
    this.opened = null;
    this.latest = null;
    this.recent.clear();
    this.flowing = null;
    if (this.runtime && this.follower.following()) this.actAll(this.runtime, this.follower.release());
    this.status = { ...this.status, state: 'off', source: null, why, following: false };
  }

  private async open(o: ListenStartOptions, trim: number): Promise<OpenedSource> {
    if (o.source === 'symphony') {
      if (this.runtime?.store.getState().audioHere === false) throw new ListenRefusedError('the symphony plays in another window: this one hears nothing to listen to');
      if (!this.api.symphony?.rawContext()) throw new ListenRefusedError('the symphony is not playing in this window yet: enter the dream first');
      return openSymphony(trim);
    }
    return openInput({ trim, ...(o.device === undefined ? {} : { device: o.device }), ...(o.channel === undefined ? {} : { channel: o.channel }) });
  }

  /** Features flowing, or a refusal after FLOW_TIMEOUT_MS. */
  private flow(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ListenRefusedError('no sound reached the analysis within 5 s')), FLOW_TIMEOUT_MS);
      this.flowing = () => {
        clearTimeout(timer);
        this.flowing = null;
        resolve();
      };
      this.unflow = () => {
        clearTimeout(timer);
        reject(new ListenRefusedError('stopped before sound flowed'));
      };
    });
  }

  async start(o: ListenStartOptions): Promise<ListenStatus> {
    this.stop();
    // A later start or a stop supersedes this one: what it opened is closed, its timer refused.
    const generation = ++this.generation;
    const wanted = o.trimDb ?? this.status.trimDb;
    const trimDb = Number.isFinite(wanted) ? Math.max(-24, Math.min(24, wanted)) : 0;
    this.status = { ...this.status, state: 'starting', source: o.source, why: '', trimDb };
    this.refusedFollow = false;
    try {
      const s = await this.open(o, 10 ** (trimDb / 20));
      if (generation !== this.generation) {
        s.close();
        throw new ListenRefusedError('superseded by a later start or a stop');
      }
      this.opened = s;
      s.node.port.onmessage = (e: MessageEvent<ListenFrameMessage>) => this.drive(e.data);
      s.onEnded(() => {
        if (this.opened !== s) return;
        this.stop('the sound input went away (unplugged?)');
        this.deps.say('listen: the sound input went away (unplugged?); the show goes on without it');
      });
      await this.flow();
      if (generation !== this.generation) throw new ListenRefusedError('superseded by a later start or a stop');
      const hop = hopFor(s.sampleRate);
      this.status = { ...this.status, state: 'on', hop, hopMs: (hop / s.sampleRate) * 1000, sampleRate: s.sampleRate };
      return this.statusNow();
    } catch (err) {
      const why = (err as Error).message;
      if (generation === this.generation) {
        this.stop(why);
        this.deps.say(`listen: ${why}; the show goes on`);
      }
      throw err;
    }
  }

  statusNow(): ListenStatus {
    return { ...this.status, following: this.follower.following() };
  }

  control(): ListenApi {
    return {
      inputs: async () => {
        try {
          return await listInputs();
        } catch (err) {
          this.deps.say(`listen: ${(err as Error).message}`);
          throw err;
        }
      },
      start: (o) => this.start(o),
      stop: () => this.stop(),
      features: () => this.latest,
      recent: () => this.recent.list(),
      setTrim: (db) => {
        if (!Number.isFinite(db)) throw new Error(`trim is a number of dB, got ${String(db)}`);
        this.status = { ...this.status, trimDb: Math.max(-24, Math.min(24, db)) };
        this.opened?.node.port.postMessage({ trim: 10 ** (this.status.trimDb / 20) });
      },
      status: () => this.statusNow(),
      stats: () => ({ ...this.stats, lateness: this.stats.lateness.slice() }),
    };
  }
}

/** The listening input as a runtime module: it registers `dreamscape.listen` while it runs. */
export const listenModule = (api: DreamscapeApi, deps: ListenDeps): RuntimeModule & { control: ListenApi } => {
  const listener = new Listener(api, deps);
  const control = listener.control();
  return {
    name: 'listen',
    control,
    start: (r) => {
      listener.runtime = r;
      const unregister = registerApi(api, { listen: control });
      // The engine is started just before this module; its listen sources are read on every change.
      const engine = deps.engine();
      listener.mapped = mappedSources(engine);
      const unwatch = engine?.onChange(() => (listener.mapped = mappedSources(engine))) ?? (() => undefined);
      return () => {
        unwatch();
        listener.stop();
        unregister();
        listener.runtime = null;
      };
    },
  };
};
