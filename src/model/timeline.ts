import { tick } from './tick.ts';
import type { DreamState } from './state.ts';

/**
 * Dream time that does not depend on the frame rate. The dream moves on in fixed steps of
 * TICK_SECONDS (as games step their physics for deterministic replay); a frame that lands between
 * two steps sees the last step's state moved on by the remainder, a view that is never fed back.
 * So the same dream time gives the same state whether it was reached at 60, 24 or uneven frames,
 * and an action stamped with its step's time replays exactly.
 */
export const TICK_SECONDS = 1 / 120;

/** A remainder within this of a whole step is the step (sums of frame times are not exact). */
export const TIME_SNAP = 1e-9;
const SNAP = TIME_SNAP;

/** The most one advance moves (a day: a show log's longest; 10.4 million steps). */
export const MAX_ADVANCE_S = 86_400;

export interface Timeline {
  /** The dream at the last whole step: every action applies here. */
  base: DreamState;
  /** Dream time past the base, 0 ≤ ahead < TICK_SECONDS. */
  ahead: number;
}

export const timelineOf = (dream: DreamState): Timeline => ({ base: dream, ahead: 0 });

/** The dream as seen now: the base moved on by the remainder (none within SNAP of the step). */
export const viewOf = (tl: Timeline): DreamState => (tl.ahead > SNAP ? tick(tl.base, tl.ahead) : tl.base);

/** The dream time of the view. */
export const timelineTime = (tl: Timeline): number => tl.base.clock + tl.ahead;

/**
 * Move on by `dt` seconds of dream time in whole steps; `beforeStep` may change the base at each
 * step's time before the step is taken (a replayed log's entries apply there).
 */
export const advanceTimeline = (tl: Timeline, dt: number, beforeStep?: (base: DreamState) => DreamState): Timeline => {
  if (!(dt > 0) || !Number.isFinite(dt)) return tl;
  let base = tl.base;
  let ahead = tl.ahead + Math.min(dt, MAX_ADVANCE_S);
  while (ahead >= TICK_SECONDS - SNAP) {
    if (beforeStep) base = beforeStep(base);
    base = tick(base, TICK_SECONDS);
    ahead -= TICK_SECONDS;
  }
  return { base, ahead: ahead > 0 ? ahead : 0 };
};

/** Steps needed to move a timeline on by `dt` (for budgets: a seek of 600 s is 72,000 steps). */
export const stepsFor = (dt: number): number => Math.floor(dt / TICK_SECONDS + SNAP);
