import { mulberry32 } from '../model/index.ts';

export interface ImpulseSpec {
  /** Seconds for the tail to fall by 60 dB. */
  rt60: number;
  /** Length of the response in seconds. */
  seconds: number;
  /** Seconds of silence before the tail: the size of the space. */
  predelay: number;
  /** Low-pass of the tail, 0 bright .. 1 dark; the tail darkens as it decays, as air does. */
  damping: number;
  seed: number;
  /**
   * Seconds of the response kept, faded out over their last 40 ms (default: all of it). The
   * tail of a room under a hall can be cut where it is 30 dB down: a convolution's cost grows
   * with its length.
   */
  keep?: number;
}

/**
 * A stereo reverb impulse response: seeded noise under an exponential decay, each channel its
 * own noise (a wide, decorrelated tail), darkening over time. Computed here rather than with
 * Tone.Reverb, whose generator uses Math.random (two renders would differ) and is asynchronous.
 */
export const impulseResponse = (spec: ImpulseSpec, sampleRate: number): [Float32Array, Float32Array] => {
  const length = Math.max(1, Math.round(spec.seconds * sampleRate));
  const pre = Math.round(spec.predelay * sampleRate);
  const fadeIn = Math.round(0.012 * sampleRate);
  const decayPerSample = Math.log(1000) / (spec.rt60 * sampleRate);
  const out: [Float32Array, Float32Array] = [new Float32Array(length), new Float32Array(length)];
  out.forEach((ch, c) => {
    const rand = mulberry32(spec.seed + c * 7919);
    let lp = 0;
    let energy = 0;
    for (let i = pre; i < length; i++) {
      const t = i - pre;
      const white = rand() * 2 - 1;
      // One-pole low-pass whose cutoff falls along the tail.
      const a = Math.min(0.97, spec.damping * (0.25 + (0.75 * t) / (length - pre)));
      lp = a * lp + (1 - a) * white;
      const env = Math.exp(-decayPerSample * t) * Math.min(1, t / fadeIn);
      const v = lp * env;
      ch[i] = v;
      energy += v * v;
    }
    // Unit energy: the send level alone decides how wet the mix is, whatever the length.
    const norm = energy > 0 ? 1 / Math.sqrt(energy) : 0;
    for (let i = 0; i < length; i++) ch[i]! *= norm;
  });
  const kept = spec.keep === undefined ? length : Math.min(length, Math.max(1, Math.round(spec.keep * sampleRate)));
  if (kept === length) return out;
  const fade = Math.min(kept, Math.round(0.04 * sampleRate));
  return out.map((ch) => {
    const cut = ch.slice(0, kept);
    for (let i = 0; i < fade; i++) cut[kept - 1 - i]! *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fade);
    return cut;
  }) as [Float32Array, Float32Array];
};
