import { BeatTracker } from './beat.ts';
import { fft, hann, HitDetector, RunningRange } from './dsp.ts';

/**
 * The listening analysis, pure: samples in, a small frame of features out once a hop. The same
 * module runs in the AudioWorklet (src/inputs/listen/worklet.ts) and in the Node tests.
 *
 * The hop is a whole number of render quanta (128 samples) nearest to 10 ms: 512 samples at
 * 48 kHz (10.67 ms), 384 at 44.1 kHz (8.71 ms). Each hop, the last FFT_SIZE samples (1024 at
 * 48 kHz: 21 ms; Hann window) give the bands, the spectral flux and the centroid; the hop's own
 * samples give the level and the peak. Meyda was considered: its extract() runs its own FFT and
 * allocates new arrays on every call (garbage on the audio thread 94 times a second), we need
 * one spectrum shared by five features and the onset state between hops anyway, and the bands,
 * flux and centroid are a few lines over that spectrum.
 */

export const BAND_NAMES = ['bass', 'lowMid', 'highMid', 'high'] as const;
export type BandName = (typeof BAND_NAMES)[number];
/** The bands' edges in Hz. */
export const BAND_EDGES: Record<BandName, readonly [number, number]> = {
  bass: [20, 150],
  lowMid: [150, 600],
  highMid: [600, 4000],
  high: [4000, 16000],
};
/** The centroid's 0..1 is log-frequency from CENTROID_LOW to CENTROID_HIGH Hz. */
export const CENTROID_LOW = 50;
export const CENTROID_HIGH = 12000;
/** Below this RMS (about -66 dBFS) the input is silence: levels 0, no hits. */
export const SILENCE = 5e-4;

export interface BandFeature {
  /** 0..1 within its own running range. */
  level: number;
  /** The band's amplitude (RMS-like, linear). */
  raw: number;
  /** A hit in this frame. */
  hit: boolean;
  /** Hits since the analysis started (a reader slower than the hop misses none). */
  hits: number;
}

export interface FeatureFrame {
  /** When the hop ended: the audio context's time (seconds). */
  t: number;
  level: number;
  /** The hop's RMS (linear, after the trim). */
  levelRaw: number;
  /** The hop's largest absolute sample. */
  peak: number;
  bands: Record<BandName, BandFeature>;
  /** A spectral-flux onset in this frame. */
  onset: boolean;
  onsets: number;
  /** The spectral flux 0..1 within its running range (what an `onset` mapping follows). */
  flux: number;
  centroid: number;
  centroidHz: number;
  tempo: number | null;
  phase: number;
  confidence: number;
  /** A beat passed in this frame (confident beats only). */
  beat: boolean;
  beats: number;
}

export const hopFor = (sampleRate: number): number => 128 * Math.max(1, Math.round(sampleRate / 100 / 128));
export const fftSizeFor = (sampleRate: number): number => (sampleRate > 60000 ? 2048 : 1024);

interface Band {
  lo: number;
  hi: number;
  range: RunningRange;
  hits: HitDetector;
  /** The band's energy in dB over the last three hops (the rise is measured against their least). */
  db: Float64Array;
}

const db = (x: number): number => 10 * Math.log10(x + 1e-12);

export class ListenAnalyser {
  readonly hop: number;
  readonly hopSeconds: number;
  private readonly size: number;
  private readonly ring: Float64Array;
  private written = 0;
  private readonly window: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly mag: Float64Array;
  private readonly prevLog: Float64Array;
  private readonly bands: Band[];
  private readonly levelRange = new RunningRange(SILENCE);
  private readonly fluxRange = new RunningRange(1e-6);
  private readonly onsetHits: HitDetector;
  private readonly beat: BeatTracker;
  private beats = 0;
  private readonly bins: number;
  private readonly hz: number;

  constructor(readonly sampleRate: number) {
    this.hop = hopFor(sampleRate);
    this.hopSeconds = this.hop / sampleRate;
    this.size = fftSizeFor(sampleRate);
    this.ring = new Float64Array(this.size);
    this.window = hann(this.size);
    this.re = new Float64Array(this.size);
    this.im = new Float64Array(this.size);
    this.bins = this.size / 2;
    this.mag = new Float64Array(this.bins);
    this.prevLog = new Float64Array(this.bins);
    this.hz = sampleRate / this.size;
    const second = Math.round(1 / this.hopSeconds);
    this.bands = BAND_NAMES.map((name) => {
      const [lo, hi] = BAND_EDGES[name];
      return { lo: Math.max(1, Math.round(lo / this.hz)), hi: Math.min(this.bins - 1, Math.round(hi / this.hz)), range: new RunningRange(SILENCE / 4), hits: new HitDetector(second, 6, 1.5, 0.12), db: new Float64Array(3).fill(-120) };
    });
    this.onsetHits = new HitDetector(second, 0.02, 1.5, 0.08);
    this.beat = new BeatTracker(this.hopSeconds);
  }

