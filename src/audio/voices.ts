/**
 * The band: a voice patch for every dreamer and one for the glitch, their mix, a tempo-synced
 * echo fed back into the mix, and the band's low-pass (the output). Patches follow the dreamers:
 * a preset switch or a dreamer's new voice makes new ones and retires the old, which fade out and
 * are disposed once silent. Notes are played by the note player on their voice's patch.
 */
import * as Tone from 'tone';
import type { DreamState, Voice } from '../model/index.ts';
import { filterHz, Glide } from './glide.ts';
import { Echo } from './nodes.ts';
import { NotePlayer } from './note-player.ts';
import { Owned, Timers } from './owned.ts';
import type { NodeTally } from './owned.ts';
import type { NoteEvent, SymphonyParams } from './score.ts';
import { VoicePatch } from './voice-patch.ts';

export interface VoicesOptions extends Tone.ToneAudioNodeOptions {
  /** The band's low-pass at rest, Hz. */
  cutoff: number;
  /** The echo's return at rest, its delay and feedback at rest, its longest delay, and the band-pass on its return. */
  echo: { level: number; delayTime: number; feedback: number; maxDelay: number; tone: number };
  /** Seconds over which a voice that leaves the dream fades out. */
  retireFade: number;
  /** Notes the note player keeps for scheduled(). */
  history: number;
}

/** Persistent nodes of the voices and the native nodes of their sounding notes. */
export interface VoiceNodes {
  persistent: number;
  notes: number;
}

export class Voices extends Tone.ToneAudioNode<VoicesOptions> {
  readonly name: string = 'Voices';
  readonly input: undefined = undefined;
  readonly output: Tone.BiquadFilter;
  readonly notes: NotePlayer;
  private readonly settings: VoicesOptions;
  private readonly mix: Tone.Gain;
  private readonly echoBus: Tone.Gain;
  private readonly echo: Echo;
  private readonly glitch: VoicePatch;
  private patches: VoicePatch[] = [];
  private readonly retired = new Set<VoicePatch>();
  /** Every patch made and not yet disposed (each counts its own nodes). */
  private readonly live = new Set<VoicePatch>();
  /** Nodes the disposed patches made, and how many of those patches left one undisposed. */
  private readonly dropped = { made: 0, undisposed: 0 };
  private structure = '';
  private readonly nodes = new Owned();
  private readonly timers: Timers;
  private readonly glide = new Glide();

  constructor(options?: Partial<VoicesOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(Voices.getDefaults(), arguments);
    super(options);
    this.settings = options;
    const ctx = this.context;
    this.timers = new Timers(ctx);
    this.notes = new NotePlayer({ context: ctx, history: options.history });
    this.mix = this.nodes.add(new Tone.Gain({ context: ctx, gain: 1 }));
    this.output = this.nodes.add(new Tone.BiquadFilter({ context: ctx, type: 'lowpass', frequency: options.cutoff, Q: 0.6 }));
    this.mix.connect(this.output);
    const e = options.echo;
    this.echoBus = this.nodes.add(new Tone.Gain({ context: ctx, gain: e.level }));
    this.echo = this.nodes.add(new Echo({ context: ctx, delayTime: e.delayTime, feedback: e.feedback, maxDelay: e.maxDelay }));
    const echoTone = this.nodes.add(new Tone.BiquadFilter({ context: ctx, type: 'bandpass', frequency: e.tone, Q: 0.5 }));
    this.echoBus.chain(this.echo, echoTone, this.mix);
    this.glitch = this.patch('glitch', 'glitch');
  }

