/**
 * The NeuroSymphony: a Tone.js instrument that plays the score (score.ts) of a dream-state it
 * follows. Built like Tone's own classes: an Options type with defaults, every node it makes is
 * owned and `dispose()` disposes them all. It plays on a context's Transport with look-ahead
 * scheduling, so the same class renders live and offline (offline.ts).
 */
import * as Tone from 'tone';
import type { DreamState, Voice } from '../model/index.ts';
import { tick } from '../model/index.ts';
import { impulseResponse } from './impulse.ts';
import { capAutomationMemory, Echo, Hall, Vibrato } from './nodes.ts';
import { midiToHz, score, scoreParams } from './score.ts';
import type { GlitchEvent, NoteEvent, SymphonyParams } from './score.ts';

/** Where the symphony reads the dream: the store, or a simulated dream offline. */
export interface DreamSource {
  getState(): DreamState;
  subscribe(listener: (state: DreamState, previous: DreamState) => void): () => void;
}

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

/** Seconds for panic to silence the music (the model's fade takes 0.4 s; we are faster). */
export const PANIC_RAMP = 0.25;
/** The ceiling of the safety clipper after the limiter: just under -1 dBFS. */
export const CEILING_DB = -1.05;
const RAMP = 0.012;
/** How far the music's beat may drift from the dream's before it jumps to it. */
const RESYNC_BEATS = 4;
/** Freeverb's comb lengths (samples at 44.1 kHz) and the level of the comb bank. */
const HALL_COMBS = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617] as const;
const HALL_LEVEL = 0.05;
/** Seconds over which a voice that leaves the dream fades out. */
const RETIRE_FADE = 1.2;

