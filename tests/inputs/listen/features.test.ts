import { describe, expect, it } from 'vitest';
import { ListenAnalyser, hopFor } from '../../../src/inputs/listen/features.ts';
import type { FeatureFrame } from '../../../src/inputs/listen/features.ts';
import { fft, RunningRange } from '../../../src/inputs/listen/dsp.ts';
import { clicks, kickPattern, silence, sweep } from './signals.ts';

const SR = 48000;

/** Run the analysis over a whole buffer, a hop at a time: every frame (copied). */
const analyse = (samples: Float32Array, sampleRate = SR): FeatureFrame[] => {
  const a = new ListenAnalyser(sampleRate);
  const frames: FeatureFrame[] = [];
  for (let i = 0; i + a.hop <= samples.length; i += a.hop) frames.push(structuredClone(a.process(samples.subarray(i, i + a.hop), (i + a.hop) / sampleRate)));
  return frames;
};

const sd = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

/** The phase at each kick (read in the frame that holds it), as ms from the nearest beat. */
const phaseSpreadMs = (frames: FeatureFrame[], kicks: number[], bpm: number, after: number): number => {
  const hop = frames[1]!.t - frames[0]!.t;
  const errs: number[] = [];
  for (const k of kicks.filter((k) => k > after)) {
    const f = frames.find((x) => x.t >= k && x.t < k + hop);
    if (!f || f.tempo === null) continue;
    const p = f.phase - (f.t - k) / (60 / bpm);
    errs.push((((p + 0.5) % 1) + 1) % 1 - 0.5);
  }
  expect(errs.length).toBeGreaterThan(5);
  // The beat is on the kick (not on the off-beat hi-hats): the phase at a kick is near 0.
  expect(Math.abs(errs.reduce((a, b) => a + b, 0) / errs.length)).toBeLessThan(0.05);
  return sd(errs) * (60_000 / bpm);
};

describe('the feature maths', () => {
  it('the hop is whole render quanta near 10 ms', () => {
    expect(hopFor(48000)).toBe(512);
    expect(hopFor(44100)).toBe(384);
  });

  it('the FFT finds a sine in its bin', () => {
    const n = 64;
    const re = Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / n));
    const im = new Float64Array(n);
    fft(re, im);
    expect(re[5]).toBeCloseTo(n / 2, 6);
    expect(Math.abs(re[6]!)).toBeLessThan(1e-9);
  });

  it('a running range spans 0..1 at any loudness', () => {
    for (const gain of [0.01, 1]) {
      const r = new RunningRange(1e-4);
      let top = 0;
      for (let i = 0; i < 1000; i++) top = Math.max(top, r.update(gain * (0.5 + 0.5 * Math.sin(i / 10)), 0.01));
      expect(top).toBeGreaterThan(0.99);
    }
  });

  for (const bpm of [120, 96]) {
    it(`finds ${bpm} BPM within 1 BPM after 10 s, the phase at the kicks within 20 ms, a bass hit for every kick`, () => {
      const { samples, kicks } = kickPattern(bpm, 16, SR);
      const frames = analyse(samples);
      const at10 = frames.find((f) => f.t >= 10)!;
      expect(at10.tempo).not.toBeNull();
      expect(Math.abs(at10.tempo! - bpm)).toBeLessThanOrEqual(1);
      expect(at10.confidence).toBeGreaterThan(0.7);
      const last = frames[frames.length - 1]!;
      expect(Math.abs(last.tempo! - bpm)).toBeLessThanOrEqual(1);
      expect(phaseSpreadMs(frames, kicks, bpm, 10)).toBeLessThanOrEqual(20);
      expect(last.bands.bass.hits).toBe(kicks.length);
      // each hit within 30 ms after a kick
      const hitTimes = frames.filter((f) => f.bands.bass.hit).map((f) => f.t);
      for (const t of hitTimes) expect(kicks.some((k) => t >= k && t - k <= 0.03)).toBe(true);
    });
  }

  it('silence: no hits, no onsets, levels 0, no tempo', () => {
    const frames = analyse(silence(5, SR));
    const last = frames[frames.length - 1]!;
    expect(last.onsets).toBe(0);
    for (const b of Object.values(last.bands)) expect(b.hits).toBe(0);
    expect(Math.max(...frames.map((f) => f.level))).toBe(0);
    expect(last.tempo).toBeNull();
  });

  it('hiss under the silence floor (white noise at -80 dBFS) moves no level, onset level included, and makes no hit', () => {
    let seed = 7;
    const noise = new Float32Array(5 * SR).map(() => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return (seed / 2 ** 32 - 0.5) * 2 * 10 ** (-80 / 20);
    });
    const frames = analyse(noise);
    expect(frames.length).toBeGreaterThan(400);
    for (const f of frames) {
      expect(f.flux).toBe(0);
      expect(f.level).toBe(0);
      for (const b of Object.values(f.bands)) expect(b.level).toBe(0);
    }
    expect(frames.at(-1)!.onsets).toBe(0);
  });

  it('the centroid rises with a sweep', () => {
    const frames = analyse(sweep(100, 8000, 6, SR)).filter((f) => f.t > 0.1);
    const seconds = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5].map((s) => frames.find((f) => f.t >= s)!);
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]!.centroid).toBeGreaterThan(seconds[i - 1]!.centroid);
    expect(seconds[0]!.centroidHz).toBeGreaterThan(100);
    expect(seconds[0]!.centroidHz).toBeLessThan(300);
    expect(seconds[5]!.centroidHz).toBeGreaterThan(4000);
  });

  it('clicks at 10 Hz are onsets, one each', () => {
    const frames = analyse(clicks(10, 3, SR));
    expect(frames[frames.length - 1]!.onsets).toBeGreaterThanOrEqual(28);
    expect(frames[frames.length - 1]!.onsets).toBeLessThanOrEqual(30);
  });

  it('runs at 44.1 kHz too', () => {
    const { samples } = kickPattern(120, 12, 44100);
    const last = analyse(samples, 44100).at(-1)!;
    expect(Math.abs(last.tempo! - 120)).toBeLessThanOrEqual(1);
  });
});