  /**
   * One hop of samples (`hop` of them, mono) ending at time t: the frame of features. `out`, when
   * given, is filled and returned (no allocation on the audio thread).
   */
  process(samples: Float32Array | Float64Array, t: number, out: FeatureFrame = emptyFrame()): FeatureFrame {
    let sq = 0;
    let peak = 0;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      sq += x * x;
      const a = x < 0 ? -x : x;
      if (a > peak) peak = a;
      this.ring[this.written++ % this.size] = x;
    }
    const rms = Math.sqrt(sq / Math.max(1, samples.length));
    const audible = rms >= SILENCE;
    this.spectrum();
    out.t = t;
    out.levelRaw = rms;
    out.peak = peak;
    out.level = this.levelRange.update(rms, this.hopSeconds);
    this.bandFeatures(out, t, audible);
    const lowFlux = this.flux(this.bands[0]!.hi + 1, false);
    const flux = this.flux(1);
    // Gated like the other levels: hiss under the silence floor must not move an onset mapping.
    const fluxLevel = this.fluxRange.update(flux, this.hopSeconds);
    out.flux = audible ? fluxLevel : 0;
    out.onset = this.onsetHits.update(flux, t, audible);
    out.onsets = this.onsetHits.hits;
    this.centroid(out, audible);
    // The beat is followed on the low end (the kick, as dance music puts it): the onset function is
    // the low bins' flux with a little of the whole, and the grid is fitted to bass hits and onsets.
    const b = this.beat.update(t, lowFlux + 0.25 * flux, out.bands.bass.hit || out.onset);
    out.tempo = b.tempo;
    out.phase = b.phase;
    out.confidence = b.confidence;
    out.beat = b.beat;
    if (b.beat) this.beats++;
    out.beats = this.beats;
    return out;
  }

  /** The Hann-windowed magnitude spectrum of the last FFT_SIZE samples, scaled so a full-scale sine peaks near 1. */
  private spectrum(): void {
    const n = this.size;
    const start = this.written;
    for (let i = 0; i < n; i++) {
      this.re[i] = this.ring[(start + i) % n]! * this.window[i]!;
      this.im[i] = 0;
    }
    fft(this.re, this.im);
    const scale = 4 / n;
    for (let k = 0; k < this.bins; k++) this.mag[k] = Math.hypot(this.re[k]!, this.im[k]!) * scale;
  }

  private bandFeatures(out: FeatureFrame, t: number, audible: boolean): void {
    for (let b = 0; b < this.bands.length; b++) {
      const band = this.bands[b]!;
      let e = 0;
      for (let k = band.lo; k <= band.hi; k++) e += this.mag[k]! * this.mag[k]!;
      const raw = Math.sqrt(e / 2);
      const now = db(e);
      const rise = now - Math.min(band.db[0]!, band.db[1]!, band.db[2]!);
      band.db.copyWithin(0, 1);
      band.db[2] = now;
      const f = out.bands[BAND_NAMES[b]!];
      f.raw = raw;
      f.level = band.range.update(raw, this.hopSeconds);
      f.hit = band.hits.update(rise, t, audible && raw >= SILENCE / 4);
      f.hits = band.hits.hits;
    }
  }

  /**
   * The spectral flux of the bins below `upTo` (all: 1): the summed rise of the log-compressed
   * magnitudes, per bin; `keep` (the whole spectrum's pass) moves the previous spectrum on.
   */
  private flux(upTo: number, keep = true): number {
    const end = upTo <= 1 ? this.bins : Math.min(this.bins, upTo);
    let s = 0;
    for (let k = 1; k < end; k++) {
      const l = Math.log1p(100 * this.mag[k]!);
      const d = l - this.prevLog[k]!;
      if (d > 0) s += d;
      if (keep) this.prevLog[k] = l;
    }
    return s / (end - 1);
  }

  private centroid(out: FeatureFrame, audible: boolean): void {
    let num = 0;
    let den = 0;
    for (let k = 1; k < this.bins; k++) {
      num += k * this.hz * this.mag[k]!;
      den += this.mag[k]!;
    }
    const hz = audible && den > 0 ? num / den : 0;
    out.centroidHz = hz;
    out.centroid = hz <= CENTROID_LOW ? 0 : Math.min(1, Math.log(hz / CENTROID_LOW) / Math.log(CENTROID_HIGH / CENTROID_LOW));
  }
}

const band = (): BandFeature => ({ level: 0, raw: 0, hit: false, hits: 0 });

export const emptyFrame = (): FeatureFrame => ({
  t: 0,
  level: 0,
  levelRaw: 0,
  peak: 0,
  bands: { bass: band(), lowMid: band(), highMid: band(), high: band() },
  onset: false,
  onsets: 0,
  flux: 0,
  centroid: 0,
  centroidHz: 0,
  tempo: null,
  phase: 0,
  confidence: 0,
  beat: false,
  beats: 0,
});

/** The level of a mappable feature in a frame (0..1): what a continuous listen mapping follows. */
export const featureLevel = (f: FeatureFrame, feature: 'level' | BandName | 'onset' | 'centroid' | 'beat'): number => {
  switch (feature) {
    case 'level':
      return f.level;
    case 'onset':
      return f.flux;
    case 'centroid':
      return f.centroid;
    case 'beat':
      return f.tempo === null ? 0 : 1 - f.phase;
    default:
      return f.bands[feature].level;
  }
};

/** Did the feature hit in this frame (an `on: 'hit'` mapping fires)? */
export const featureHit = (f: FeatureFrame, feature: 'level' | BandName | 'onset' | 'centroid' | 'beat'): boolean => {
  switch (feature) {
    case 'onset':
    case 'level':
      return f.onset;
    case 'beat':
      return f.beat;
    case 'centroid':
      return false;
    default:
      return f.bands[feature].hit;
  }
};