/** One partial of a voice: an oscillator at a ratio of the note's frequency. */
interface Overtone {
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
interface Recipe {
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

interface VoiceSpec {
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

export const VOICE_SPECS: Readonly<Record<Voice | 'glitch', VoiceSpec>> = {
  pad: {
    recipe: { partials: [saw(-7, 0.5), saw(7, 0.5), { type: 'triangle', ratio: 0.5, cents: 0, gain: 0.35 }], attack: 1.8, decay: 1.2, sustain: 0.75, release: 3.5 },
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
    recipe: { partials: [saw(-6, 0.5), saw(6, 0.5), { type: 'triangle', ratio: 1, cents: 0, gain: 0.3 }], attack: 0.4, decay: 0.3, sustain: 0.9, release: 1.6 },
    trim: 1.5,
    echo: 0.15,
    tone: 1.4,
    vibrato: 10,
  },
  bell: {
    recipe: {
      partials: [
        { type: 'sine', ratio: 1, cents: 0, gain: 0.8 },
        { type: 'sine', ratio: 2.756, cents: 0, gain: 0.18 },
      ],
      fm: { ratio: 3.01, index: 4.5, sustain: 0.15, decay: 1.1 },
      attack: 0.012,
      decay: 2.8,
      sustain: 0,
      release: 2.4,
    },
    trim: 0.4,
    echo: 0.45,
    tone: 2.5,
    vibrato: 0,
  },
  pluck: {
    recipe: {
      partials: [saw(0, 0.7), { type: 'triangle', ratio: 2, cents: 3, gain: 0.25 }],
      sweep: { from: 9, to: 1.6, decay: 0.25 },
      attack: 0.012,
      decay: 1.1,
      sustain: 0,
      release: 0.8,
    },
    trim: 0.5,
    echo: 0.5,
    tone: 1.2,
    vibrato: 0,
  },
  bass: {
    recipe: { partials: [{ type: 'triangle', ratio: 1, cents: 0, gain: 0.8 }, { type: 'sine', ratio: 1, cents: 0, gain: 0.5 }], attack: 0.06, decay: 0.8, sustain: 0.8, release: 1.5 },
    trim: 0.45,
    echo: 0,
    tone: 0.2,
    vibrato: 0,
  },
  lead: {
    recipe: {
      partials: [{ type: 'sine', ratio: 1, cents: 0, gain: 0.8 }, { type: 'triangle', ratio: 2, cents: 2, gain: 0.12 }],
      fm: { ratio: 1, index: 1.6, sustain: 0.6, decay: 0.4 },
      attack: 0.09,
      decay: 0.4,
      sustain: 0.8,
      release: 1.3,
    },
    trim: 0.5,
    echo: 0.35,
    tone: 1.3,
    vibrato: 12,
  },
  glitch: {
    recipe: {
      partials: [{ type: 'square', ratio: 1, cents: 0, gain: 0.6 }],
      fm: { ratio: 2.5, index: 10, sustain: 0, decay: 0.05 },
      attack: 0.01,
      decay: 0.07,
      sustain: 0,
      release: 0.04,
    },
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

/** The pitch wobble is a tape-style wobble: a short delay whose time is ramped (seconds). */
const WOBBLE_BASE = 0.015;

type OwnedNode = Tone.ToneAudioNode | Tone.Signal<Tone.Unit.UnitName>;

interface VoiceChain {
  key: string;
  voice: Voice | 'glitch';
  /** Where a note connects. */
  inputs: Tone.ToneAudioNode[];
  filter: Tone.BiquadFilter;
  formants: Tone.BiquadFilter[];
  panner: Tone.Panner;
  gain: Tone.Gain;
  /** Every persistent node of the chain, disposed together. */
  nodes: OwnedNode[];
  /** Context time when the last note on it has rung out. */
  lastEnd: number;
  born: number;
  retired: boolean;
}

interface SoundingNote {
  /** Native nodes: a note's nodes are made by the hundred, so without Tone's wrappers. */
  nodes: AudioNode[];
  end: number;
}

/** Created minus disposed, over every node any NeuroSymphony made: a leak shows here. */
const counter = { persistent: 0, notes: 0 };

const staircase = (levels: number, size = 4096): Float32Array => {
  const curve = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const x = (i / (size - 1)) * 2 - 1;
    curve[i] = Math.round(x * levels) / levels;
  }
  return curve;
};

/** Identity up to a knee, then a smooth shoulder that never passes the ceiling. */
const ceilingCurve = (ceiling: number, size = 8193): Float32Array => {
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

const vibratoDepth = (cents: number, frequency: number, maxDelay: number): number => {
  const deviation = 2 ** (cents / 1200) - 1;
  return Math.min(1, (2 * deviation) / (2 * Math.PI * frequency * maxDelay));
};

export class NeuroSymphony extends Tone.ToneAudioNode<NeuroSymphonyOptions> {
  readonly name: string = 'NeuroSymphony';
  readonly input: undefined = undefined;
  readonly output: Tone.Gain;
  /** The options it was made with (read at every run of the scheduler). */
  readonly settings: NeuroSymphonyOptions;

  /** Every persistent node this instance made and has not yet disposed. */
  private readonly owned = new Set<OwnedNode>();
  /**
   * Persistent nodes made, and released with their `disposed` flag set, so a test can check that
   * each one was disposed. Counts, not a list: a list of every node ever made kept the disposed
   * ones alive, and the heap grew with every preset switch (found by a 30-minute soak).
   */
  private madeTotal = 0;
  private disposedTotal = 0;
  private readonly sounding = new Set<SoundingNote>();

  private readonly source: DreamSource;
  private readonly transport: Tone.BaseContext['transport'];
  private readonly mixBus: Tone.Gain;
  private readonly echoBus: Tone.Gain;
  private readonly echo: Echo;
  private readonly crushDry: Tone.Gain;
  private readonly crushDrive: Tone.Gain;
  private readonly crushWet: Tone.Gain;
  private readonly crushMakeup: Tone.Gain;
  private readonly stutterDry: Tone.Gain;
  private readonly stutterCapture: Tone.Gain;
  private readonly stutterDelay: Tone.Delay;
  private readonly stutterFeedback: Tone.Gain;
  private readonly stutterWet: Tone.Gain;
  private readonly wobbleDelay: Tone.Delay;
  private readonly toneFilter: Tone.BiquadFilter;
  private readonly reverbSend: Tone.Gain;
  private readonly roomSend: Tone.Gain;
  private readonly hallSend: Tone.Gain;
  private readonly fade: Tone.Gain;
  private readonly door: Tone.Gain;
  private readonly capTrim: Tone.Gain;

  private chains: VoiceChain[] = [];
  private readonly glitchChain: VoiceChain;
  private readonly retired = new Set<VoiceChain>();
  private readonly timeouts = new Set<number>();
  private readonly targets = new WeakMap<object, number>();
  private unsubscribe: (() => void) | null = null;
  private repeatId: number | null = null;
  private anchor: { state: DreamState; at: number };
  private cursor: number | null = null;
  private musicBeat: { beat: number; at: number } | null = null;
  private playing = false;
  private ownsTransport = false;
  private lastAudible = 0;
  /** While the offline driver moves the dream: the Transport time it moves it to. */
  private drivingAt: number | null = null;
  private structure = '';
  private readonly recent: NoteEvent[] = [];
  private lastParams: SymphonyParams | null = null;

  constructor(options?: Partial<NeuroSymphonyOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(NeuroSymphony.getDefaults(), arguments);
    super(options);
    if (!options.source) throw new TypeError('NeuroSymphony: options.source (the dream to follow) is required');
    this.source = options.source;
    this.settings = options;
    this.transport = this.context.transport;
    const ctx = this.context;
    const gain = (value: number) => this.own(new Tone.Gain({ context: ctx, gain: value }));

    // ---- the master bus: sum → fade → door → compressor → limiter → ceiling → cap trim ------
    this.output = gain(1);
    this.capTrim = gain(1);
    // Tone's WaveShaper sets a curve given as an option only once the context runs (offline:
    // mid-render); the curve is set directly so it is there from the first sample.
    const ceiling = this.own(new Tone.WaveShaper({ context: ctx }));
    ceiling.curve = ceilingCurve(Tone.dbToGain(CEILING_DB));
    ceiling.oversample = 'none';
    const limiter = this.own(new Tone.Limiter({ context: ctx, threshold: -3 }));
    const compressor = this.own(new Tone.Compressor({ context: ctx, threshold: -18, ratio: 2.5, attack: 0.03, release: 0.4, knee: 10 }));
    this.door = gain(0);
    this.fade = gain(0);
    // Make-up gain: the voices are mixed with headroom; the compressor and limiter take it back.
    const masterSum = gain(1.8);
    masterSum.chain(this.fade, this.door, compressor, limiter, ceiling, this.capTrim, this.output);

    // ---- reverb: a room (a short convolution: early, diffuse) that feeds a hall (a bank of
    // damped feedback combs, Freeverb's, for the long tail); depth moves from room to hall.
    // A long convolution would sound as good but renders offline several times slower. The
    // room's 1.3 s response is kept to 0.6 s, where it is 30 dB down under the hall's tail: the
    // convolution costs a third less, the decay of the whole reverb moves by under a decibel.
    const sr = ctx.sampleRate;
    const [irL, irR] = impulseResponse({ rt60: 1.2, seconds: 1.3, predelay: 0.012, damping: 0.55, seed: 101, keep: 0.6 }, sr);
    const ir = ctx.createBuffer(2, irL.length, sr);
    ir.copyToChannel(irL as Float32Array<ArrayBuffer>, 0);
    ir.copyToChannel(irR as Float32Array<ArrayBuffer>, 1);
    const room = this.own(new Tone.Convolver({ context: ctx, url: new Tone.ToneAudioBuffer(ir), normalize: false }));
    this.reverbSend = gain(0);
    this.roomSend = gain(0);
    this.hallSend = gain(0);
    this.reverbSend.connect(room);
    room.fan(this.roomSend, this.hallSend);
    this.roomSend.connect(masterSum);
    // The hall: eight damped feedback combs in parallel (Freeverb's tunings, stretched).
    const hall = this.own(new Hall({ context: ctx, combs: HALL_COMBS, scale: 1.35, rt60: 6, damping: this.hz(3800), dampingQ: -4, level: HALL_LEVEL }));
    this.hallSend.chain(hall, masterSum);

    // ---- the band: voices → mix → tone → crush → stutter → wobble → (dry, room, hall) ---------
    this.mixBus = gain(1);
    this.toneFilter = this.own(new Tone.BiquadFilter({ context: ctx, type: 'lowpass', frequency: 4000, Q: 0.6 }));
    this.mixBus.connect(this.toneFilter);

    // Bit-crush: a staircase wave-shaper; the drive in front sets how coarse the steps are.
    this.crushDry = gain(1);
    this.crushDrive = gain(2.5);
    this.crushWet = gain(0);
    this.crushMakeup = gain(1 / 2.5);
    const crusher = this.own(new Tone.WaveShaper({ context: ctx }));
    crusher.curve = staircase(8);
    crusher.oversample = 'none';
    const stutterIn = gain(1);
    this.toneFilter.fan(this.crushDry, this.crushDrive);
    this.crushDry.connect(stutterIn);
    this.crushDrive.chain(crusher, this.crushMakeup, this.crushWet, stutterIn);

    // Stutter (a beat repeat): capture a slice into a delay line and let it circulate.
    this.stutterDry = gain(1);
    this.stutterCapture = gain(0);
    this.stutterDelay = this.own(new Tone.Delay({ context: ctx, delayTime: 0.1, maxDelay: 1 }));
    this.stutterFeedback = gain(0);
    this.stutterWet = gain(0);
    this.wobbleDelay = this.own(new Tone.Delay({ context: ctx, delayTime: WOBBLE_BASE, maxDelay: 0.05 }));
    stutterIn.fan(this.stutterDry, this.stutterCapture);
    this.stutterDry.connect(this.wobbleDelay);
    this.stutterCapture.connect(this.stutterDelay);
    this.stutterDelay.fan(this.stutterWet, this.stutterFeedback);
    this.stutterFeedback.connect(this.stutterDelay);
    this.stutterWet.connect(this.wobbleDelay);
    this.wobbleDelay.fan(masterSum, this.reverbSend);

    // A tempo-synced echo for the bells, plucks and lead, fed back into the band.
    this.echoBus = gain(0.4);
    this.echo = this.own(new Echo({ context: ctx, delayTime: 0.6, feedback: 0.35, maxDelay: 4 }));
    const echoTone = this.own(new Tone.BiquadFilter({ context: ctx, type: 'bandpass', frequency: 1600, Q: 0.5 }));
    this.echoBus.chain(this.echo, echoTone, this.mixBus);

    this.glitchChain = this.makeChain('glitch', 'glitch');
    const state = this.source.getState();
    this.anchor = { state, at: 0 };
    this.syncStructure(state);
    this.unsubscribe = this.source.subscribe((s, prev) => this.follow(s, prev));
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

  // ---- ownership ---------------------------------------------------------------------------------

  private own<T extends OwnedNode>(node: T): T {
    this.owned.add(node);
    this.madeTotal++;
    counter.persistent++;
    return node;
  }

  private release(node: OwnedNode): void {
    if (!this.owned.delete(node)) return;
    node.dispose();
    if (node.disposed) this.disposedTotal++;
    counter.persistent--;
  }

  private releaseNote(note: SoundingNote): void {
    if (!this.sounding.delete(note)) return;
    for (const n of note.nodes) n.disconnect();
    counter.notes -= note.nodes.length;
  }

  /** Nodes made by every NeuroSymphony and not yet disposed: persistent ones and those of notes. */
  static liveNodes(): { persistent: number; notes: number; total: number } {
    return { persistent: counter.persistent, notes: counter.notes, total: counter.persistent + counter.notes };
  }

  /** Persistent nodes this instance owns now, and nodes of its notes still sounding. */
  get nodeCount(): { persistent: number; notes: number } {
    let notes = 0;
    for (const n of this.sounding) notes += n.nodes.length;
    return { persistent: this.owned.size, notes };
  }

  /** True when every node this instance ever made has been disposed. */
  get allDisposed(): boolean {
    return this.owned.size === 0 && this.sounding.size === 0 && this.disposedTotal === this.madeTotal;
  }

  get madeCount(): number {
    return this.madeTotal;
  }

  // ---- voices ------------------------------------------------------------------------------------

  private makeChain(key: string, voice: Voice | 'glitch'): VoiceChain {
    const ctx = this.context;
    const spec = VOICE_SPECS[voice];
    const nodes: OwnedNode[] = [];
    const own = <T extends OwnedNode>(n: T): T => {
      nodes.push(this.own(n));
      return n;
    };
    const gain = own(new Tone.Gain({ context: ctx, gain: 0 }));
    const panner = own(new Tone.Panner({ context: ctx, pan: 0 }));
    const filter = own(new Tone.BiquadFilter({ context: ctx, type: 'lowpass', frequency: 2000, Q: 0.5 }));
    const echo = own(new Tone.Gain({ context: ctx, gain: spec.echo }));
    filter.chain(panner, gain, this.mixBus);
    gain.connect(echo);
    echo.connect(this.echoBus);
    let into: Tone.ToneAudioNode = filter;
    if (spec.vibrato > 0) {
      const frequency = 4.7 + 0.6 * ((key.charCodeAt(0) % 7) / 7);
      const vibrato = own(new Vibrato({ context: ctx, frequency, maxDelay: 0.005, depth: vibratoDepth(spec.vibrato, frequency, 0.005) }));
      vibrato.connect(filter);
      into = vibrato;
    }
    const formants: Tone.BiquadFilter[] = [];
    if (voice === 'choir') {
      VOWEL_AH.forEach((f, n) => {
        const bp = own(new Tone.BiquadFilter({ context: ctx, type: 'bandpass', frequency: f, Q: 6 + n * 3 }));
        const g = own(new Tone.Gain({ context: ctx, gain: FORMANT_GAINS[n]! }));
        bp.chain(g, into);
        formants.push(bp);
      });
    }
    return { key, voice, inputs: formants.length ? formants : [into], filter, formants, panner, gain, nodes, lastEnd: 0, born: -1, retired: false };
  }

  /** Rebuild the voices when the dreamers change (a preset switch, a dreamer's new voice). */
  private syncStructure(s: DreamState): void {
    const key = s.dreamers.map((d, i) => `${i}:${d.id}:${d.voice}`).join('|');
    if (key === this.structure) return;
    this.structure = key;
    const next: VoiceChain[] = [];
    s.dreamers.forEach((d, i) => {
      const k = `${i}:${d.id}:${d.voice}`;
      const old = this.chains[i];
      next.push(old && old.key === k ? old : this.makeChain(k, d.voice));
    });
    for (const old of this.chains) if (!next.includes(old)) this.retire(old);
    this.chains = next;
  }

  /** Fade a voice out and dispose it once it is silent (its notes end on their own). */
  private retire(c: VoiceChain): void {
    c.retired = true;
    this.retired.add(c);
    const now = this.context.currentTime;
    this.glide(c.gain.gain, 0, now + 0.01, RETIRE_FADE);
    c.lastEnd = now + RETIRE_FADE + 0.1;
    // Offline, the graph is rendered after every scheduler run: nothing may be disconnected
    // then; the renderer calls sweep() while the rendering is suspended.
    if (this.context.isOffline) return;
    this.later(c.lastEnd - now + 0.3, () => this.disposeChain(c));
  }

  private disposeChain(c: VoiceChain): void {
    this.retired.delete(c);
    for (const n of c.nodes) this.release(n);
    c.nodes.length = 0;
  }

  /**
   * Dispose the notes and retired voices that have rung out by `time` (context seconds). Live,
   * timeouts do this; offline, the renderer calls it while the rendering is suspended, so a
   * long render does not drag every finished note along.
   */
  sweep(time: number): void {
    for (const note of [...this.sounding]) if (note.end + 0.05 < time) this.releaseNote(note);
    for (const c of [...this.retired]) if (c.lastEnd + 0.05 < time) this.disposeChain(c);
  }

  private later(seconds: number, fn: () => void): void {
    const id = this.context.setTimeout(() => {
      this.timeouts.delete(id);
      if (!this.disposed) fn();
    }, seconds);
    this.timeouts.add(id);
  }

  // ---- following the dream -----------------------------------------------------------------------

  private follow(s: DreamState, prev: DreamState): void {
    if (this.disposed) return;
    if (s.clock !== this.anchor.state.clock || s.beat !== this.anchor.state.beat) this.anchor = { state: s, at: this.drivingAt ?? this.transportNow() };
    else this.anchor = { state: s, at: this.anchor.at };
    if (s.dreamers !== prev.dreamers) this.syncStructure(s);
    // Panic does not wait for the scheduler: the fade starts now.
    if (s.output.panic && !prev.output.panic) {
      const now = this.context.currentTime + 0.005;
      this.fade.gain.cancelAndHoldAtTime(now);
      this.fade.gain.linearRampToValueAtTime(0, now + PANIC_RAMP);
      this.targets.set(this.fade.gain, 0);
    }
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

  /** A filter frequency the context can take: under 16 kHz and well under Nyquist. */
  private hz(f: number): number {
    return Math.min(16000, 0.45 * this.context.sampleRate, f);
  }

  /** The last time the dream clock read from audibleSeconds() (no new reading). */
  get lastClockRead(): number {
    return this.lastAudible;
  }

  /** Ramp a parameter: cancel what was scheduled, hold the current value, ramp to the target. */
  private glide(param: Tone.Param<Tone.Unit.UnitName> | Tone.Signal<Tone.Unit.UnitName>, value: number, time: number, seconds: number): void {
    if (!Number.isFinite(value)) return;
    const last = this.targets.get(param);
    if (last !== undefined && Math.abs(last - value) <= 1e-5 * Math.max(1, Math.abs(value))) return;
    if (last === undefined) capAutomationMemory(param);
    this.targets.set(param, value);
    param.cancelAndHoldAtTime(time);
    param.linearRampToValueAtTime(value, time + Math.max(RAMP, seconds));
  }

  // ---- playing -----------------------------------------------------------------------------------

  /** Start the music (and the Transport, if it is stopped) with a fade-in. */
  start(time?: number): this {
    if (this.playing || this.disposed) return this;
    const t = time ?? this.context.currentTime + 0.02;
    if (this.transport.state !== 'started') {
      this.transport.start(t);
      this.ownsTransport = true;
    }
    this.playing = true;
    this.cursor = null;
    this.musicBeat = null;
    this.door.gain.cancelAndHoldAtTime(t);
    this.door.gain.linearRampToValueAtTime(1, t + Math.max(RAMP, this.settings.fadeIn));
    if (this.repeatId === null) this.repeatId = this.transport.scheduleRepeat((time) => this.run(time), this.settings.interval, this.transport.getSecondsAtTime(t));
    return this;
  }

  /** Fade out and stop scheduling notes (the Transport keeps the dream's time). */
  stop(seconds = 0.4): this {
    if (!this.playing || this.disposed) return this;
    this.playing = false;
    const t = this.context.currentTime + 0.005;
    this.door.gain.cancelAndHoldAtTime(t);
    this.door.gain.linearRampToValueAtTime(0, t + Math.max(RAMP, seconds));
    return this;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** The last notes scheduled, oldest first. */
  scheduled(): readonly NoteEvent[] {
    return this.recent;
  }

  params(): SymphonyParams | null {
    return this.lastParams;
  }

  /** One run of the scheduler, `time` ahead of the audio clock (Tone's look-ahead). */
  private run(time: number): void {
    if (this.disposed) return;
    const T = this.transport.getSecondsAtTime(time);
    if (this.settings.drive) {
      this.drivingAt = T;
      this.settings.drive(T);
      this.drivingAt = null;
    }
    const { state: anchored, at } = this.anchor;
    // Predict the dream at `time` with the model itself: acts, morphs and restabilizes move on
    // exactly as they will on screen.
    const predicted = T - at > 1e-6 ? tick(anchored, T - at) : anchored;
    const spb = 60 / Math.max(1, predicted.tempo);
    // The music keeps its own beat on the Transport, integrated at the dream's tempo. It equals
    // the dream's beat while frames keep up; when the dream jumps (a step, a pause, a hidden
    // tab) the music follows it, but a lag of a few slow frames does not make it stammer.
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
    if (this.playing && end > this.cursor) {
      const w = score(s, this.cursor, end, opts);
      this.cursor = end;
      for (const g of w.glitches) this.playGlitch(g, Math.max(time, time + (g.beat - beatNow) * spb), spb);
      for (const n of w.notes) this.playNote(n, Math.max(time, time + (n.beat - beatNow) * spb), spb);
      this.applyParams(w.params, time, s);
    } else {
      this.applyParams(scoreParams(s, opts), time, s);
    }
  }

  private playNote(n: NoteEvent, at: number, spb: number): void {
    const chain = n.voice === 'glitch' ? this.glitchChain : this.chains[n.dreamer];
    if (!chain || chain.retired || (n.voice !== 'glitch' && chain.voice !== n.voice)) return;
    const ctx = this.context;
    const rec = VOICE_SPECS[chain.voice].recipe;
    const hz = midiToHz(n.midi) * 2 ** (n.cents / 1200);
    const held = Math.max(0.03, n.duration * spb);
    const nodes: AudioNode[] = [];
    const env = ctx.createGain();
    env.gain.value = 0;
    nodes.push(env);
    for (const input of chain.inputs) Tone.connect(env, input);
    let into: AudioNode = env;
    if (rec.sweep) {
      const f = ctx.createBiquadFilter();
      f.type = 'lowpass';
      f.Q.value = 1.2;
      f.frequency.value = this.hz(hz * rec.sweep.from);
      f.frequency.setValueAtTime(this.hz(hz * rec.sweep.from), at);
      f.frequency.setTargetAtTime(this.hz(hz * rec.sweep.to), at, rec.sweep.decay / 3);
      f.connect(env);
      nodes.push(f);
      into = f;
    }
    // Envelope: attack, decay toward the sustain, release from wherever it is when the note ends.
    const level = rec.partials[0]!.gain;
    const peak = n.velocity * level;
    const A = Math.max(0.01, rec.attack);
    const tau = Math.max(0.005, rec.decay / 3);
    const release = rec.release;
    const tr = at + held;
    const p = env.gain;
    p.setValueAtTime(0, at);
    if (tr > at + A) {
      p.linearRampToValueAtTime(peak, at + A);
      if (rec.sustain < 1) p.setTargetAtTime(peak * rec.sustain, at + A, tau);
      const v = peak * rec.sustain + peak * (1 - rec.sustain) * Math.exp(-(tr - at - A) / tau);
      p.setValueAtTime(v, tr);
    } else {
      p.linearRampToValueAtTime((peak * (tr - at)) / A, tr);
    }
    p.linearRampToValueAtTime(0, tr + release);
    const stopAt = tr + release + 0.02;
    // FM: one modulator shared by the note's partials.
    let mod: GainNode | null = null;
    if (rec.fm) {
      const m = ctx.createOscillator();
      m.frequency.value = hz * rec.fm.ratio;
      mod = ctx.createGain();
      const depth = hz * rec.fm.ratio * rec.fm.index;
      mod.gain.value = 0;
      mod.gain.setValueAtTime(depth, at);
      mod.gain.setTargetAtTime(depth * rec.fm.sustain, at, rec.fm.decay / 3);
      m.connect(mod);
      m.start(at);
      m.stop(stopAt);
      nodes.push(m, mod);
    }
    // Partials as loud as the first go straight into the envelope; the others through a gain.
    for (const partial of rec.partials) {
      const osc = ctx.createOscillator();
      osc.type = partial.type;
      osc.frequency.value = hz * partial.ratio * 2 ** (partial.cents / 1200);
      nodes.push(osc);
      if (mod) mod.connect(osc.frequency);
      if (partial.gain === level) osc.connect(into);
      else {
        const g = ctx.createGain();
        g.gain.value = partial.gain / level;
        osc.connect(g);
        g.connect(into);
        nodes.push(g);
      }
      osc.start(at);
      osc.stop(stopAt);
    }
    const note: SoundingNote = { nodes, end: stopAt };
    this.sounding.add(note);
    counter.notes += nodes.length;
    chain.lastEnd = Math.max(chain.lastEnd, stopAt);
    // Offline every node must stay until the graph is rendered; live, a note is disposed once
    // it has rung out (Tone's timeouts run a look-ahead early, hence the margin).
    if (!ctx.isOffline) this.later(stopAt - ctx.currentTime + 0.35, () => this.releaseNote(note));
    if (this.settings.history > 0) {
      this.recent.push(n);
      if (this.recent.length > this.settings.history) this.recent.splice(0, this.recent.length - this.settings.history);
    }
  }

  private playGlitch(g: GlitchEvent, t0: number, spb: number): void {
    const D = g.duration * spb;
    const tEnd = t0 + D;
    const r = Math.min(RAMP, D / 8);
    // Crush harder for this step.
    const drive = 2.5 - 2.1 * g.crush;
    const pairs: [Tone.Param<'gain'>, number, number][] = [
      [this.crushDrive.gain, drive, 2.5],
      [this.crushMakeup.gain, 1 / drive, 1 / 2.5],
    ];
    for (const [p, v, rest] of pairs) {
      p.setValueAtTime(rest, t0);
      p.linearRampToValueAtTime(v, t0 + r);
      p.setValueAtTime(v, tEnd - r);
      p.linearRampToValueAtTime(rest, tEnd);
    }
    // A tape wobble of the whole band: the delay time swells and returns across the step.
    const ratio = 2 ** (Math.abs(g.wobble) / 1200);
    const swing = Math.min(WOBBLE_BASE * 0.9, (ratio - 1) * (D / 2));
    const w = this.wobbleDelay.delayTime;
    w.setValueAtTime(WOBBLE_BASE, t0);
    w.linearRampToValueAtTime(WOBBLE_BASE + (g.wobble < 0 ? swing : -swing), t0 + D / 2);
    w.linearRampToValueAtTime(WOBBLE_BASE, tEnd);
    if (g.stutter >= 2) {
      const slice = D / g.stutter;
      this.stutterDelay.delayTime.setValueAtTime(slice, t0);
      const cap = this.stutterCapture.gain;
      cap.setValueAtTime(0, t0);
      cap.linearRampToValueAtTime(1, t0 + r);
      cap.setValueAtTime(1, t0 + slice - r);
      cap.linearRampToValueAtTime(0, t0 + slice);
      const fb = this.stutterFeedback.gain;
      fb.setValueAtTime(0, t0);
      fb.linearRampToValueAtTime(0.94, t0 + r);
      fb.setValueAtTime(0.94, tEnd - slice);
      fb.linearRampToValueAtTime(0, tEnd - slice + r);
      const wet = this.stutterWet.gain;
      wet.setValueAtTime(0, t0 + slice - r);
      wet.linearRampToValueAtTime(1, t0 + slice);
      wet.setValueAtTime(1, tEnd - r);
      wet.linearRampToValueAtTime(0, tEnd);
      const dry = this.stutterDry.gain;
      dry.setValueAtTime(1, t0 + slice - r);
      dry.linearRampToValueAtTime(0.12, t0 + slice);
      dry.setValueAtTime(0.12, tEnd - r);
      dry.linearRampToValueAtTime(1, tEnd);
    }
  }

  private applyParams(p: SymphonyParams, time: number, s: DreamState): void {
    this.lastParams = p;
    const ramp = this.settings.interval * 2;
    this.glide(this.fade.gain, p.master, time, s.output.panic ? PANIC_RAMP / 2 : ramp);
    const cap = Math.min(-1, s.safety.masterCap);
    this.glide(this.capTrim.gain, Tone.dbToGain(cap + 1), time, 0.3);
    this.glide(this.toneFilter.frequency, this.hz(p.cutoff * 2), time, ramp);
    this.glide(this.reverbSend.gain, p.reverbWet, time, ramp * 4);
    this.glide(this.roomSend.gain, 1 - 0.6 * p.reverbSize, time, ramp * 4);
    this.glide(this.hallSend.gain, p.reverbSize, time, ramp * 4);
    this.glide(this.crushWet.gain, p.crush * 0.9, time, ramp);
    this.glide(this.crushDry.gain, 1 - 0.65 * p.crush, time, ramp);
    this.glide(this.echo.delayTime, Math.min(3.5, p.echoBeats * (60 / Math.max(1, s.tempo))), time, 0.5);
    this.glide(this.echo.feedback, p.echoFeedback, time, ramp);
    this.glide(this.echoBus.gain, p.echoWet * 1.5, time, ramp);
    this.chains.forEach((c, i) => {
      const d = p.dreamers[i];
      if (!d || c.retired) return;
      if (c.born < 0) c.born = time;
      // A new voice fades in over a second; afterwards it follows the dream closely.
      const r = time - c.born < 1 ? 1 : ramp;
      this.glide(c.gain.gain, d.gain * VOICE_SPECS[c.voice].trim, time, r);
      this.glide(c.panner.pan, d.pan, time, ramp * 2);
      this.glide(c.filter.frequency, this.hz(Math.max(120, p.cutoff * VOICE_SPECS[c.voice].tone)), time, ramp);
      c.formants.forEach((f, n) => this.glide(f.frequency, VOWEL_OO[n]! + (VOWEL_AH[n]! - VOWEL_OO[n]!) * p.vowel, time, ramp * 4));
    });
    const g = this.glitchChain;
    this.glide(g.gain.gain, VOICE_SPECS.glitch.trim, time, ramp);
    this.glide(g.filter.frequency, this.hz(p.cutoff * VOICE_SPECS.glitch.tone), time, ramp);
  }

  override dispose(): this {
    if (this.disposed) return this;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.repeatId !== null) this.transport.clear(this.repeatId);
    this.repeatId = null;
    for (const id of this.timeouts) this.context.clearTimeout(id);
    this.timeouts.clear();
    if (this.ownsTransport && !this.context.isOffline) this.transport.stop();
    super.dispose();
    for (const note of [...this.sounding]) this.releaseNote(note);
    for (const n of [...this.owned]) this.release(n);
    this.chains = [];
    this.retired.clear();
    return this;
  }
}
