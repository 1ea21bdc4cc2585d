/**
 * The listening analysis on the audio thread (an AudioWorkletProcessor, bundled by Vite as a
 * worker entry: `./worklet.ts?worker&url`). It mixes the chosen channels of its input to mono,
 * applies the trim, gathers a hop (whole render quanta, ~10 ms) and posts one small frame of
 * features per hop; the maths is features.ts, the same module the Node tests run.
 */
import { ListenAnalyser, emptyFrame } from './features.ts';
import { LISTEN_PROCESSOR } from './protocol.ts';
import type { ListenFrameMessage, ListenProcessorMessage, ListenProcessorOptions } from './protocol.ts';

declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, ctor: new (options: { processorOptions?: ListenProcessorOptions }) => unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class ListenProcessor extends AudioWorkletProcessor {
  private readonly analyser = new ListenAnalyser(sampleRate);
  private readonly hopBuffer: Float32Array;
  private filled = 0;
  private readonly frame = emptyFrame();
  private channels: number[];
  private picked: number[] = [];
  private pickedFor = -1;
  private trim: number;
  private running = true;
  /** When the hop's first quantum arrived (ms since the epoch: Date is in every realm, performance is not). */
  private heard = 0;

  constructor(options: { processorOptions?: ListenProcessorOptions }) {
    super();
    this.channels = options.processorOptions?.channels ?? [];
    this.trim = options.processorOptions?.trim ?? 1;
    this.hopBuffer = new Float32Array(this.analyser.hop);
    this.port.onmessage = (e: MessageEvent<ListenProcessorMessage>) => {
      if ('trim' in e.data) this.trim = e.data.trim;
      else this.running = false;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    const first = input[0];
    const n = first?.length ?? 128;
    // The channels to mix, worked out again only when the input's channel count changes (no garbage per block).
    if (input.length !== this.pickedFor) {
      this.pickedFor = input.length;
      this.picked = this.channels.length ? this.channels.filter((c) => c < input.length) : input.map((_, i) => i);
    }
    const picked = this.picked;
    const gain = picked.length ? this.trim / picked.length : 0;
    if (this.filled === 0) this.heard = Date.now();
    for (let i = 0; i < n && this.filled < this.hopBuffer.length; i++) {
      let x = 0;
      for (const c of picked) x += input[c]![i]!;
      this.hopBuffer[this.filled++] = x * gain;
    }
    if (this.filled >= this.hopBuffer.length) {
      this.filled = 0;
      const f = this.analyser.process(this.hopBuffer, currentTime + n / sampleRate, this.frame);
      const message: ListenFrameMessage = { frame: f, heard: this.heard, posted: Date.now(), hop: this.analyser.hop, sampleRate };
      this.port.postMessage(message);
    }
    return this.running;
  }
}

registerProcessor(LISTEN_PROCESSOR, ListenProcessor);
