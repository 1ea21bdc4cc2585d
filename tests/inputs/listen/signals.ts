/**
 * Generated test sounds (mono, -1..1) for the listening analysis: a kick pattern at a tempo (a
 * kick on every beat, a quieter hi-hat on each off-beat), silence, a tone sweep and a click
 * track. Seeded noise, so every run hears the same. Shared by the Node tests and the browser
 * test (which writes them as WAV files for Chromium's fake microphone).
 */
import { mulberry32 } from '../../../src/model/random.ts';

export const kickPattern = (bpm: number, seconds: number, sampleRate: number, offset = 0.05): { samples: Float32Array; kicks: number[] } => {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  const rand = mulberry32(7);
  const beat = 60 / bpm;
  const kicks: number[] = [];
  for (let t0 = offset; t0 < seconds; t0 += beat) {
    kicks.push(t0);
    const start = Math.round(t0 * sampleRate);
    let phase = 0;
    for (let i = 0; i < 0.25 * sampleRate && start + i < n; i++) {
      const t = i / sampleRate;
      phase += (2 * Math.PI * (50 + 100 * Math.exp(-t / 0.03))) / sampleRate;
      out[start + i]! += 0.8 * Math.sin(phase) * Math.exp(-t / 0.12) * Math.min(1, t / 0.002);
    }
    const hat = Math.round((t0 + beat / 2) * sampleRate);
    let prev = 0;
    for (let i = 0; i < 0.04 * sampleRate && hat + i < n; i++) {
      const w = rand() * 2 - 1;
      out[hat + i]! += 0.12 * (w - prev) * Math.exp(-i / sampleRate / 0.01);
      prev = w;
    }
  }
  return { samples: out, kicks };
};

export const silence = (seconds: number, sampleRate: number): Float32Array => new Float32Array(Math.round(seconds * sampleRate));

/** A sine from `from` to `to` Hz, exponential in frequency, at amplitude 0.3. */
export const sweep = (from: number, to: number, seconds: number, sampleRate: number): Float32Array => {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = from * (to / from) ** (i / n);
    phase += (2 * Math.PI * f) / sampleRate;
    out[i] = 0.3 * Math.sin(phase);
  }
  return out;
};

/** Clicks (2 ms bursts of a 2 kHz tone, full scale) at `hz` a second. */
export const clicks = (hz: number, seconds: number, sampleRate: number): Float32Array => {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let t0 = 0.01; t0 < seconds; t0 += 1 / hz) {
    const start = Math.round(t0 * sampleRate);
    for (let i = 0; i < 0.004 * sampleRate && start + i < out.length; i++) out[start + i] = 0.9 * Math.sin((2 * Math.PI * 2000 * i) / sampleRate) * Math.exp(-i / sampleRate / 0.002);
  }
  return out;
};

/** A mono 16-bit PCM WAV file. */
export const wav = (samples: Float32Array, sampleRate: number): Buffer => {
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples.length * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), 44 + i * 2);
  return b;
};
