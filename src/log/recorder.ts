import { SHOW_LOG_FORMAT, SHOW_LOG_LIMITS, SHOW_LOG_VERSION, TICK_SECONDS } from '../model/index.ts';
import type { LogEntry, Preset, ShowLog, SweepTrack } from '../model/index.ts';
import type { BusEntry, Runtime, RuntimeModule } from '../runtime/runtime.ts';

/** Where a show began: the preset as validated, the seed and the tile count it ran at. */
export interface ShowStart {
  preset: Preset;
  seed: number;
  tiles?: number;
}

export interface ShowRecorder extends RuntimeModule {
  /**
   * The show so far, as a log that replays it: a copy, or with `shared` the recorder's own entries
   * (for a caller that serialises it at once and keeps nothing: the kept show, every second).
   */
  log(options?: { shared?: boolean }): ShowLog;
  /** Entries kept so far. */
  count(): number;
  /** Start a new log from `start`, carrying on from `entries` (a resumed show, a taken-over replay). */
  reset(start: ShowStart, entries?: readonly LogEntry[]): void;
  /** Stop recording (a log is playing) or start again. */
  pause(paused: boolean): void;
}

/** Which of the format's limits one more entry would pass (null: none). */
const overLimit = (entries: number, presets: number, e: BusEntry): string | null => {
  if (entries >= SHOW_LOG_LIMITS.entries) return `${SHOW_LOG_LIMITS.entries} entries`;
  if (e.t > SHOW_LOG_LIMITS.seconds) return `${SHOW_LOG_LIMITS.seconds} s`;
  if (e.action.type === 'preset' && presets >= SHOW_LOG_LIMITS.presets) return `${SHOW_LOG_LIMITS.presets} presets`;
  return null;
};

/**
 * The log as an output of the runtime: every entry on the bus, in the order it happened; the
 * continuous values of frames that follow one another with nothing discrete between them are kept
 * as one sweep (per path and source: steps since the last value, and the value).
 */
export const createRecorder = (initial: ShowStart, options: { onFull?: (why: string) => void } = {}): ShowRecorder => {
  let start = initial;
  let entries: LogEntry[] = [];
  let paused = false;
  /** The log reached a limit of the format: it stops growing (once said), the show goes on. */
  let full = false;
  let presets = 0;
  const fits = (e: BusEntry): boolean => {
    if (full) return false;
    const why = overLimit(entries.length, presets, e);
    if (why === null) return true;
    full = true;
    options.onFull?.(`the show log is full (${why}): the show goes on, its log stops here; Save show keeps what it has`);
    return false;
  };
  /** The open sweep (the last entry) and, per track, the absolute step of its last value. */
  let sweep: { entry: LogEntry & { action: { type: 'sweep'; tracks: SweepTrack[] } }; last: number[] } | null = null;

  const take = (e: BusEntry) => {
    if (paused) return;
    if (e.action.type !== 'modulate') {
      if (!fits(e)) return;
      if (e.action.type === 'preset') presets++;
      sweep = null;
      entries.push({ t: e.t, source: e.source, action: e.action });
      return;
    }
    const { path, value } = e.action;
    if (!sweep) {
      if (!fits(e)) return;
      const entry = { t: e.t, source: e.source, action: { type: 'sweep' as const, tracks: [] as SweepTrack[] } };
      entries.push(entry);
      sweep = { entry, last: [] };
    }
    const step = Math.round((e.t - sweep.entry.t) / TICK_SECONDS);
    const tracks = sweep.entry.action.tracks;
    let k = tracks.findIndex((tr) => tr.path === path && tr.source === e.source);
    if (k < 0) {
      if (tracks.length >= SHOW_LOG_LIMITS.tracks) {
        sweep = null;
        take(e);
        return;
      }
      k = tracks.push({ path, source: e.source, steps: [], values: [] }) - 1;
      sweep.last[k] = 0;
    }
    const track = tracks[k]!;
    track.steps.push(step - sweep.last[k]!);
    track.values.push(value);
    sweep.last[k] = step;
    // A long sweep is closed, so no one entry outgrows the log's limits.
    if (track.values.length >= SHOW_LOG_LIMITS.valuesPerTrack) sweep = null;
  };

  return {
    name: 'show log',
    start: (runtime: Runtime) => runtime.onEntry(take),
    log: (opts = {}) => ({
      format: SHOW_LOG_FORMAT,
      version: SHOW_LOG_VERSION,
      preset: start.preset,
      seed: start.seed,
      ...(start.tiles === undefined ? {} : { tiles: start.tiles }),
      entries: opts.shared ? entries : structuredClone(entries),
    }),
    count: () => entries.length,
    reset: (s, carried = []) => {
      start = s;
      entries = structuredClone([...carried]);
      presets = entries.filter((e) => e.action.type === 'preset').length;
      full = false;
      sweep = null;
    },
    pause: (p) => {
      paused = p;
      sweep = null;
    },
  };
};
