/**
 * The NeuroSymphony: a Tone.js instrument that plays the score (score.ts) of a dream-state it
 * follows, put together as Tone builds its own instruments, from parts that each own their nodes:
 *
 *   voices (voice patches, notes) → glitch effects → master bus → output
 *                                            ↘ reverb ↗
 *
 * The scheduler runs the score on a context's Transport with look-ahead, so the same class renders
 * live and offline (offline.ts). `dispose()` disposes every part.
 */
import * as Tone from 'tone';
import type { DreamState } from '../model/index.ts';
import { GlitchEffects } from './glitch-effects.ts';
import { CEILING_DB, MasterBus, PANIC_RAMP } from './master-bus.ts';
import type { NodeTally } from './owned.ts';
import { RoomAndHall } from './reverb.ts';
import { Scheduler } from './scheduler.ts';
import type { Cue, DreamSource } from './scheduler.ts';
import type { NoteEvent, SymphonyParams } from './score.ts';
import { VOICE_SPECS } from './voice-patch.ts';
import { Voices } from './voices.ts';

export { CEILING_DB, PANIC_RAMP, VOICE_SPECS };
export type { DreamSource };

export interface NeuroSymphonyOptions extends Tone.ToneAudioNodeOptions {
  /** The dream to follow (required). */
  source: DreamSource | null;
  /** The audience's mix: private dreamers are not heard. */
  audience: boolean;
  /** Seconds between two runs of the scheduler on the Transport. */
  interval: number;
  /** How far beyond the next run notes are scheduled. */
  ahead: number;
  /** Seconds of the fade-in on start. */
  fadeIn: number;
  /** Offline: advance the dream to this Transport time before each run of the scheduler. */
  drive: ((transportSeconds: number) => void) | null;
  /** Keep the last notes scheduled (for tests and the performer's meters). */
  history: number;
}

/** Nodes of a symphony: persistent ones (of every part) and the native ones of sounding notes. */
export interface SymphonyNodes {
  persistent: number;
  notes: number;
  total: number;
}

export class NeuroSymphony extends Tone.ToneAudioNode<NeuroSymphonyOptions> {
  readonly name: string = 'NeuroSymphony';
  readonly input: undefined = undefined;
  readonly output: MasterBus;
  /** The options it was made with. */
  readonly settings: NeuroSymphonyOptions;
  private readonly reverb: RoomAndHall;
  private readonly effects: GlitchEffects;
  private readonly voices: Voices;
  private readonly scheduler: Scheduler;
  private lastParams: SymphonyParams | null = null;

  constructor(options?: Partial<NeuroSymphonyOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(NeuroSymphony.getDefaults(), arguments);
    super(options);
    const source = options.source;
    if (!source) throw new TypeError('NeuroSymphony: options.source (the dream to follow) is required');
    this.settings = options;
    const context = this.context;
    this.output = new MasterBus({ context });
    this.reverb = new RoomAndHall({ context });
    this.reverb.connect(this.output);
    this.effects = new GlitchEffects({ context });
    this.effects.fan(this.output, this.reverb);
    this.voices = new Voices({ context, history: options.history });
    this.voices.connect(this.effects);
    this.voices.follow(source.getState().dreamers);
    const { audience, interval, ahead, drive } = options;
    this.scheduler = new Scheduler({ context, source, audience, interval, ahead, drive, perform: (cue) => this.perform(cue), changed: (s, prev) => this.changed(s, prev) });
  }

  static override getDefaults(): NeuroSymphonyOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), {
      source: null,
      audience: false,
      interval: 0.05,
      ahead: 0.1,
      fadeIn: 1.5,
      drive: null,
      history: 256,
    });
  }

  /** Start the music (and the Transport, if it is stopped) with a fade-in. */
  start(time?: number): this {
    if (this.disposed) return this;
    const t = time ?? this.context.currentTime + 0.02;
    if (this.scheduler.start(t)) this.output.open(t, this.settings.fadeIn);
    return this;
  }

  /** Fade out and stop scheduling notes (the Transport keeps the dream's time). */
  stop(seconds = 0.4): this {
    if (this.disposed) return this;
    if (this.scheduler.stop()) this.output.close(this.context.currentTime + 0.005, seconds);
    return this;
  }

  get isPlaying(): boolean {
    return this.scheduler.isPlaying;
  }

  /** The last notes scheduled, oldest first. */
  scheduled(): readonly NoteEvent[] {
    return this.voices.notes.played();
  }

  params(): SymphonyParams | null {
    return this.lastParams;
  }

  /** Transport seconds of what is heard now: the dream clock's source while the music plays. */
  audibleSeconds(): number {
    return this.scheduler.audibleSeconds();
  }

  /** The last time the dream clock read from audibleSeconds() (no new reading). */
  get lastClockRead(): number {
    return this.scheduler.lastClockRead;
  }

  /** One run of the scheduler: the window's glitches and notes, then the parameters. */
  private perform(cue: Cue): void {
    if (cue.window) {
      for (const g of cue.window.glitches) this.effects.play(g, cue.at(g.beat), cue.spb);
      for (const n of cue.window.notes) this.voices.play(n, cue.at(n.beat), cue.spb);
    }
    this.apply(cue.params, cue.time, cue.state);
  }

  private apply(p: SymphonyParams, time: number, s: DreamState): void {
    this.lastParams = p;
    const ramp = this.settings.interval * 2;
    this.output.follow(p.master, s.safety.masterCap, time, s.output.panic ? PANIC_RAMP / 2 : ramp);
    this.reverb.follow(p.reverbWet, p.reverbSize, time, ramp * 4);
    this.effects.follow(p.crush, time, ramp);
    this.voices.apply(p, s.tempo, time, ramp);
  }

  private changed(s: DreamState, prev: DreamState): void {
    if (s.dreamers !== prev.dreamers) this.voices.follow(s.dreamers);
    // Panic does not wait for the scheduler: the fade starts now.
    if (s.output.panic && !prev.output.panic) this.output.panic(this.context.currentTime + 0.005);
  }

  /**
   * Let go of the notes and retired voices that have rung out by `time` (context seconds). Live,
   * timeouts do this; offline, the renderer calls it while the rendering is suspended.
   */
  sweep(time: number): void {
    this.voices.sweep(time);
  }

  private get parts(): NodeTally[] {
    return [this.output.tally, this.reverb.tally, this.effects.tally, this.voices.tally];
  }

  /** Persistent nodes this instance holds now, and nodes of its notes still sounding. */
  get nodeCount(): SymphonyNodes {
    const persistent = this.parts.reduce((n, t) => n + t.size, 0);
    const notes = this.voices.notes.nodeCount;
    return { persistent, notes, total: persistent + notes };
  }

  /** True when every node this instance ever made has been disposed. */
  get allDisposed(): boolean {
    return this.voices.notes.nodeCount === 0 && this.parts.every((t) => t.allDisposed);
  }

  /** Persistent nodes made since it was. */
  get madeCount(): number {
    return this.parts.reduce((n, t) => n + t.madeCount, 0);
  }

  override dispose(): this {
    if (this.disposed) return this;
    this.scheduler.dispose();
    this.voices.dispose();
    this.effects.dispose();
    this.reverb.dispose();
    super.dispose();
    return this;
  }
}
