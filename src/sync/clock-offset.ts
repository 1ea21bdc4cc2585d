import { CLOCK_EVERY_MS, CLOCK_PINGS, observable } from './protocol.ts';
import type { Observable } from './protocol.ts';

/**
 * An audience device's estimate of the offset between its clock and the performer's, by
 * request/reply pings as NTP does it: send at t0 (here), the performer answers with its time t1,
 * the answer arrives at t2 (here). If the way there and back take equally long,
 * offset = t1 - (t0 + t2) / 2, and the error is at most half the round trip's asymmetry, so the
 * ping with the lowest round trip of a burst (the one least delayed by queues, timers and busy
 * pages) gives the best estimate.
 */
export interface ClockSample {
  /** Performer's clock minus this device's clock (ms). */
  offsetMs: number;
  rttMs: number;
}

export interface ClockEstimate extends ClockSample {
  /** When this estimate was made (this device's clock, ms). */
  at: number;
  /** Pings answered in the burst that gave it. */
  answered: number;
  /** Bursts so far. */
  bursts: number;
}

export const sampleOf = (t0: number, t1: number, t2: number): ClockSample => ({ offsetMs: t1 - (t0 + t2) / 2, rttMs: t2 - t0 });

/** The sample with the lowest round trip (null for none). */
export const bestSample = (samples: readonly ClockSample[]): ClockSample | null => {
  let best: ClockSample | null = null;
  for (const s of samples) if (s.rttMs >= 0 && (best === null || s.rttMs < best.rttMs)) best = s;
  return best;
};

export interface ClockEstimator {
  readonly estimate: Observable<ClockEstimate | null>;
  /** Run a burst now (a burst already running is joined, not doubled). */
  measure(): Promise<ClockEstimate | null>;
  stop(): void;
}

export interface ClockEstimatorOptions {
  pings?: number;
  everyMs?: number;
  /**
   * Pause between pings of a burst (ms), this plus up to as much again at random: a page busy
   * drawing a frame answers late, and pings spread over a few frames find it idle more often.
   */
  gapMs?: number;
  /** The estimate is the lowest round trip of this many recent bursts (the clocks drift by ppm). */
  keepBursts?: number;
  /**
   * A burst whose best round trip is longer than this (ms) is followed by another after
   * `retryMs`, up to `quickRetries` times in a row: a page that joins while the performer's page
   * is busy (loading, compiling shaders) gets a good estimate in seconds rather than tens.
   */
  goodRttMs?: number;
  retryMs?: number;
  quickRetries?: number;
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Ping in bursts (8 pings, keep the lowest round trip; every 10 s). `ask` sends one ping and
 * resolves with the performer's time; a ping that fails or times out is left out of its burst.
 */
export const startClockEstimator = (ask: () => Promise<number>, options: ClockEstimatorOptions = {}): ClockEstimator => {
  const { pings = CLOCK_PINGS, everyMs = CLOCK_EVERY_MS, gapMs = 25, keepBursts = 3, goodRttMs = 50, retryMs = 2000, quickRetries = 3, now = () => performance.timeOrigin + performance.now() } = options;
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const estimate = observable<ClockEstimate | null>(null);
  let stopped = false;
  let running: Promise<ClockEstimate | null> | null = null;
  let bursts = 0;
  /** The best sample of each recent burst. */
  const recent: ClockSample[] = [];
  const burst = async (): Promise<ClockEstimate | null> => {
    const samples: ClockSample[] = [];
    for (let i = 0; i < pings && !stopped; i++) {
      if (i > 0 && gapMs > 0) await sleep(gapMs * (1 + Math.random()));
      const t0 = now();
      try {
        const t1 = await ask();
        samples.push(sampleOf(t0, t1, now()));
      } catch {
        /* lost or timed out: the burst goes on without it */
      }
    }
    const own = bestSample(samples);
    if (!own || stopped) return estimate.get();
    recent.push(own);
    if (recent.length > keepBursts) recent.shift();
    const best = bestSample(recent) ?? own;
    const next: ClockEstimate = { ...best, at: now(), answered: samples.length, bursts: ++bursts };
    estimate.set(next);
    if (next.rttMs > goodRttMs && retries < quickRetries && !retryTimer) {
      retries++;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        void measure();
      }, retryMs);
    } else if (next.rttMs <= goodRttMs) retries = 0;
    return next;
  };
  const measure = () => {
    running ??= burst().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void measure(), everyMs);
  return {
    estimate,
    measure,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      if (retryTimer) clearTimeout(retryTimer);
    },
  };
};
