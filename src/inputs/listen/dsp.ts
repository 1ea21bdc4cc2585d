/**
 * The small DSP pieces the listening analysis is made of, pure and allocation-free after
 * construction (they run on the audio thread, in an AudioWorklet, once a hop): a radix-2 FFT,
 * a running range that normalises a value to what it has been lately, and a hit detector with an
 * adaptive threshold.
 */

/** In-place radix-2 FFT of (re, im), length a power of two. */
export const fft = (re: Float64Array, im: Float64Array): void => {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
};

export const hann = (n: number): Float64Array => {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
};

/**
 * A value normalised to its own running range: the top follows a rise at once and sinks back
 * towards the value over `fallSeconds`, the bottom follows a fall at once and rises over
 * `riseSeconds`. As Butterchurn divides a band by its long average, a quiet room and a loud club
 * both use the whole 0..1; below `floor` (silence) the level is 0.
 */
export class RunningRange {
  private lo = Infinity;
  private hi = 0;
  constructor(
    private readonly floor: number,
    private readonly fallSeconds = 4,
    private readonly riseSeconds = 8,
  ) {}

  update(x: number, dt: number): number {
    if (x > this.hi) this.hi = x;
    else this.hi += (x - this.hi) * (1 - Math.exp(-dt / this.fallSeconds));
    if (x < this.lo) this.lo = x;
    else this.lo += (x - this.lo) * (1 - Math.exp(-dt / this.riseSeconds));
    if (this.hi < this.floor) return 0;
    const span = this.hi - this.lo;
    if (span <= 1e-12) return 0;
    const y = (x - this.lo) / span;
    return y < 0 ? 0 : y > 1 ? 1 : y;
  }
}

/**
 * Hits in a detection function (a band's rise in dB, the spectral flux): a hit when the value
 * exceeds both `minimum` and the mean plus `k` standard deviations of the last `window` values,
 * while the signal is above its silence floor, and not within `refractory` seconds of the last.
 */
export class HitDetector {
  private readonly history: Float64Array;
  private at = 0;
  private filled = 0;
  private last = -Infinity;
  hits = 0;

  constructor(
    window: number,
    private readonly minimum: number,
    private readonly k = 1.5,
    private readonly refractory = 0.1,
  ) {
    this.history = new Float64Array(window);
  }

  /** Feed one value at time t (seconds); true on a hit. */
  update(d: number, t: number, audible: boolean): boolean {
    let mean = 0;
    let sq = 0;
    const n = this.filled;
    for (let i = 0; i < n; i++) {
      const v = this.history[i]!;
      mean += v;
      sq += v * v;
    }
    const m = n ? mean / n : 0;
    const sd = n ? Math.sqrt(Math.max(0, sq / n - m * m)) : 0;
    this.history[this.at] = d;
    this.at = (this.at + 1) % this.history.length;
    if (this.filled < this.history.length) this.filled++;
    const hit = audible && d > this.minimum && d > m + this.k * sd && t - this.last >= this.refractory;
    if (hit) {
      this.last = t;
      this.hits++;
    }
    return hit;
  }
}

export const frac = (x: number): number => x - Math.floor(x);
