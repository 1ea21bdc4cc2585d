import { applyDue, applyLogAction, entriesBefore, logDuration, newCursor, replayTo, timelineOf, logStart, TICK_SECONDS } from '../model/index.ts';
import type { DreamState, LogCursor, LogEntry, ShowLog, Timeline } from '../model/index.ts';
import { replaceDream } from '../store/dream-store.ts';
import type { Runtime } from '../runtime/runtime.ts';

/** A replay keeps where it stood every this many seconds of dream time, so a seek starts nearby. */
export const SNAPSHOT_EVERY_S = 10;

export interface ShowPlayer {
  readonly log: ShowLog;
  /** The dream time of the log's last entry (after it, the preset's acts play on by themselves). */
  readonly duration: number;
  /** Put the dream of the log at dream time `t` in the store, and play on from there. */
  seek(t: number): DreamState;
  /** The entries applied so far (what a take over would keep). */
  played(): LogEntry[];
  /** Stop applying the log; returns the entries applied so far (a take-over's new log starts with them). */
  stop(): LogEntry[];
}

type Point = { tl: Timeline; cursor: LogCursor };

/**
 * A log played onto the runtime: its entries apply at their steps as the clock moves (source
 * `replay`), whatever drives the clock (frames, the music, clock.step). A seek starts from the
 * nearest snapshot at or before it (one is kept every SNAPSHOT_EVERY_S of dream time), or from
 * where the replay stands when that is nearer.
 */
export const createPlayer = (runtime: Runtime, log: ShowLog): ShowPlayer => {
  const snapshots = new Map<number, Point>([[0, { tl: timelineOf(logStart(log)), cursor: newCursor() }]]);
  let cursor = newCursor();
  /** The runtime's dream is this log's (after the first seek): only then may a seek start from where it stands. */
  let positioned = false;
  let discrete = false;
  let continuous = false;
  /**
   * Safety belongs to the performer in the room, not to a log (a shared file must not turn the
   * flash guard off): a replay skips the log's safety settings and keeps the performer's own.
   */
  const applyButSafety = (s: DreamState, a: Parameters<typeof applyLogAction>[1]) => (a.type === 'set' && a.path.startsWith('safety.') ? s : applyLogAction(s, a));
  const counting = (s: DreamState, a: Parameters<typeof applyLogAction>[1]) => {
    if (a.type === 'modulate') continuous = true;
    else discrete = true;
    return applyButSafety(s, a);
  };
  const hook = {
    due: (base: DreamState) => replayDue(base),
    changed: () => {
      const c = { discrete, continuous };
      discrete = false;
      continuous = false;
      return c;
    },
  };
  // The entries due at the base's step, applied there (replayTo at exactly a step's time would
  // give the state before them, so nothing was ever applied while the clock moved).
  const replayDue = (base: DreamState): DreamState => applyDue(log, cursor, base, counting);
  const pointAt = (t: number): Point => {
    let best: Point = snapshots.get(0)!;
    for (const [at, p] of snapshots) if (at <= t + TICK_SECONDS / 2 && at > best.tl.base.clock) best = p;
    const { base, ahead } = runtime.store.getState();
    // (Before the first seek the runtime holds another show: the live one, or an earlier replay's.)
    if (positioned && base.clock + ahead <= t && base.clock > best.tl.base.clock) best = { tl: { base, ahead }, cursor };
    // Keep snapshots on the way, so the next seek near here is quick.
    for (let at = (Math.floor(best.tl.base.clock / SNAPSHOT_EVERY_S + 1e-9) + 1) * SNAPSHOT_EVERY_S; at <= t; at += SNAPSHOT_EVERY_S) {
      best = replayTo(log, at, best, applyButSafety);
      snapshots.set(at, best);
    }
    return best;
  };
  runtime.setStepHook(hook);
  return {
    log,
    duration: logDuration(log),
    seek: (t) => {
      const target = Math.max(0, t);
      const r = replayTo(log, target, pointAt(target), applyButSafety);
      cursor = r.cursor;
      const { safety } = runtime.store.getState().base;
      replaceDream(runtime.store, { base: { ...r.tl.base, safety }, ahead: r.tl.ahead });
      positioned = true;
      hook.changed();
      return runtime.store.getState().dream;
    },
    played: () => entriesBefore(log, cursor),
    stop: () => {
      runtime.setStepHook(null);
      return entriesBefore(log, cursor);
    },
  };
};
