/**
 * The symphony's scheduler: it follows a dream and, on a context's Transport with Tone's
 * look-ahead, asks for the score of each short window before it is heard. The dream is predicted
 * at the window's time with the model's own tick, so acts, morphs and restabilizes move on exactly
 * as they will on screen; the music keeps its own beat, so a few slow frames do not make it
 * stammer. It also tells the dream clock what is heard now (the "one clock").
 */
import type * as Tone from 'tone';
import type { DreamState } from '../model/index.ts';
import { tick } from '../model/index.ts';
import { score, scoreParams } from './score.ts';
import type { ScoreWindow, SymphonyParams } from './score.ts';

/** Where the symphony reads the dream: the store, or a simulated dream offline. */
export interface DreamSource {
  getState(): DreamState;
  subscribe(listener: (state: DreamState, previous: DreamState) => void): () => void;
}

/** What one run of the scheduler asks to be played. */
export interface Cue {
  /** Context seconds the run is for, a look-ahead before they are heard. */
  time: number;
  /** The dream predicted at `time`, on the music's beat. */
  state: DreamState;
  /** Seconds a beat. */
  spb: number;
  /** The score from the last run to this one's end while the music plays; null while it does not. */
  window: ScoreWindow | null;
  /** The parameters to follow (the window's, or the dream's own while silent). */
  params: SymphonyParams;
  /** Context seconds of a beat of the window (never before `time`). */
  at(beat: number): number;
}

export interface SchedulerOptions {
  context: Tone.BaseContext;
  /** The dream to follow (required). */
  source: DreamSource | null;
  /** The audience's mix: private dreamers are not heard. */
  audience: boolean;
  /** Seconds between two runs on the Transport. */
  interval: number;
  /** How far beyond the next run notes are scheduled. */
  ahead: number;
  /** Offline: advance the dream to this Transport time before each run. */
  drive: ((transportSeconds: number) => void) | null;
  /** Called at every run with what to play. */
  perform: ((cue: Cue) => void) | null;
  /** Called when the dream changes, once the scheduler has taken the change in. */
  changed: ((state: DreamState, previous: DreamState) => void) | null;
}

/** How far the music's beat may drift from the dream's before it jumps to it. */
const RESYNC_BEATS = 4;

export class Scheduler {
  readonly settings: Readonly<SchedulerOptions>;
  private readonly context: Tone.BaseContext;
  private readonly transport: Tone.BaseContext['transport'];
  private unsubscribe: (() => void) | null;
  private repeatId: number | null = null;
  private anchor: { state: DreamState; at: number };
  private cursor: number | null = null;
  private musicBeat: { beat: number; at: number } | null = null;
  private playing = false;
  private ownsTransport = false;
  private lastAudible = 0;
  /** While the offline driver moves the dream: the Transport time it moves it to. */
  private drivingAt: number | null = null;
  private disposed = false;

  constructor(options: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'context'>) {
    const settings = { ...Scheduler.getDefaults(), ...options };
    const source = settings.source;
    if (!source) throw new TypeError('Scheduler: options.source (the dream to follow) is required');
    this.settings = settings;
    this.context = settings.context;
    this.transport = this.context.transport;
    this.anchor = { state: source.getState(), at: 0 };
    this.unsubscribe = source.subscribe((s, prev) => this.follow(s, prev));
  }

  static getDefaults(): Omit<SchedulerOptions, 'context'> {
    return { source: null, audience: false, interval: 0.05, ahead: 0.1, drive: null, perform: null, changed: null };
  }

  /** Start scheduling at `time` (context seconds), and the Transport if it is stopped; false if it already runs. */
  start(time: number): boolean {
    if (this.playing || this.disposed) return false;
    if (this.transport.state !== 'started') {
      this.transport.start(time);
      this.ownsTransport = true;
    }
    this.playing = true;
    this.cursor = null;
    this.musicBeat = null;
    this.repeatId ??= this.transport.scheduleRepeat((t) => this.run(t), this.settings.interval, this.transport.getSecondsAtTime(time));
    return true;
  }

