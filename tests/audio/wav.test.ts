import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.ts';

describe('WAV export', () => {
  it('writes a RIFF/WAVE PCM file that reads back to the same samples', () => {
    const left = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10) * 0.8);
    const right = Float32Array.from({ length: 1000 }, (_, i) => (i % 100) / 100 - 0.5);
    const buf = encodeWav([left, right], 48000);
    expect(buf.byteLength).toBe(44 + 1000 * 2 * 2);
    const back = decodeWav(buf);
    expect(back.sampleRate).toBe(48000);
    expect(back.channels).toHaveLength(2);
    back.channels.forEach((ch, c) => ch.forEach((v, i) => expect(Math.abs(v - [left, right][c]![i]!)).toBeLessThan(1 / 16000)));
    const float = decodeWav(encodeWav([left], 44100, { bitDepth: 32 }));
    expect(float.channels[0]).toEqual(left);
  });

  it('clamps and silences what a WAV cannot hold', () => {
    const back = decodeWav(encodeWav([Float32Array.of(2, -2, Number.NaN, Infinity)], 8000));
    expect([...back.channels[0]!]).toEqual([1, -1, 0, 0]);
  });
});
