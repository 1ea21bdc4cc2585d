/**
 * The note player: each note of the score as a handful of one-shot native nodes (oscillators, an
 * envelope gain, perhaps an FM modulator or a sweeping filter) on its voice's patch, let go once
 * it has rung out. Notes are made by the hundred, so without Tone's wrappers.
 */
import * as Tone from 'tone';
import { filterHz } from './glide.ts';
import { Timers } from './owned.ts';
import { midiToHz } from './score.ts';
import type { NoteEvent } from './score.ts';
import type { Recipe, VoicePatch } from './voice-patch.ts';

export interface NotePlayerOptions {
  context: Tone.BaseContext;
  /** Keep the last notes played (for tests and the performer's meters). */
  history: number;
  /** Seconds a live note is kept after it has rung out (Tone's timeouts run a look-ahead early). */
  margin: number;
}

interface SoundingNote {
  nodes: AudioNode[];
  end: number;
}

export class NotePlayer {
  readonly settings: NotePlayerOptions;
  private readonly context: Tone.BaseContext;
  private readonly sounding = new Set<SoundingNote>();
  private readonly timers: Timers;
  private readonly recent: NoteEvent[] = [];
  private disposed = false;

  constructor(options: Partial<NotePlayerOptions> & Pick<NotePlayerOptions, 'context'>) {
    this.settings = { ...NotePlayer.getDefaults(), ...options };
    this.context = this.settings.context;
    this.timers = new Timers(this.context);
  }

  static getDefaults(): Omit<NotePlayerOptions, 'context'> {
    return { history: 256, margin: 0.35 };
  }

  /** Play `n` on `patch` at `at` (context seconds), `spb` seconds a beat. */
  play(n: NoteEvent, patch: VoicePatch, at: number, spb: number): void {
    if (this.disposed) return;
    const ctx = this.context;
    const rec = patch.spec.recipe;
    const hz = midiToHz(n.midi) * 2 ** (n.cents / 1200);
    const nodes: AudioNode[] = [];
    const env = ctx.createGain();
    env.gain.value = 0;
    nodes.push(env);
    for (const input of patch.inputs) Tone.connect(env, input);
    const into = rec.sweep ? this.sweepFilter(rec.sweep, hz, at, env, nodes) : env;
    const stopAt = envelope(env.gain, rec, n.velocity * rec.partials[0]!.gain, at, Math.max(0.03, n.duration * spb));
    const mod = rec.fm ? this.modulator(rec.fm, hz, at, stopAt, nodes) : null;
    this.partials(rec, hz, mod, into, at, stopAt, nodes);
    const note: SoundingNote = { nodes, end: stopAt };
    this.sounding.add(note);
    patch.lastEnd = Math.max(patch.lastEnd, stopAt);
    // Offline every node must stay until the graph is rendered; live, a note is let go once it
    // has rung out.
    if (!ctx.isOffline) this.timers.later(stopAt - ctx.currentTime + this.settings.margin, () => this.release(note));
    if (this.settings.history > 0) {
      this.recent.push(n);
      if (this.recent.length > this.settings.history) this.recent.splice(0, this.recent.length - this.settings.history);
    }
  }

  /** A low-pass per note (plucks), swept from bright to dark. */
  private sweepFilter(sweep: NonNullable<Recipe['sweep']>, hz: number, at: number, env: GainNode, nodes: AudioNode[]): AudioNode {
    const sr = this.context.sampleRate;
    const f = this.context.createBiquadFilter();
    f.type = 'lowpass';
    f.Q.value = 1.2;
    f.frequency.value = filterHz(sr, hz * sweep.from);
    f.frequency.setValueAtTime(filterHz(sr, hz * sweep.from), at);
    f.frequency.setTargetAtTime(filterHz(sr, hz * sweep.to), at, sweep.decay / 3);
    f.connect(env);
    nodes.push(f);
    return f;
  }

  /** FM: one modulator shared by the note's partials; its gain is the frequency deviation. */
  private modulator(fm: NonNullable<Recipe['fm']>, hz: number, at: number, stopAt: number, nodes: AudioNode[]): GainNode {
    const m = this.context.createOscillator();
    m.frequency.value = hz * fm.ratio;
    const mod = this.context.createGain();
    const depth = hz * fm.ratio * fm.index;
    mod.gain.value = 0;
    mod.gain.setValueAtTime(depth, at);
    mod.gain.setTargetAtTime(depth * fm.sustain, at, fm.decay / 3);
    m.connect(mod);
    m.start(at);
    m.stop(stopAt);
    nodes.push(m, mod);
    return mod;
  }

  /** The oscillators: those as loud as the first go straight in, the others through a gain. */
  private partials(rec: Recipe, hz: number, mod: GainNode | null, into: AudioNode, at: number, stopAt: number, nodes: AudioNode[]): void {
    const level = rec.partials[0]!.gain;
    for (const partial of rec.partials) {
      const osc = this.context.createOscillator();
      osc.type = partial.type;
      osc.frequency.value = hz * partial.ratio * 2 ** (partial.cents / 1200);
      nodes.push(osc);
      if (mod) mod.connect(osc.frequency);
      if (partial.gain === level) osc.connect(into);
      else {
        const g = this.context.createGain();
        g.gain.value = partial.gain / level;
        osc.connect(g);
        g.connect(into);
        nodes.push(g);
      }
      osc.start(at);
      osc.stop(stopAt);
    }
  }

  private release(note: SoundingNote): void {
    if (!this.sounding.delete(note)) return;
    for (const n of note.nodes) n.disconnect();
  }

  /** Let go of the notes that have rung out by `time` (context seconds). */
  sweep(time: number): void {
    for (const note of [...this.sounding]) if (note.end + 0.05 < time) this.release(note);
  }

  /** Native nodes of the notes still held. */
  get nodeCount(): number {
    let count = 0;
    for (const n of this.sounding) count += n.nodes.length;
    return count;
  }

  /** The last notes played, oldest first. */
  played(): readonly NoteEvent[] {
    return this.recent;
  }

  dispose(): this {
    this.disposed = true;
    this.timers.clear();
    for (const note of [...this.sounding]) this.release(note);
    return this;
  }
}

/**
 * The envelope of a note held `held` seconds from `at`: attack, decay toward the sustain, release
 * from wherever it is when the note ends. Returns when its oscillators stop.
 */
const envelope = (p: AudioParam, rec: Recipe, peak: number, at: number, held: number): number => {
  const A = Math.max(0.01, rec.attack);
  const tau = Math.max(0.005, rec.decay / 3);
  const tr = at + held;
  p.setValueAtTime(0, at);
  if (tr > at + A) {
    p.linearRampToValueAtTime(peak, at + A);
    if (rec.sustain < 1) p.setTargetAtTime(peak * rec.sustain, at + A, tau);
    const v = peak * rec.sustain + peak * (1 - rec.sustain) * Math.exp(-(tr - at - A) / tau);
    p.setValueAtTime(v, tr);
  } else {
    p.linearRampToValueAtTime((peak * (tr - at)) / A, tr);
  }
  p.linearRampToValueAtTime(0, tr + rec.release);
  return tr + rec.release + 0.02;
};
