/**
 * The symphony's master bus: sum (with make-up gain) → fade → door → compressor → limiter →
 * ceiling → cap trim. The fade is the score's level and panic, the door the start and stop; the
 * limiter and the clipper after it keep every sample under -1 dBFS, and the cap trim lowers that
 * to the dream's safety cap.
 */
import * as Tone from 'tone';
import { Glide, RAMP } from './glide.ts';
import { Owned } from './owned.ts';
import type { NodeTally } from './owned.ts';

/** Seconds for panic to silence the music (the model's fade takes 0.4 s; we are faster). */
export const PANIC_RAMP = 0.25;
/** The ceiling of the safety clipper after the limiter: just under -1 dBFS. */
export const CEILING_DB = -1.05;

export interface MasterBusOptions extends Tone.ToneAudioNodeOptions {
  /** Gain of the sum: the voices are mixed with headroom; the compressor and limiter take it back. */
  makeup: number;
  compressor: { threshold: number; ratio: number; attack: number; release: number; knee: number };
  /** dB at which the limiter holds. */
  limit: number;
  /** dBFS the clipper after the limiter never passes. */
  ceiling: number;
}

/** Identity up to a knee, then a smooth shoulder that never passes the ceiling. */
export const ceilingCurve = (ceiling: number, size = 8193): Float32Array => {
  const knee = ceiling * 0.82;
  const curve = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const x = (i / (size - 1)) * 2 - 1;
    const a = Math.abs(x);
    const y = a <= knee ? a : knee + (ceiling - knee) * Math.tanh((a - knee) / (ceiling - knee));
    curve[i] = Math.sign(x) * Math.min(y, ceiling);
  }
  return curve;
};

export class MasterBus extends Tone.ToneAudioNode<MasterBusOptions> {
  readonly name: string = 'MasterBus';
  readonly input: Tone.Gain;
  readonly output: Tone.Gain;
  private readonly fade: Tone.Gain;
  private readonly door: Tone.Gain;
  private readonly capTrim: Tone.Gain;
  private readonly nodes = new Owned();
  private readonly glide = new Glide();

  constructor(options?: Partial<MasterBusOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(MasterBus.getDefaults(), arguments);
    super(options);
    const ctx = this.context;
    const gain = (value: number) => this.nodes.add(new Tone.Gain({ context: ctx, gain: value }));
    this.output = gain(1);
    this.capTrim = gain(1);
    // Tone's WaveShaper sets a curve given as an option only once the context runs (offline:
    // mid-render); the curve is set directly so it is there from the first sample.
    const ceiling = this.nodes.add(new Tone.WaveShaper({ context: ctx }));
    ceiling.curve = ceilingCurve(Tone.dbToGain(options.ceiling));
    ceiling.oversample = 'none';
    const limiter = this.nodes.add(new Tone.Limiter({ context: ctx, threshold: options.limit }));
    const compressor = this.nodes.add(new Tone.Compressor({ context: ctx, ...options.compressor }));
    this.door = gain(0);
    this.fade = gain(0);
    this.input = gain(options.makeup);
    this.input.chain(this.fade, this.door, compressor, limiter, ceiling, this.capTrim, this.output);
  }

  static override getDefaults(): MasterBusOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), {
      makeup: 1.8,
      compressor: { threshold: -18, ratio: 2.5, attack: 0.03, release: 0.4, knee: 10 },
      limit: -3,
      ceiling: CEILING_DB,
    });
  }

  /** Open the door (start) or close it (stop) from `time` over `seconds`. */
  open(time: number, seconds: number): void {
    this.ramp(this.door.gain, 1, time, seconds);
  }

  close(time: number, seconds: number): void {
    this.ramp(this.door.gain, 0, time, seconds);
  }

  /** Silence the music from `time`, without waiting for the scheduler's next run. */
  panic(time: number): void {
    this.ramp(this.fade.gain, 0, time, PANIC_RAMP);
    this.glide.mark(this.fade.gain, 0);
  }

  /** Follow the score's level and the dream's safety cap (dBFS, -1 at most). */
  follow(level: number, capDb: number, time: number, seconds: number): void {
    this.glide.to(this.fade.gain, level, time, seconds);
    // The ceiling sits at -1 dBFS: the trim after it takes the rest of the way to the cap.
    this.glide.to(this.capTrim.gain, Tone.dbToGain(Math.min(-1, capDb) + 1), time, 0.3);
  }

  private ramp(param: Tone.Param<'gain'>, value: number, time: number, seconds: number): void {
    param.cancelAndHoldAtTime(time);
    param.linearRampToValueAtTime(value, time + Math.max(RAMP, seconds));
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
