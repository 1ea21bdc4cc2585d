/**
 * Measuring rendered audio offline: levels, a crude spectrum, brightness and noisiness. Pure; used
 * by the listening report (scripts/listen.ts) and the render tests (tests/audio), never by the app.
 * The FFT is the listening analysis's own (src/inputs/listen/dsp.ts).
 */
import { fft } from '../../src/inputs/listen/dsp.ts';
export interface Levels {
  peak: number;
  peakDb: number;
  rmsDb: number;
  nonFinite: number;
}

export const toDb = (x: number): number => (x > 0 ? 20 * Math.log10(x) : -Infinity);

export const levels = (channels: readonly Float32Array[], from = 0, to = Infinity): Levels => {
  let peak = 0;
  let sum = 0;
  let n = 0;
  let nonFinite = 0;
  for (const ch of channels) {
    const end = Math.min(ch.length, to);
    for (let i = Math.max(0, from); i < end; i++) {
      const v = ch[i]!;
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      const a = Math.abs(v);
      if (a > peak) peak = a;
      sum += v * v;
      n++;
    }
  }
  return { peak, peakDb: toDb(peak), rmsDb: n ? 10 * Math.log10(sum / n || 1e-30) : -Infinity, nonFinite };
};

/** Average power spectrum (Hann windows of `size`, hop size/2) of the mid channel over [from, to) samples. */
export const powerSpectrum = (channels: readonly Float32Array[], from = 0, to = Infinity, size = 4096): Float64Array => {
  const mono = channels[0]!;
  const end = Math.min(mono.length, to);
  const power = new Float64Array(size / 2);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let frames = 0;
  for (let start = Math.max(0, from); start + size <= end; start += size / 2) {
    for (let i = 0; i < size; i++) {
      let v = 0;
      for (const ch of channels) v += ch[start + i]!;
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1));
      re[i] = (v / channels.length) * w;
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < size / 2; k++) power[k]! += re[k]! * re[k]! + im[k]! * im[k]!;
    frames++;
  }
  if (frames) for (let k = 0; k < power.length; k++) power[k]! /= frames;
  return power;
};

export interface SpectrumSummary {
  /** Share of the power in each band, in order of BANDS. */
  bands: number[];
  /** Power-weighted mean frequency, Hz. */
  centroid: number;
  /** Share of power above 4 kHz. */
  highShare: number;
  /** Geometric over arithmetic mean of the power from 50 Hz to 16 kHz: 0 tonal .. 1 noise. */
  flatness: number;
}

export const BANDS: readonly [number, number][] = [
  [20, 150],
  [150, 500],
  [500, 2000],
  [2000, 4000],
  [4000, 8000],
  [8000, 20000],
];

export const summarize = (power: Float64Array, sampleRate: number): SpectrumSummary => {
  const binHz = sampleRate / (power.length * 2);
  let total = 0;
  let weighted = 0;
  let high = 0;
  const bands = BANDS.map(() => 0);
  let logSum = 0;
  let linSum = 0;
  let count = 0;
  for (let k = 1; k < power.length; k++) {
    const f = k * binHz;
    const p = power[k]!;
    total += p;
    weighted += p * f;
    if (f >= 4000) high += p;
    BANDS.forEach(([lo, hi], b) => {
      if (f >= lo && f < hi) bands[b]! += p;
    });
    if (f >= 50 && f <= 16000) {
      logSum += Math.log(p + 1e-20);
      linSum += p;
      count++;
    }
  }
  return {
    bands: bands.map((b) => (total ? b / total : 0)),
    centroid: total ? weighted / total : 0,
    highShare: total ? high / total : 0,
    flatness: count && linSum > 0 ? Math.exp(logSum / count) / (linSum / count) : 0,
  };
};

export const describeSpectrum = (s: SpectrumSummary): string =>
  `centroid ${Math.round(s.centroid)} Hz, >4k ${(s.highShare * 100).toFixed(2)}%, flatness ${s.flatness.toExponential(2)}, bands ${s.bands.map((b) => (b * 100).toFixed(1)).join('/')}%`;
