/**
 * The voices of the symphony: how each one makes a note (its recipe) and its persistent chain,
 * [formants →] [vibrato →] low-pass → panner → gain → (the mix, an echo send).
 */
import * as Tone from 'tone';
import type { Voice } from '../model/index.ts';
import { filterHz, Glide } from './glide.ts';
import { Vibrato } from './nodes.ts';
import { Owned } from './owned.ts';
import type { NodeTally } from './owned.ts';

/** One partial of a voice: an oscillator at a ratio of the note's frequency. */
export interface Overtone {
  type: 'sine' | 'triangle' | 'sawtooth' | 'square';
  ratio: number;
  cents: number;
  gain: number;
}

/**
 * How a voice makes a note. Each note is a handful of one-shot native nodes (oscillators, an
 * envelope gain, perhaps an FM modulator or a sweeping filter) made when it is scheduled and let
 * go when it has rung out: nothing runs between notes, and offline renders stay fast. (A pool of
 * long-lived voices would keep its oscillators running between notes: more work, not less.)
 */
export interface Recipe {
  partials: Overtone[];
  /** Frequency modulation of every partial: modulator ratio, index at the attack, index held. */
  fm?: { ratio: number; index: number; sustain: number; decay: number };
  /** A low-pass sweep per note (plucks): from and to, as multiples of the note's frequency. */
  sweep?: { from: number; to: number; decay: number };
  attack: number;
  decay: number;
  sustain: number;
  release: number;
}

export interface VoiceSpec {
  recipe: Recipe;
  /** Mix level of the voice. */
  trim: number;
  /** Send to the echo. */
  echo: number;
  /** Its low-pass, as a multiple of the band's cutoff. */
  tone: number;
  /** Vibrato depth in cents (0: none). */
  vibrato: number;
}

const saw = (cents: number, gain: number): Overtone => ({ type: 'sawtooth', ratio: 1, cents, gain });
const sine = (ratio: number, cents: number, gain: number): Overtone => ({ type: 'sine', ratio, cents, gain });
const triangle = (ratio: number, cents: number, gain: number): Overtone => ({ type: 'triangle', ratio, cents, gain });

export const VOICE_SPECS: Readonly<Record<Voice | 'glitch', VoiceSpec>> = {
  pad: {
    recipe: { partials: [saw(-7, 0.5), saw(7, 0.5), triangle(0.5, 0, 0.35)], attack: 1.8, decay: 1.2, sustain: 0.75, release: 3.5 },
    trim: 0.5,
    echo: 0.05,
    tone: 0.6,
    vibrato: 0,
  },
  strings: {
    recipe: { partials: [saw(-4, 0.5), saw(5, 0.5)], attack: 0.55, decay: 0.5, sustain: 0.85, release: 1.8 },
    trim: 0.45,
    echo: 0.12,
    tone: 0.75,
    vibrato: 7,
  },
  choir: {
    recipe: { partials: [saw(-6, 0.5), saw(6, 0.5), triangle(1, 0, 0.3)], attack: 0.4, decay: 0.3, sustain: 0.9, release: 1.6 },
    trim: 1.5,
    echo: 0.15,
    tone: 1.4,
    vibrato: 10,
  },
  bell: {
    recipe: { partials: [sine(1, 0, 0.8), sine(2.756, 0, 0.18)], fm: { ratio: 3.01, index: 4.5, sustain: 0.15, decay: 1.1 }, attack: 0.012, decay: 2.8, sustain: 0, release: 2.4 },
    trim: 0.4,
    echo: 0.45,
    tone: 2.5,
    vibrato: 0,
  },
  pluck: {
    recipe: { partials: [saw(0, 0.7), triangle(2, 3, 0.25)], sweep: { from: 9, to: 1.6, decay: 0.25 }, attack: 0.012, decay: 1.1, sustain: 0, release: 0.8 },
    trim: 0.5,
    echo: 0.5,
    tone: 1.2,
    vibrato: 0,
  },
  bass: {
    recipe: { partials: [triangle(1, 0, 0.8), sine(1, 0, 0.5)], attack: 0.06, decay: 0.8, sustain: 0.8, release: 1.5 },
    trim: 0.45,
    echo: 0,
    tone: 0.2,
    vibrato: 0,
  },
  lead: {
    recipe: { partials: [sine(1, 0, 0.8), triangle(2, 2, 0.12)], fm: { ratio: 1, index: 1.6, sustain: 0.6, decay: 0.4 }, attack: 0.09, decay: 0.4, sustain: 0.8, release: 1.3 },
    trim: 0.5,
    echo: 0.35,
    tone: 1.3,
    vibrato: 12,
  },
  glitch: {
    recipe: { partials: [{ type: 'square', ratio: 1, cents: 0, gain: 0.6 }], fm: { ratio: 2.5, index: 10, sustain: 0, decay: 0.05 }, attack: 0.01, decay: 0.07, sustain: 0, release: 0.04 },
    trim: 0.3,
    echo: 0.3,
    tone: 3,
    vibrato: 0,
  },
};

