/**
 * The symphony of a render: the offline renderer (src/audio/offline.ts) run on the log a chunk at
 * a time (audio-plan.ts), the chunks joined with a short crossfade, each handed on as an
 * AudioBuffer of exactly its samples (48 kHz stereo).
 */
import { renderDream } from '../../audio/offline.ts';
import type { ShowLog } from '../../model/index.ts';
import { audioChunks, CROSSFADE_S, logFrom } from './audio-plan.ts';
import type { AudioChunk } from './audio-plan.ts';
import { SAMPLE_RATE } from './options.ts';

export class AudioTrackRenderer {
  readonly chunks: AudioChunk[];
  private next = 0;
  /** The previous chunk's samples past its end, faded out under the next one's start. */
  private tail: Float32Array[] | null = null;

  constructor(
    private readonly log: ShowLog,
    private readonly from: number,
    private readonly to: number,
    /** As the audience hears it: private dreamers are not heard. */
    private readonly audience: boolean,
  ) {
    this.chunks = audioChunks(from, to);
  }

  /** Dream time up to which audio has been handed on (the next chunk starts there), or Infinity when done. */
  get renderedTo(): number {
    return this.next < this.chunks.length ? this.chunks[this.next]!.start : Infinity;
  }

  /** Render the next chunk: its kept samples as one AudioBuffer, or null when all are done. */
  async nextChunk(): Promise<AudioBuffer | null> {
    const chunk = this.chunks[this.next];
    if (!chunk) return null;
    this.next++;
    const { dream, actions } = logFrom(this.log, chunk.renderFrom, chunk.renderFrom + chunk.renderSeconds);
    const rendered = await renderDream(dream, { seconds: chunk.renderSeconds, sampleRate: SAMPLE_RATE, audience: this.audience, actions, ...(chunk.renderFrom > 0 ? { fadeIn: 0.05 } : {}) });
    return this.keep(chunk, rendered.channels);
  }

  /** The chunk's kept part, exactly its share of the file's samples, crossfaded into the last chunk's tail. */
  private keep(chunk: AudioChunk, channels: Float32Array[]): AudioBuffer {
    const startSample = Math.round((chunk.start - this.from) * SAMPLE_RATE);
    const endSample = Math.round((chunk.end - this.from) * SAMPLE_RATE);
    const offset = Math.round((chunk.start - chunk.renderFrom) * SAMPLE_RATE);
    const length = endSample - startSample;
    const xf = Math.round(CROSSFADE_S * SAMPLE_RATE);
    const buffer = new AudioBuffer({ numberOfChannels: 2, length, sampleRate: SAMPLE_RATE });
    const tails: Float32Array[] = [];
    for (let c = 0; c < 2; c++) {
      const src = channels[c] ?? channels[0]!;
      const out = new Float32Array(length);
      out.set(src.subarray(offset, Math.min(src.length, offset + length)));
      const prev = this.tail?.[c];
      if (prev) {
        for (let i = 0; i < Math.min(prev.length, length); i++) {
          const w = (i + 0.5) / prev.length;
          out[i] = prev[i]! * (1 - w) + out[i]! * w;
        }
      }
      buffer.copyToChannel(out, c);
      tails.push(src.slice(offset + length, Math.min(src.length, offset + length + xf)));
    }
    this.tail = tails[0]!.length > 0 ? tails : null;
    return buffer;
  }
}

/** Whether any sample of a buffer is louder than `floor` (not silent). */
export const peakOf = (buffer: AudioBuffer): number => {
  let peak = 0;
  for (let c = 0; c < buffer.numberOfChannels; c++) for (const v of buffer.getChannelData(c)) peak = Math.max(peak, Math.abs(v));
  return peak;
};
