/**
 * The symphony's reverb: a room (a short convolution: early, diffuse) that feeds a hall (a bank of
 * damped feedback combs, Freeverb's, for the long tail); the score's depth moves it from room to
 * hall. A long convolution would sound as good but renders offline several times slower. The
 * room's 1.3 s response is kept to 0.6 s, where it is 30 dB down under the hall's tail: the
 * convolution costs a third less, the decay of the whole reverb moves by under a decibel.
 */
import * as Tone from 'tone';
import { filterHz, Glide } from './glide.ts';
import { impulseResponse } from './impulse.ts';
import type { ImpulseSpec } from './impulse.ts';
import { Hall } from './nodes.ts';
import type { HallOptions } from './nodes.ts';
import { Owned } from './owned.ts';
import type { NodeTally } from './owned.ts';

export interface RoomAndHallOptions extends Tone.ToneAudioNodeOptions {
  room: ImpulseSpec;
  /** The hall (its damping is kept under what the context can take). */
  hall: Pick<HallOptions, 'combs' | 'scale' | 'rt60' | 'damping' | 'dampingQ' | 'level'>;
}

/** Freeverb's comb lengths (samples at 44.1 kHz). */
const HALL_COMBS = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617] as const;

export class RoomAndHall extends Tone.ToneAudioNode<RoomAndHallOptions> {
  readonly name: string = 'RoomAndHall';
  /** The send: silent until the score sets it. */
  readonly input: Tone.Gain;
  readonly output: Tone.Gain;
  private readonly roomSend: Tone.Gain;
  private readonly hallSend: Tone.Gain;
  private readonly nodes = new Owned();
  private readonly glide = new Glide();

  constructor(options?: Partial<RoomAndHallOptions>);
  constructor() {
    const options = Tone.optionsFromArguments(RoomAndHall.getDefaults(), arguments);
    super(options);
    const ctx = this.context;
    const sr = ctx.sampleRate;
    const gain = (value: number) => this.nodes.add(new Tone.Gain({ context: ctx, gain: value }));
    this.output = gain(1);
    const [irL, irR] = impulseResponse(options.room, sr);
    const ir = ctx.createBuffer(2, irL.length, sr);
    ir.copyToChannel(irL as Float32Array<ArrayBuffer>, 0);
    ir.copyToChannel(irR as Float32Array<ArrayBuffer>, 1);
    const room = this.nodes.add(new Tone.Convolver({ context: ctx, url: new Tone.ToneAudioBuffer(ir), normalize: false }));
    this.input = gain(0);
    this.roomSend = gain(0);
    this.hallSend = gain(0);
    this.input.connect(room);
    room.fan(this.roomSend, this.hallSend);
    this.roomSend.connect(this.output);
    const hall = this.nodes.add(new Hall({ context: ctx, ...options.hall, damping: filterHz(sr, options.hall.damping) }));
    this.hallSend.chain(hall, this.output);
  }

  static override getDefaults(): RoomAndHallOptions {
    return Object.assign(Tone.ToneAudioNode.getDefaults(), {
      room: { rt60: 1.2, seconds: 1.3, predelay: 0.012, damping: 0.55, seed: 101, keep: 0.6 },
      hall: { combs: HALL_COMBS, scale: 1.35, rt60: 6, damping: 3800, dampingQ: -4, level: 0.05 },
    });
  }

  /** Follow the score: how much goes in (0..1), and where it sounds, 0 the room .. 1 the hall. */
  follow(wet: number, size: number, time: number, seconds: number): void {
    this.glide.to(this.input.gain, wet, time, seconds);
    this.glide.to(this.roomSend.gain, 1 - 0.6 * size, time, seconds);
    this.glide.to(this.hallSend.gain, size, time, seconds);
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
