/**
 * The symphony of a show log, planned in chunks: pure (the model alone), tested in Node. A long
 * show is rendered offline a chunk at a time (at most 60 s of audio in one render, so an hour needs
 * no hour-long buffer); each chunk starts a few seconds early from the log's dream there, so the
 * notes and the reverb of the moment are already sounding when its kept part begins, and overlaps
 * the next one's start by a few milliseconds for a crossfade.
 */
import { applyLogAction, replayTo, TICK_SECONDS, viewOf } from '../../model/index.ts';
import type { DreamAction, DreamState, LogAction, LogCursor, ShowLog } from '../../model/index.ts';

/** The longest offline render (s). */
export const MAX_CHUNK_RENDER_S = 60;
/** Seconds rendered before a chunk's kept part (discarded: the music is already under way). */
export const PREROLL_S = 3;
/** Seconds of overlap between two chunks, crossfaded. */
export const CROSSFADE_S = 0.02;

export interface AudioChunk {
  /** Dream time of the chunk's kept part. */
  start: number;
  end: number;
  /** Dream time the offline render starts at (start minus the pre-roll, not before 0). */
  renderFrom: number;
  /** Seconds the render lasts: pre-roll + kept part + crossfade (at most MAX_CHUNK_RENDER_S). */
  renderSeconds: number;
}

/** The chunks that cover [from, to). */
export const audioChunks = (from: number, to: number, maxRender = MAX_CHUNK_RENDER_S, preroll = PREROLL_S, crossfade = CROSSFADE_S): AudioChunk[] => {
  const keep = maxRender - preroll - crossfade;
  if (!(keep > 0)) throw new RangeError('audioChunks: the pre-roll and crossfade leave nothing of a chunk');
  const chunks: AudioChunk[] = [];
  for (let start = from; start < to - 1e-9; start += keep) {
    const end = Math.min(to, start + keep);
    const renderFrom = Math.max(0, start - preroll);
    chunks.push({ start, end, renderFrom, renderSeconds: end - renderFrom + (end < to - 1e-9 ? crossfade : 0) });
  }
  return chunks;
};

export interface TimedLogAction {
  /** Seconds after the render's start. */
  at: number;
  action: DreamAction;
}

/** Safety belongs to the performer in the room, not to a log: a replay keeps its own (as src/log/player.ts). */
const isSafety = (a: DreamAction): boolean => a.type === 'set' && a.path.startsWith('safety.');

/** The sweep values of one entry still to come after the cursor, as timed modulations. */
const sweepActions = (e: ShowLog['entries'][number] & { action: { type: 'sweep' } }, skip: readonly number[], t0: number, until: number, out: TimedLogAction[]): void => {
  e.action.tracks.forEach((tr, k) => {
    let step = 0;
    for (let i = 0; i < tr.values.length; i++) {
      step += tr.steps[i]!;
      if (i < (skip[k] ?? 0)) continue;
      const t = e.t + step * TICK_SECONDS;
      if (t > until) break;
      out.push({ at: Math.max(0, t - t0), action: { type: 'modulate', path: tr.path, value: tr.values[i]! } });
    }
  });
};

/**
 * The dream of a log at `t0` and its entries after that up to `until`, timed from `t0`: what the
 * offline symphony needs to play the show from there (its SimulatedDream applies them).
 */
export const logFrom = (log: ShowLog, t0: number, until: number): { dream: DreamState; actions: TimedLogAction[] } => {
  const applyButSafety = (s: DreamState, a: Exclude<LogAction, { type: 'sweep' }>): DreamState => (isSafety(a) ? s : applyLogAction(s, a));
  const { tl, cursor } = replayTo(log, t0, undefined, applyButSafety);
  return { dream: viewOf(tl), actions: actionsAfter(log, cursor, t0, until) };
};

/** The entries at and after a cursor, up to `until`, as actions timed from `t0`. */
export const actionsAfter = (log: ShowLog, cursor: LogCursor, t0: number, until: number): TimedLogAction[] => {
  const out: TimedLogAction[] = [];
  for (let i = cursor.index; i < log.entries.length; i++) {
    const e = log.entries[i]!;
    if (e.t > until) break;
    if (e.action.type === 'sweep') {
      sweepActions(e as typeof e & { action: { type: 'sweep' } }, i === cursor.index ? cursor.applied : [], t0, until, out);
      continue;
    }
    if (isSafety(e.action)) continue;
    out.push({ at: Math.max(0, e.t - t0), action: e.action });
  }
  // Sweeps' values interleave with later entries: in time order, ties as they were listed.
  return out.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i).map((x) => x.a);
};
