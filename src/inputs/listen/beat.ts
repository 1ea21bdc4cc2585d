import { frac } from './dsp.ts';

/**
 * A beat tracker that keeps phase, pure. Two parts:
 * - the period: the autocorrelation of the onset-strength function (the spectral flux, one value
 *   a hop) over the last ~8 s, scored as a comb (the lag and its multiples) and weighted towards
 *   120 BPM on a log scale (a pattern at 96 BPM also correlates at 192 and 48: the comb and the
 *   weight pick the beat). Re-estimated every ESTIMATE_EVERY hops; a lasting change restarts the grid.
 * - the grid: a first phase from the same comb laid on the onset function, then every onset that
 *   falls within WINDOW of a predicted beat is a beat: a least-squares line through the last
 *   FIT beats' times (beat index → time) gives the period and the phase to a fraction of a hop
 *   (onsets are quantised to the hop; the line averages that out). The confidence is the share of
 *   the last CONFIDENCE_BEATS beats that had an onset.
 * realtime-bpm-analyzer was considered: it finds a tempo from peak intervals but keeps no phase.
 */

export const MIN_BPM = 60;
export const MAX_BPM = 200;
const ESTIMATE_EVERY = 12;
const WINDOW = 0.15;
const FIT = 16;
const CONFIDENCE_BEATS = 8;
const MULTIPLES = 3;

export interface BeatState {
  tempo: number | null;
  phase: number;
  confidence: number;
  /** A beat passed in this hop (while the confidence is at least a half). */
  beat: boolean;
}

export class BeatTracker {
  private readonly odf: Float64Array;
  private readonly acf: Float64Array;
  private n = 0;
  private hopsToEstimate = ESTIMATE_EVERY;
  /** The period in seconds (null before an estimate). */
  private period: number | null = null;
  /** A beat's time on the grid (seconds). */
  private anchor = 0;
  private beats: { k: number; t: number }[] = [];
  private disagree = 0;
  private lastBeatIndex = -Infinity;
  private readonly minLag: number;
  private readonly maxLag: number;
  /** The state update() returns: one object, filled in place (no garbage on the audio thread per hop). */
  private readonly out: BeatState = { tempo: null, phase: 0, confidence: 0, beat: false };

  constructor(private readonly hopSeconds: number, historySeconds = 8) {
    this.odf = new Float64Array(Math.round(historySeconds / hopSeconds));
    this.minLag = 60 / MAX_BPM / hopSeconds;
    this.maxLag = 60 / MIN_BPM / hopSeconds;
    this.acf = new Float64Array(Math.ceil(this.maxLag * MULTIPLES) + 2);
  }

  /** One hop ending at time t: the onset function's value and whether an onset was detected. */
  update(t: number, strength: number, onset: boolean): BeatState {
    this.odf[this.n % this.odf.length] = strength;
    this.n++;
    if (--this.hopsToEstimate <= 0) {
      this.hopsToEstimate = ESTIMATE_EVERY;
      this.reestimate(t);
    }
    if (onset && this.period !== null) this.onsetAt(t - this.hopSeconds / 2);
    return this.state(t);
  }

  private state(t: number): BeatState {
    const p = this.period;
    const out = this.out;
    if (p === null) {
      out.tempo = null;
      out.phase = 0;
      out.confidence = 0;
      out.beat = false;
      return out;
    }
    const x = (t - this.anchor) / p;
    const index = Math.floor(x);
    let matched = 0;
    for (const b of this.beats) if (b.k > index - CONFIDENCE_BEATS && b.k <= index) matched++;
    const confidence = Math.min(1, matched / CONFIDENCE_BEATS);
    const beat = index > this.lastBeatIndex && confidence >= 0.5;
    this.lastBeatIndex = index;
    const tempo = this.beats.length >= 4 ? 60 / p : null;
    out.tempo = tempo;
    out.phase = frac(x);
    out.confidence = tempo === null ? 0 : confidence;
    out.beat = beat && tempo !== null;
    return out;
  }

  private onsetAt(t: number): void {
    const p = this.period!;
    const k = Math.round((t - this.anchor) / p);
    const err = t - (this.anchor + k * p);
    if (Math.abs(err) > WINDOW * p) return;
    const last = this.beats[this.beats.length - 1];
    if (last && last.k === k) return;
    this.beats.push({ k, t });
    if (this.beats.length > FIT) this.beats.shift();
    if (this.beats.length < 3) {
      this.anchor += err * 0.5;
      return;
    }
    this.fit();
  }

  /** The least-squares line t = a + b·k through the kept beats. */
  private fit(): void {
    const bs = this.beats;
    const n = bs.length;
    let mk = 0;
    let mt = 0;
    for (const b of bs) {
      mk += b.k / n;
      mt += b.t / n;
    }
    let num = 0;
    let den = 0;
    for (const b of bs) {
      num += (b.k - mk) * (b.t - mt);
      den += (b.k - mk) ** 2;
    }
    if (den <= 0) return;
    const slope = num / den;
    const p = this.period!;
    if (Math.abs(slope / p - 1) > 0.05) return;
    this.period = slope;
    this.anchor = mt - slope * mk;
  }

  private reestimate(t: number): void {
    if (this.n < this.odf.length / 2) return;
    const lag = this.bestLag();
    if (lag === null) return;
    const p = lag * this.hopSeconds;
    if (this.period !== null && Math.abs(p / this.period - 1) < 0.04) {
      this.disagree = 0;
      return;
    }
    if (this.period !== null && ++this.disagree < 3) return;
    this.disagree = 0;
    this.period = p;
    this.beats = [];
    this.anchor = t - this.bestPhase(lag) * this.hopSeconds;
  }

  private value(ago: number): number {
    const i = this.n - 1 - ago;
    return i < 0 || ago >= this.odf.length ? 0 : this.odf[i % this.odf.length]!;
  }

  /** The lag (hops, fractional) whose comb of multiples correlates best, weighted towards 120 BPM. */
  private bestLag(): number | null {
    const len = Math.min(this.n, this.odf.length);
    let mean = 0;
    for (let i = 0; i < len; i++) mean += this.value(i) / len;
    for (let l = 0; l < this.acf.length; l++) {
      let s = 0;
      for (let i = 0; i + l < len; i++) s += (this.value(i) - mean) * (this.value(i + l) - mean);
      this.acf[l] = len - l > 0 ? s / (len - l) : 0;
    }
    if (this.acf[0]! <= 1e-12) return null;
    let best = 0;
    let bestLag: number | null = null;
    for (let lag = this.minLag; lag <= this.maxLag; lag += 0.05) {
      let s = 0;
      for (let m = 1; m <= MULTIPLES; m++) s += this.acfAt(lag * m);
      const w = Math.exp(-0.5 * Math.log2((60 / (lag * this.hopSeconds)) / 120) ** 2);
      if (s * w > best) {
        best = s * w;
        bestLag = lag;
      }
    }
    return bestLag;
  }

  private acfAt(x: number): number {
    const i = Math.floor(x);
    const f = x - i;
    return (this.acf[i] ?? 0) * (1 - f) + (this.acf[i + 1] ?? 0) * f;
  }

  /** How many hops ago the last beat was: the offset whose comb over the onset function is strongest. */
  private bestPhase(lag: number): number {
    let best = -Infinity;
    let at = 0;
    for (let phi = 0; phi < Math.ceil(lag); phi++) {
      let s = 0;
      for (let m = 0; m < 4; m++) s += this.value(Math.round(phi + m * lag));
      if (s > best) {
        best = s;
        at = phi;
      }
    }
    return at;
  }
}