  static override getDefaults(): VoicesOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), {
      cutoff: 4000,
      echo: { level: 0.4, delayTime: 0.6, feedback: 0.35, maxDelay: 4, tone: 1600 },
      retireFade: 1.2,
      history: 256,
    });
  }

  private patch(key: string, voice: Voice | 'glitch'): VoicePatch {
    const p = new VoicePatch({ context: this.context, key, voice });
    p.connect(this.mix);
    p.send.connect(this.echoBus);
    this.live.add(p);
    return p;
  }

  /** Make and retire patches when the dreamers change (a preset switch, a dreamer's new voice). */
  follow(dreamers: DreamState['dreamers']): void {
    const key = dreamers.map((d, i) => `${i}:${d.id}:${d.voice}`).join('|');
    if (key === this.structure) return;
    this.structure = key;
    const next: VoicePatch[] = [];
    dreamers.forEach((d, i) => {
      const k = `${i}:${d.id}:${d.voice}`;
      const old = this.patches[i];
      next.push(old && old.key === k ? old : this.patch(k, d.voice));
    });
    for (const old of this.patches) if (!next.includes(old)) this.retire(old);
    this.patches = next;
  }

  /** Fade a voice out and dispose it once it is silent (its notes end on their own). */
  private retire(p: VoicePatch): void {
    p.retired = true;
    this.retired.add(p);
    const now = this.context.currentTime;
    p.fadeOut(now + 0.01, this.settings.retireFade);
    p.lastEnd = now + this.settings.retireFade + 0.1;
    // Offline, the graph is rendered after every scheduler run: nothing may be disconnected
    // then; the renderer calls sweep() while the rendering is suspended.
    if (this.context.isOffline) return;
    this.timers.later(p.lastEnd - now + 0.3, () => this.drop(p));
  }

  private drop(p: VoicePatch): void {
    this.retired.delete(p);
    if (!this.live.delete(p)) return;
    p.dispose();
    this.dropped.made += p.tally.madeCount;
    if (!p.tally.allDisposed) this.dropped.undisposed++;
  }

  /** Play a note of the score on its dreamer's voice (or the glitch voice) at `at`, `spb` seconds a beat. */
  play(n: NoteEvent, at: number, spb: number): void {
    const p = n.voice === 'glitch' ? this.glitch : this.patches[n.dreamer];
    if (!p || p.retired || (n.voice !== 'glitch' && p.voice !== n.voice)) return;
    this.notes.play(n, p, at, spb);
  }

  /** Follow the score's mix: every dreamer's level, place and tone, the echo and the band's low-pass. */
  apply(p: SymphonyParams, tempo: number, time: number, ramp: number): void {
    const sr = this.context.sampleRate;
    this.glide.to(this.output.frequency, filterHz(sr, p.cutoff * 2), time, ramp);
    this.glide.to(this.echo.delayTime, Math.min(3.5, p.echoBeats * (60 / Math.max(1, tempo))), time, 0.5);
    this.glide.to(this.echo.feedback, p.echoFeedback, time, ramp);
    this.glide.to(this.echoBus.gain, p.echoWet * 1.5, time, ramp);
    this.patches.forEach((c, i) => {
      const d = p.dreamers[i];
      if (!d || c.retired) return;
      if (c.born < 0) c.born = time;
      // A new voice fades in over a second; afterwards it follows the dream closely.
      c.follow({ gain: d.gain, pan: d.pan, cutoff: p.cutoff, vowel: p.vowel }, time, time - c.born < 1 ? 1 : ramp, ramp);
    });
    this.glitch.follow({ gain: 1, pan: 0, cutoff: p.cutoff, vowel: 0 }, time, ramp, ramp);
  }

  /**
   * Let go of the notes and retired voices that have rung out by `time` (context seconds). Live,
   * timeouts do this; offline, the renderer calls it while the rendering is suspended, so a long
   * render does not drag every finished note along.
   */
  sweep(time: number): void {
    this.notes.sweep(time);
    for (const p of [...this.retired]) if (p.lastEnd + 0.05 < time) this.drop(p);
  }

  /** Persistent nodes held now (the band's and every patch's) and the nodes of sounding notes. */
  get nodeCount(): VoiceNodes {
    return { persistent: this.tally.size, notes: this.notes.nodeCount };
  }

  /** The band's nodes and every patch's, those of the patches already disposed included. */
  get tally(): NodeTally {
    const { nodes, live, dropped } = this;
    const sum = (f: (t: NodeTally) => number) => [...live].reduce((n, p) => n + f(p.tally), 0);
    return {
      size: nodes.size + sum((t) => t.size),
      madeCount: nodes.madeCount + dropped.made + sum((t) => t.madeCount),
      allDisposed: nodes.allDisposed && live.size === 0 && dropped.undisposed === 0,
    };
  }

  override dispose(): this {
    this.timers.clear();
    this.notes.dispose();
    super.dispose();
    for (const p of [...this.live]) this.drop(p);
    this.patches = [];
    this.nodes.releaseAll();
    return this;
  }
}
