/**
 * MIDI clock, pure. In: 24 pulses a quarter note, with start, continue and stop, become a tempo and
 * the place of the beat. The pulses of a USB or DIN clock arrive with jitter of a millisecond or
 * more (about 5-10 % of a pulse at 120 BPM), so the tempo is a least-squares line through the
 * last four beats of pulse times (one late pulse moves it by a small fraction of its error), and a
 * new tempo is sent only when it moved by more than half a BPM, on start, or when the dream's beat
 * has drifted from the clock's by more than DRIFT_BEATS (at most once a beat): the music does not
 * wobble with the jitter. Out: the pulse times to send ahead, from the dream's tempo and beat.
 */

export const PPQN = 24;
/** Pulses in the fit: four beats. */
export const WINDOW = 96;
/** Pulses before a first tempo: one beat. */
export const MIN_PULSES = PPQN;
/** A new tempo only when the estimate moved by more than this. */
export const BPM_STEP = 0.5;
/** A beat correction when the dream's beat is this far (in beats) from the clock's. */
export const DRIFT_BEATS = 0.05;
/** A gap this long (ms) means the clock stopped: the fit starts over. */
export const GAP_MS = 500;

export interface TempoUpdate {
  bpm: number;
  /** How far into a beat the clock is (0..1), or undefined before a start says where beat 1 is. */
  phase?: number;
}

export type ClockKind = 'clock' | 'start' | 'continue' | 'stop';

export interface ClockFollower {
  /** A clock message at `t` (ms, the event's timestamp): the tempo action to send, or null. */
  message(kind: ClockKind, t: number): TempoUpdate | null;
  /** The smoothed tempo (null before a beat of pulses). */
  bpm(): number | null;
  /** Started (or continued) and not stopped. */
  running(): boolean;
}

/** The least-squares slope of t over the pulse index (ms a pulse). */
export const fitPeriod = (times: readonly number[]): number => {
  const n = times.length;
  const meanI = (n - 1) / 2;
  let meanT = 0;
  for (const t of times) meanT += t / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanI) * (times[i]! - meanT);
    den += (i - meanI) ** 2;
  }
  return num / den;
};

const round2 = (x: number): number => Math.round(x * 100) / 100;
const frac = (x: number): number => x - Math.floor(x);

export const createClockFollower = (): ClockFollower => {
  let times: number[] = [];
  let running = false;
  /** Pulses since start (the first pulse after a start is beat 1's), or null before a start. */
  let count: number | null = null;
  let startPending = false;
  let estimate: number | null = null;
  /** What was last sent: the tempo, and (when known) the clock's beat at the time sent. */
  let sent: { bpm: number; at: number; beat: number | null } | null = null;
  let lastCorrection = -Infinity;

  const send = (bpm: number, t: number, beat: number | null): TempoUpdate => {
    sent = { bpm, at: t, beat };
    return beat === null ? { bpm } : { bpm, phase: Math.round(frac(beat) * 1e4) / 1e4 };
  };

  const pulse = (t: number): TempoUpdate | null => {
    const last = times[times.length - 1];
    if (last !== undefined && (t - last > GAP_MS || t <= last)) times = [];
    times.push(t);
    if (times.length > WINDOW) times.shift();
    const beat = count === null ? null : count / PPQN;
    if (count !== null && running) count++;
    if (times.length < MIN_PULSES) return null;
    estimate = round2(60_000 / (PPQN * fitPeriod(times)));
    if (startPending && beat !== null) {
      startPending = false;
      lastCorrection = t;
      return send(estimate, t, beat);
    }
    if (!sent || Math.abs(estimate - sent.bpm) > BPM_STEP) return send(estimate, t, running ? beat : null);
    if (running && beat !== null && t - lastCorrection > 60_000 / estimate) {
      const predicted = sent.beat === null ? null : sent.beat + ((t - sent.at) * sent.bpm) / 60_000;
      const off = predicted === null ? 1 : Math.abs(frac(beat - predicted + 0.5) - 0.5);
      if (off > DRIFT_BEATS) {
        lastCorrection = t;
        return send(sent.bpm, t, beat);
      }
    }
    return null;
  };

  return {
    message: (kind, t) => {
      switch (kind) {
        case 'clock':
          return pulse(t);
        case 'start':
          running = true;
          count = 0;
          startPending = true;
          return null;
        case 'continue':
          running = true;
          count ??= 0;
          startPending = true;
          return null;
        case 'stop':
          running = false;
          return null;
      }
    },
    bpm: () => estimate,
    running: () => running,
  };
};

export interface ClockOut {
  /** Times (ms) of the pulses to send in [now, now + aheadMs), at the dream's tempo now, the first on its next whole beat. */
  due(now: number, aheadMs: number, bpm: number, beat: number): number[];
  reset(): void;
}

/** Clock out: pulse times scheduled ahead (for `send(data, timestamp)`), following tempo changes. */
export const createClockOut = (): ClockOut => {
  let next: number | null = null;
  return {
    due: (now, aheadMs, bpm, beat) => {
      const period = 60_000 / (PPQN * bpm);
      // Start on the dream's next whole beat (the first pulse after a start is a downbeat). Pulses
      // missed in a short stall (a long frame) go out at once, so a follower's count stays right;
      // after a stall of more than a beat, start over on a whole beat.
      if (next === null || next < now - PPQN * period) next = now + (Math.ceil(beat - 1e-9) - beat) * PPQN * period;
      const out: number[] = [];
      while (next < now + aheadMs) {
        out.push(next);
        next += period;
      }
      return out;
    },
    reset: () => {
      next = null;
    },
  };
};
