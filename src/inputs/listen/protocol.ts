import type { FeatureFrame } from './features.ts';

/** What the listening worklet and the main thread say to each other (worklet.ts, listen-module.ts). */

export const LISTEN_PROCESSOR = 'dreamscape-listen';

export interface ListenProcessorOptions {
  /** The input channels (0-based) mixed to mono; empty: all of them. */
  channels: number[];
  /** The trim as a gain. */
  trim: number;
}

/** From the main thread to the processor. */
export type ListenProcessorMessage = { trim: number } | { stop: true };

/** From the processor, once a hop. */
export interface ListenFrameMessage {
  frame: FeatureFrame;
  /** When the hop's first render quantum reached the processor (ms since the epoch). */
  heard: number;
  /** When the frame was posted (ms since the epoch). */
  posted: number;
  hop: number;
  sampleRate: number;
}