/** Formants of a sung vowel: 'oo' (0) to 'ah' (1), Hz. */
const VOWEL_OO = [330, 750, 2400] as const;
const VOWEL_AH = [760, 1150, 2800] as const;
const FORMANT_GAINS = [3, 1.8, 1.1] as const;

const vibratoDepth = (cents: number, frequency: number, maxDelay: number): number => {
  const deviation = 2 ** (cents / 1200) - 1;
  return Math.min(1, (2 * deviation) / (2 * Math.PI * frequency * maxDelay));
};

export interface VoicePatchOptions extends Tone.ToneAudioNodeOptions {
  voice: Voice | 'glitch';
  /** Where the voice sits in the dream (index, dreamer and voice); its first letter sets the vibrato's rate. */
  key: string;
}

/** The band's mix of one voice at a run of the scheduler (a dreamer's, or the glitch voice's fixed one). */
export interface VoiceMix {
  gain: number;
  pan: number;
  /** The band's cutoff and the choir's vowel. */
  cutoff: number;
  vowel: number;
}

export class VoicePatch extends Tone.ToneAudioNode<VoicePatchOptions> {
  readonly name: string = 'VoicePatch';
  readonly input: undefined = undefined;
  /** The voice's level: connect it to the mix. */
  readonly output: Tone.Gain;
  /** Its echo send: connect it to the echo. */
  readonly send: Tone.Gain;
  readonly key: string;
  readonly voice: Voice | 'glitch';
  readonly spec: VoiceSpec;
  /** Where a note connects. */
  readonly inputs: readonly Tone.ToneAudioNode[];
  /** Context time when the last note on it has rung out. */
  lastEnd = 0;
  /** Context time of its first mix (-1 before): a new voice fades in. */
  born = -1;
  retired = false;
  private readonly panner: Tone.Panner;
  private readonly filter: Tone.BiquadFilter;
  private readonly formants: Tone.BiquadFilter[] = [];
  private readonly nodes = new Owned();
  private readonly glide = new Glide();

  constructor(options?: Partial<VoicePatchOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(VoicePatch.getDefaults(), arguments);
    super(options);
    const ctx = this.context;
    this.key = options.key;
    this.voice = options.voice;
    this.spec = VOICE_SPECS[options.voice];
    this.output = this.nodes.add(new Tone.Gain({ context: ctx, gain: 0 }));
    this.panner = this.nodes.add(new Tone.Panner({ context: ctx, pan: 0 }));
    this.filter = this.nodes.add(new Tone.BiquadFilter({ context: ctx, type: 'lowpass', frequency: 2000, Q: 0.5 }));
    this.send = this.nodes.add(new Tone.Gain({ context: ctx, gain: this.spec.echo }));
    this.filter.chain(this.panner, this.output);
    this.output.connect(this.send);
    let into: Tone.ToneAudioNode = this.filter;
    if (this.spec.vibrato > 0) {
      const frequency = 4.7 + 0.6 * ((options.key.charCodeAt(0) % 7) / 7);
      const vibrato = this.nodes.add(new Vibrato({ context: ctx, frequency, maxDelay: 0.005, depth: vibratoDepth(this.spec.vibrato, frequency, 0.005) }));
      vibrato.connect(this.filter);
      into = vibrato;
    }
    if (options.voice === 'choir') {
      VOWEL_AH.forEach((f, n) => {
        const bp = this.nodes.add(new Tone.BiquadFilter({ context: ctx, type: 'bandpass', frequency: f, Q: 6 + n * 3 }));
        const g = this.nodes.add(new Tone.Gain({ context: ctx, gain: FORMANT_GAINS[n]! }));
        bp.chain(g, into);
        this.formants.push(bp);
      });
    }
    this.inputs = this.formants.length ? this.formants : [into];
  }

  static override getDefaults(): VoicePatchOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), { voice: 'pad' as const, key: '' });
  }

  /** Follow the score: the level over `fade` seconds, the rest over `ramp`. */
  follow(mix: VoiceMix, time: number, fade: number, ramp: number): void {
    const sr = this.context.sampleRate;
    this.glide.to(this.output.gain, mix.gain * this.spec.trim, time, fade);
    if (this.voice === 'glitch') {
      this.glide.to(this.filter.frequency, filterHz(sr, mix.cutoff * this.spec.tone), time, ramp);
      return;
    }
    this.glide.to(this.panner.pan, mix.pan, time, ramp * 2);
    this.glide.to(this.filter.frequency, filterHz(sr, Math.max(120, mix.cutoff * this.spec.tone)), time, ramp);
    this.formants.forEach((f, n) => this.glide.to(f.frequency, VOWEL_OO[n]! + (VOWEL_AH[n]! - VOWEL_OO[n]!) * mix.vowel, time, ramp * 4));
  }

  /** Fade out from `time` over `seconds`; its notes ring on. */
  fadeOut(time: number, seconds: number): void {
    this.glide.to(this.output.gain, 0, time, seconds);
  }

  get tally(): NodeTally {
    return this.nodes;
  }

  override dispose(): this {
    super.dispose();
    this.nodes.releaseAll();
    return this;
  }
}
