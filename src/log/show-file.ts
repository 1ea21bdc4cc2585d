import { logStart, replayTo, SHOW_LOG_FORMAT, SHOW_LOG_LIMITS, timelineOf, newCursor, validateShowLogText, viewOf } from '../model/index.ts';
import type { LogCursor, ShowLog, Timeline } from '../model/index.ts';
import type { DreamRuntime } from '../app/runtime-context.tsx';
import { showNotice } from '../controls/notices.ts';

/** `<preset>-<yyyy-mm-dd-hhmm>.show.json`, in the performer's local time. */
export const showFileName = (preset: string, at: Date = new Date()): string => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${preset}-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}.show.json`;
};

/** A file's text is a show log (by content, not by name): its `format` says so. */
export const isShowLogText = (input: string): boolean => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  // Cheap first: a show log names its format; a preset never does.
  if (!text.includes(SHOW_LOG_FORMAT)) return false;
  try {
    const raw: unknown = JSON.parse(text);
    return typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === SHOW_LOG_FORMAT;
  } catch {
    return false;
  }
};

/**
 * Open a show log's text: checked first (its problems shown with their paths, the show goes on),
 * then replayed from its start with live inputs off. Returns whether it plays.
 */
export const openShowText = (runtime: DreamRuntime, name: string, text: string): boolean => {
  const control = runtime.showLog;
  if (!control) {
    showNotice('a show log opens in the performer view only');
    return false;
  }
  const checked = validateShowLogText(text);
  if (!checked.ok) {
    runtime.store.setState({ problems: { source: name, problems: checked.problems } });
    return false;
  }
  try {
    control.replay(checked.log, { at: 0 });
  } catch (err) {
    showNotice(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
  runtime.store.setState({ problems: null });
  showNotice(`playing ${name}: live inputs are off until take over`);
  return true;
};

/**
 * A dropped or imported file that is a show log opens as a show: the one place where files are
 * routed by content (PresetBar's import and drop call it first). Returns true when it took the file.
 */
export const openIfShowLog = async (runtime: DreamRuntime, file: File): Promise<boolean> => {
  if (file.size > SHOW_LOG_LIMITS.bytes * 4) return false;
  const text = await file.text();
  if (!isShowLogText(text)) return false;
  openShowText(runtime, file.name, text);
  return true;
};

/**
 * The acts of a log: the dream times at which the current act (dream.show.index) changes, found
 * by replaying the log one second at a time (a single pass, extended on demand, kept per log).
 */
export interface ActMarks {
  /** Marks found so far: dream time (s, the first whole second the new act shows) and the act. */
  marks: { t: number; index: number }[];
  /** Replayed up to here. */
  until: number;
}

interface Tracker extends ActMarks {
  point: { tl: Timeline; cursor: LogCursor };
  index: number;
}

const trackers = new WeakMap<ShowLog, Tracker>();

/** Replay `log` on to dream time `until` (at most `budgetMs` of work now); the marks so far. */
export const actMarks = (log: ShowLog, until: number, budgetMs = 12): ActMarks => {
  let tr = trackers.get(log);
  if (!tr) {
    const tl = timelineOf(logStart(log));
    tr = { marks: [], until: 0, point: { tl, cursor: newCursor() }, index: tl.base.show.index };
    trackers.set(log, tr);
  }
  const stopAt = performance.now() + budgetMs;
  while (tr.until < until && performance.now() < stopAt) {
    const t = tr.until + 1;
    tr.point = replayTo(log, t, tr.point);
    const index = viewOf(tr.point.tl).show.index;
    if (index !== tr.index) tr.marks = [...tr.marks, { t, index }];
    tr.index = index;
    tr.until = t;
  }
  return { marks: tr.marks, until: tr.until };
};
