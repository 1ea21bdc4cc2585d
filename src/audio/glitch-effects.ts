/**
 * The glitch effects on the whole band: input → bit-crush (dry and crushed, mixed) → stutter (a
 * beat repeat) → tape wobble → output. The crush mix follows the score; each glitch step of the
 * score crushes harder, may stutter, and bends the pitch of the band for its length.
 */
import * as Tone from 'tone';
import { Glide, RAMP } from './glide.ts';
import { Owned } from './owned.ts';
import type { NodeTally } from './owned.ts';
import type { GlitchEvent } from './score.ts';

export interface GlitchEffectsOptions extends Tone.ToneAudioNodeOptions {
  /** Steps of the crusher's staircase either side of zero. */
  crushSteps: number;
  /** Gain in front of the crusher at rest (its make-up is the inverse): higher, finer steps. */
  drive: number;
  /** The drive at the hardest crush of a glitch step. */
  hardest: number;
  /** Seconds of the wobble's delay at rest; a step's bend swings it. */
  wobble: number;
  /** Longest stutter slice, seconds. */
  maxSlice: number;
  /** How much of a slice comes round again while it stutters. */
  repeat: number;
  /** The dry band's level while a slice stutters. */
  duck: number;
}

const staircase = (levels: number, size = 4096): Float32Array => {
  const curve = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const x = (i / (size - 1)) * 2 - 1;
    curve[i] = Math.round(x * levels) / levels;
  }
  return curve;
};

type GainParam = Tone.Param<'gain'>;

export class GlitchEffects extends Tone.ToneAudioNode<GlitchEffectsOptions> {
  readonly name: string = 'GlitchEffects';
  readonly input: Tone.Gain;
  readonly output: Tone.Delay;
  private readonly settings: GlitchEffectsOptions;
  private readonly crushDry: Tone.Gain;
  private readonly crushDrive: Tone.Gain;
  private readonly crushWet: Tone.Gain;
  private readonly crushMakeup: Tone.Gain;
  private readonly stutterDry: Tone.Gain;
  private readonly stutterCapture: Tone.Gain;
  private readonly stutterDelay: Tone.Delay;
  private readonly stutterFeedback: Tone.Gain;
  private readonly stutterWet: Tone.Gain;
  private readonly nodes = new Owned();
  private readonly glide = new Glide();

  constructor(options?: Partial<GlitchEffectsOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(GlitchEffects.getDefaults(), arguments);
    super(options);
    this.settings = options;
    const ctx = this.context;
    const gain = (value: number) => this.nodes.add(new Tone.Gain({ context: ctx, gain: value }));
    this.input = gain(1);
    // Bit-crush: a staircase wave-shaper; the drive in front sets how coarse the steps are.
    this.crushDry = gain(1);
    this.crushDrive = gain(options.drive);
    this.crushWet = gain(0);
    this.crushMakeup = gain(1 / options.drive);
    const crusher = this.nodes.add(new Tone.WaveShaper({ context: ctx }));
    crusher.curve = staircase(options.crushSteps);
    crusher.oversample = 'none';
    const stutterIn = gain(1);
    this.input.fan(this.crushDry, this.crushDrive);
    this.crushDry.connect(stutterIn);
    this.crushDrive.chain(crusher, this.crushMakeup, this.crushWet, stutterIn);

    // Stutter (a beat repeat): capture a slice into a delay line and let it circulate.
    this.stutterDry = gain(1);
    this.stutterCapture = gain(0);
    this.stutterDelay = this.nodes.add(new Tone.Delay({ context: ctx, delayTime: 0.1, maxDelay: options.maxSlice }));
    this.stutterFeedback = gain(0);
    this.stutterWet = gain(0);
    this.output = this.nodes.add(new Tone.Delay({ context: ctx, delayTime: options.wobble, maxDelay: 0.05 }));
    stutterIn.fan(this.stutterDry, this.stutterCapture);
    this.stutterDry.connect(this.output);
    this.stutterCapture.connect(this.stutterDelay);
    this.stutterDelay.fan(this.stutterWet, this.stutterFeedback);
    this.stutterFeedback.connect(this.stutterDelay);
    this.stutterWet.connect(this.output);
  }

  static override getDefaults(): GlitchEffectsOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), { crushSteps: 8, drive: 2.5, hardest: 0.4, wobble: 0.015, maxSlice: 1, repeat: 0.94, duck: 0.12 });
  }

  /** Follow the score's crush mix (0..1). */
  follow(crush: number, time: number, seconds: number): void {
    this.glide.to(this.crushWet.gain, crush * 0.9, time, seconds);
    this.glide.to(this.crushDry.gain, 1 - 0.65 * crush, time, seconds);
  }

  /** One glitch step of the score, from `t0` (context seconds), `spb` seconds a beat. */
  play(g: GlitchEvent, t0: number, spb: number): void {
    const D = g.duration * spb;
    const r = Math.min(RAMP, D / 8);
    this.crush(g.crush, t0, D, r);
    this.bend(g.wobble, t0, D);
    if (g.stutter >= 2) this.stutter(g.stutter, t0, D, r);
  }

  /** Crush harder for the step. */
  private crush(amount: number, t0: number, D: number, r: number): void {
    const rest = this.settings.drive;
    const drive = rest - (rest - this.settings.hardest) * amount;
    const pairs: [GainParam, number, number][] = [
      [this.crushDrive.gain, drive, rest],
      [this.crushMakeup.gain, 1 / drive, 1 / rest],
    ];
    for (const [p, v, atRest] of pairs) hold(p, atRest, v, [t0, t0 + r, t0 + D - r, t0 + D]);
  }

  /** A tape wobble of the whole band: the delay time swells and returns across the step. */
  private bend(cents: number, t0: number, D: number): void {
    const base = this.settings.wobble;
    const ratio = 2 ** (Math.abs(cents) / 1200);
    const swing = Math.min(base * 0.9, (ratio - 1) * (D / 2));
    const w = this.output.delayTime;
    w.setValueAtTime(base, t0);
    w.linearRampToValueAtTime(base + (cents < 0 ? swing : -swing), t0 + D / 2);
    w.linearRampToValueAtTime(base, t0 + D);
  }

  /** Capture the step's first slice and repeat it for the rest of the step, the dry band ducked. */
  private stutter(slices: number, t0: number, D: number, r: number): void {
    const slice = D / slices;
    const tEnd = t0 + D;
    this.stutterDelay.delayTime.setValueAtTime(slice, t0);
    hold(this.stutterCapture.gain, 0, 1, [t0, t0 + r, t0 + slice - r, t0 + slice]);
    const fb = this.stutterFeedback.gain;
    fb.setValueAtTime(0, t0);
    fb.linearRampToValueAtTime(this.settings.repeat, t0 + r);
    fb.setValueAtTime(this.settings.repeat, tEnd - slice);
    fb.linearRampToValueAtTime(0, tEnd - slice + r);
    const times = [t0 + slice - r, t0 + slice, tEnd - r, tEnd] as const;
    hold(this.stutterWet.gain, 0, 1, times);
    hold(this.stutterDry.gain, 1, this.settings.duck, times);
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

/** At `rest` until `rise`, ramp to `value` by `top`, hold it until `fall`, back at `rest` by `end`. */
const hold = (p: GainParam, rest: number, value: number, [rise, top, fall, end]: readonly [number, number, number, number]): void => {
  p.setValueAtTime(rest, rise);
  p.linearRampToValueAtTime(value, top);
  p.setValueAtTime(value, fall);
  p.linearRampToValueAtTime(rest, end);
};
