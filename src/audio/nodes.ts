/**
 * Light versions of Tone's effects for the symphony: the same sound in a handful of native nodes.
 * Tone builds its LFOs from signal operators and gives every effect a wet/dry crossfade; offline,
 * where the render runs as fast as the audio thread can pull the graph, each of those nodes costs
 * time on every block. Built like Tone's classes: Options with defaults, dispose() disposes all.
 */
import * as Tone from 'tone';

export interface VibratoOptions extends Tone.ToneAudioNodeOptions {
  /** Hz of the wobble. */
  frequency: number;
  /** 0..1: how much of the delay's range the wobble sweeps. */
  depth: number;
  /** Seconds: the longest delay of the sweep. */
  maxDelay: number;
}

/**
 * Tone.Vibrato's sound (wet): a delay line whose time a cosine, started when it is made, sweeps
 * around maxDelay/2 by ±depth·maxDelay/2. Tone's has some 25 nodes; this has three.
 */
export class Vibrato extends Tone.ToneAudioNode<VibratoOptions> {
  readonly name: string = 'Vibrato';
  readonly input: Tone.Delay;
  readonly output: Tone.Delay;
  private readonly lfo: OscillatorNode;
  private readonly sweep: Tone.Gain;

  constructor(options?: Partial<VibratoOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(Vibrato.getDefaults(), arguments);
    super(options);
    const half = options.maxDelay / 2;
    this.input = this.output = new Tone.Delay({ context: this.context, maxDelay: options.maxDelay, delayTime: half });
    this.sweep = new Tone.Gain({ context: this.context, gain: half * options.depth });
    this.lfo = this.context.createOscillator();
    // Tone's LFO under its vibrato starts at phase -90°: a cosine.
    this.lfo.setPeriodicWave(this.context.createPeriodicWave(new Float32Array([0, 1]), new Float32Array([0, 0])));
    this.lfo.frequency.value = options.frequency;
    Tone.connect(this.lfo, this.sweep);
    this.sweep.connect(this.input.delayTime);
    this.lfo.start(this.now());
  }

  static override getDefaults(): VibratoOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), { frequency: 5, depth: 0.1, maxDelay: 0.005 });
  }

  override dispose(): this {
    super.dispose();
    this.lfo.stop();
    this.lfo.disconnect();
    this.sweep.dispose();
    return this;
  }
}

export interface EchoOptions extends Tone.ToneAudioNodeOptions {
  delayTime: number;
  feedback: number;
  maxDelay: number;
}

/** Tone.FeedbackDelay at wet 1 (the echo alone), without its wet/dry crossfade: three nodes. */
export class Echo extends Tone.ToneAudioNode<EchoOptions> {
  readonly name: string = 'Echo';
  readonly input: Tone.Gain;
  readonly output: Tone.Delay;
  readonly delayTime: Tone.Param<'time'>;
  readonly feedback: Tone.Param<'gain'>;
  private readonly loop: Tone.Gain;

  constructor(options?: Partial<EchoOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(Echo.getDefaults(), arguments);
    super(options);
    this.input = new Tone.Gain({ context: this.context });
    this.output = new Tone.Delay({ context: this.context, delayTime: options.delayTime, maxDelay: options.maxDelay });
    this.loop = new Tone.Gain({ context: this.context, gain: options.feedback });
    this.delayTime = this.output.delayTime;
    this.feedback = this.loop.gain;
    this.input.chain(this.output, this.loop, this.input);
  }

  static override getDefaults(): EchoOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), { delayTime: 0.25, feedback: 0.35, maxDelay: 1 });
  }

  override dispose(): this {
    super.dispose();
    this.loop.dispose();
    return this;
  }
}

/**
 * The coefficients of a Web Audio low-pass biquad (Q in dB, as BiquadFilterNode takes it), times
 * a gain: a damped comb's filter and its feedback gain in one IIRFilterNode.
 */
export const lowpassTimes = (frequency: number, qDb: number, gain: number, sampleRate: number): { feedforward: number[]; feedback: number[] } => {
  const w0 = (2 * Math.PI * frequency) / sampleRate;
  const alpha = Math.sin(w0) / (2 * 10 ** (qDb / 20));
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b = ((1 - cos) / 2 / a0) * gain;
  return { feedforward: [b, 2 * b, b], feedback: [1, (-2 * cos) / a0, (1 - alpha) / a0] };
};