  /** Stop asking for notes (the parameters still follow the dream; the Transport keeps its time); false if it was not playing. */
  stop(): boolean {
    if (!this.playing || this.disposed) return false;
    this.playing = false;
    return true;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** One run, `time` ahead of the audio clock (Tone's look-ahead). */
  private run(time: number): void {
    if (this.disposed) return;
    const T = this.transport.getSecondsAtTime(time);
    if (this.settings.drive) {
      this.drivingAt = T;
      this.settings.drive(T);
      this.drivingAt = null;
    }
    const { state: anchored, at } = this.anchor;
    const predicted = T - at > 1e-6 ? tick(anchored, T - at) : anchored;
    const spb = 60 / Math.max(1, predicted.tempo);
    // The music's beat, integrated at the dream's tempo, equals the dream's while frames keep up;
    // when the dream jumps (a step, a pause, a hidden tab) the music follows it.
    const m = this.musicBeat;
    let beatNow = m ? m.beat + (T - m.at) / spb : predicted.beat;
    if (!m || Math.abs(beatNow - predicted.beat) > RESYNC_BEATS) {
      beatNow = predicted.beat;
      this.cursor = null;
    }
    this.musicBeat = { beat: beatNow, at: T };
    const s = beatNow === predicted.beat ? predicted : { ...predicted, beat: beatNow, clock: predicted.clock + (beatNow - predicted.beat) * spb };
    const end = beatNow + (this.settings.interval + this.settings.ahead) / spb;
    if (this.cursor === null || this.cursor < beatNow - 0.25 || this.cursor > end + 0.5) this.cursor = beatNow;
    const opts = { audience: this.settings.audience };
    let window: ScoreWindow | null = null;
    if (this.playing && end > this.cursor) {
      window = score(s, this.cursor, end, opts);
      this.cursor = end;
    }
    const atBeat = (beat: number) => Math.max(time, time + (beat - beatNow) * spb);
    this.settings.perform?.({ time, state: s, spb, window, params: window ? window.params : scoreParams(s, opts), at: atBeat });
  }

  private follow(s: DreamState, prev: DreamState): void {
    if (this.disposed) return;
    if (s.clock !== this.anchor.state.clock || s.beat !== this.anchor.state.beat) this.anchor = { state: s, at: this.drivingAt ?? this.transportNow() };
    else this.anchor = { state: s, at: this.anchor.at };
    this.settings.changed?.(s, prev);
  }

  /** The Transport's seconds now (offline: exactly; live: what is heard now, without taking it as the clock's reading). */
  private transportNow(): number {
    if (this.context.isOffline) return this.transport.getSecondsAtTime(this.context.currentTime);
    return this.readAudible();
  }

  /**
   * Transport seconds of the sound leaving the speakers now: the dream clock's source while the
   * music plays, so the visuals show what is heard (the context's output latency is taken off).
   * Only the dream clock calls this: it is the reading `lastClockRead` reports, never going back.
   */
  audibleSeconds(): number {
    this.lastAudible = this.readAudible();
    return this.lastAudible;
  }

  /** The last time the dream clock read from audibleSeconds() (no new reading). */
  get lastClockRead(): number {
    return this.lastAudible;
  }

  /** What audibleSeconds() would read now (never before the clock's last reading), without keeping it. */
  private readAudible(): number {
    if (this.transport.state !== 'started') return this.lastAudible;
    const raw = this.context.rawContext as unknown as AudioContext;
    let t = raw.currentTime;
    if (!this.context.isOffline) {
      const ts = typeof raw.getOutputTimestamp === 'function' ? raw.getOutputTimestamp() : null;
      if (ts && typeof ts.contextTime === 'number' && typeof ts.performanceTime === 'number' && ts.contextTime > 0 && typeof performance !== 'undefined') {
        t = ts.contextTime + Math.min(0.1, Math.max(0, performance.now() - ts.performanceTime) / 1000);
      } else {
        t -= raw.outputLatency || raw.baseLatency || 0;
      }
    }
    return Math.max(this.lastAudible, this.transport.getSecondsAtTime(Math.max(0, t)));
  }

  /** Stop following the dream and clear the runs from the Transport (and stop it, live, if it started it). */
  dispose(): this {
    if (this.disposed) return this;
    this.disposed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.repeatId !== null) this.transport.clear(this.repeatId);
    this.repeatId = null;
    if (this.ownsTransport && !this.context.isOffline) this.transport.stop();
    return this;
  }
}