export interface HallOptions extends Tone.ToneAudioNodeOptions {
  /** Comb lengths in samples at 44.1 kHz (Freeverb's). */
  combs: readonly number[];
  /** Every comb length is scaled by this. */
  scale: number;
  /** Seconds for the tail to fall by 60 dB. */
  rt60: number;
  /** Low-pass in every comb's loop, Hz, and its Q in dB (below -3 dB: no peak, the loop stays stable). */
  damping: number;
  dampingQ: number;
  /** Output level. */
  level: number;
}

/**
 * The hall: damped feedback combs in parallel (Freeverb's), each a delay and one IIR filter in a
 * loop (the low-pass and the feedback gain in one node). One bank serves both channels: it takes
 * the sum of the two and gives the left the sum of its combs and the right the combs with every
 * other one inverted, two tails as uncorrelated as two banks would give, for half the work.
 */
export class Hall extends Tone.ToneAudioNode<HallOptions> {
  readonly name: string = 'Hall';
  readonly input: Tone.Gain;
  readonly output: Tone.Gain;
  private readonly parts: Tone.ToneAudioNode[] = [];
  private readonly filters: IIRFilterNode[] = [];

  constructor(options?: Partial<HallOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(Hall.getDefaults(), arguments);
    super(options);
    const ctx = this.context;
    // The down-mix halves the sum of two uncorrelated channels: √2 brings its power back, and
    // 4% more keeps the tail as loud as two banks of eight made it (measured).
    this.input = new Tone.Gain({ context: ctx, gain: Math.SQRT2 * 1.04 });
    this.input.channelCount = 1;
    this.input.channelCountMode = 'explicit';
    this.output = new Tone.Gain({ context: ctx, gain: options.level });
    const even = new Tone.Gain({ context: ctx });
    const odd = new Tone.Gain({ context: ctx });
    const invertedOdd = new Tone.Gain({ context: ctx, gain: -1 });
    const merge = new Tone.Merge({ context: ctx, channels: 2 });
    this.parts.push(even, odd, invertedOdd, merge);
    options.combs.forEach((samples, i) => {
      const delayTime = (samples / 44100) * options.scale;
      const delay = new Tone.Delay({ context: ctx, delayTime, maxDelay: 0.1 });
      const { feedforward, feedback } = lowpassTimes(options.damping, options.dampingQ, 10 ** ((-3 * delayTime) / options.rt60), ctx.sampleRate);
      const loop = ctx.createIIRFilter(feedforward, feedback);
      this.parts.push(delay);
      this.filters.push(loop);
      this.input.connect(delay);
      Tone.connect(delay, loop);
      Tone.connect(loop, delay);
      delay.connect(i % 2 ? odd : even);
    });
    even.connect(merge, 0, 0);
    even.connect(merge, 0, 1);
    odd.connect(merge, 0, 0);
    odd.chain(invertedOdd);
    invertedOdd.connect(merge, 0, 1);
    merge.connect(this.output);
  }

  static override getDefaults(): HallOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), {
      combs: [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617],
      scale: 1,
      rt60: 3,
      damping: 3800,
      dampingQ: -4,
      level: 1,
    });
  }

  override dispose(): this {
    super.dispose();
    for (const p of this.parts) p.dispose();
    for (const f of this.filters) f.disconnect();
    return this;
  }
}

/** Automation events a glided parameter keeps. */
export const AUTOMATION_MEMORY = 64;

/**
 * Tone keeps the last 1,000 automation events of every Param (its Timeline's `memory`), and the
 * engine glides its long-lived parameters many times a minute: over a long show that is ~1.5 MB
 * of old events the music never reads again (found by the 30-minute soak). Keep the last 64:
 * a parameter's value is read from the events around the present, never from a minute ago.
 * `_events` is Tone's own field (tone 15); tests/audio/nodes.test.ts fails if it moves.
 */
export const capAutomationMemory = (param: Tone.Param<Tone.Unit.UnitName> | Tone.Signal<Tone.Unit.UnitName>): void => {
  // A Param holds its events; a Signal holds them on the Param inside it (its `_param`).
  type Held = { _events?: { memory: number }; _param?: Held };
  const held = param as unknown as Held;
  const events = held._events ?? held._param?._events;
  if (events && events.memory > AUTOMATION_MEMORY) events.memory = AUTOMATION_MEMORY;
};
