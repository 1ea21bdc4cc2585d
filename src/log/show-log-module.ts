import { DreamInputError, logDuration, SHOW_LOG_LIMITS, validateShowLog } from '../model/index.ts';
import type { Problem, ShowLog } from '../model/index.ts';
import { registerApi, snapshot } from '../api/dreamscape-api.ts';
import type { DreamscapeApi, DreamSnapshot } from '../api/dreamscape-api.ts';
import type { Runtime, RuntimeModule } from '../runtime/runtime.ts';
import { observable } from '../lib/observable.ts';
import type { Observable } from '../lib/observable.ts';
import { createPlayer } from './player.ts';
import type { ShowPlayer } from './player.ts';
import type { ShowRecorder } from './recorder.ts';

/** What the performer view shows of a replay (its play/pause button and scrub bar). */
export interface ReplayStatus {
  /** A log is playing (live inputs are off until take over). */
  playing: boolean;
  /** The dream time of the log's last entry. */
  duration: number;
}

export interface ReplayOptions {
  /** Dream time (s) to start at (default 0). */
  at?: number;
}

declare module '../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** The show so far as a log: preset, seed and every action with its dream time and source. */
    log(): ShowLog;
    /** Play a log (checked first: a bad one rejects with its problems): resolves with the dream at `at`, then plays on. */
    replay(log: unknown, options?: ReplayOptions): Promise<DreamSnapshot>;
    /** The dream of the show at dream time `t` (a live show becomes a replay of its own log). */
    seek(t: number): Promise<DreamSnapshot>;
    /** Stop the replay and play live from here: a new log starts with what was played. */
    takeOverReplay(): DreamSnapshot;
    replayStatus(): ReplayStatus;
  }
}

/** The error a rejected replay gives: the log's problems, each with its path. */
export class ShowLogProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.name = 'ShowLogProblemsError';
  }
}

/**
 * How far a seek may go: an hour past the later of the log's last entry and the dream now (the
 * preset's acts play on by themselves after the last entry; a seek costs ~3 µs of model per 1/120 s
 * step from the nearest snapshot, so an absurd time would freeze the page).
 */
export const seekLimit = (duration: number, now: number): number => Math.min(SHOW_LOG_LIMITS.seconds, Math.max(duration, now) + 3600);

export const LOCKED_FOR_REPLAY = 'a show log is playing: press take over (or dreamscape.takeOverReplay()) to play live';

export interface ShowLogControl extends RuntimeModule {
  readonly recorder: ShowRecorder;
  status: Observable<ReplayStatus>;
  replay(log: unknown, options?: ReplayOptions): DreamSnapshot;
  /**
   * The log to keep for a reload (to be serialised at once, not held): the live show's, or while a log plays the part of it played so
   * far (what take over would keep: a reload in a replay resumes live from there).
   */
  keptLog(): ShowLog;
  /** The log being replayed, itself (the same object while it plays: the bar keys its act marks by it), or null. */
  playingLog(): ShowLog | null;
  seek(t: number): DreamSnapshot;
  takeOver(): DreamSnapshot;
}

/**
 * The show log on the performer's page: the recorder keeps the live show; a replay plays a log
 * onto the runtime with live inputs off, and take over starts a new log from that moment.
 */
export const showLogModule = (api: DreamscapeApi, recorder: ShowRecorder, options: { onProblems?: (source: string, problems: Problem[]) => void } = {}): ShowLogControl => {
  let runtime: Runtime | null = null;
  let player: ShowPlayer | null = null;
  let release: (() => void) | null = null;
  const status = observable<ReplayStatus>({ playing: false, duration: 0 });
  const need = (): Runtime => {
    if (!runtime) throw new Error('the show log has not started');
    return runtime;
  };
  const stopPlayer = () => {
    const entries = player?.stop() ?? null;
    release?.();
    release = null;
    const log = player?.log ?? null;
    player = null;
    return { entries, log };
  };
  const control: ShowLogControl = {
    name: 'show log',
    recorder,
    status,
    replay: (raw, opts = {}) => {
      const rt = need();
      const at = opts.at ?? 0;
      if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) throw new DreamInputError(`replay: at must be a dream time ≥ 0 in seconds, got ${String(at)}`);
      const checked = validateShowLog(raw);
      if (!checked.ok) {
        options.onProblems?.('show log', checked.problems);
        throw new ShowLogProblemsError(checked.problems);
      }
      const limit = seekLimit(logDuration(checked.log), rt.store.getState().dream.clock);
      if (at > limit) throw new DreamInputError(`replay: at ${at} s is past this show (it can play on by itself for an hour after its last entry: at most ${Math.floor(limit)} s)`);
      stopPlayer();
      recorder.pause(true);
      release = rt.lockInputs(LOCKED_FOR_REPLAY);
      player = createPlayer(rt, checked.log);
      const dream = player.seek(at);
      status.set({ playing: true, duration: player.duration });
      // Draw the picture (and let the music take the state) once at the target, paused or not.
      rt.clock.step(0);
      return snapshot(dream);
    },
    playingLog: () => player?.log ?? null,
    // (serialised at once by the keeper: the recorder's entries need no copy)
    keptLog: () => (player ? { ...player.log, entries: player.played() } : recorder.log({ shared: true })),
    seek: (t) => {
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new DreamInputError(`seek: t must be a dream time ≥ 0 in seconds, got ${String(t)}`);
      const limit = seekLimit(player?.duration ?? 0, need().store.getState().dream.clock);
      if (t > limit) throw new DreamInputError(`seek: ${t} s is past this show (it can play on by itself for an hour after its last entry: at most ${Math.floor(limit)} s)`);
      if (!player) return control.replay(recorder.log(), { at: t });
      const dream = player.seek(t);
      need().clock.step(0);
      return snapshot(dream);
    },
    takeOver: () => {
      const rt = need();
      const { entries, log } = stopPlayer();
      if (log && entries) recorder.reset({ preset: log.preset, seed: log.seed, ...(log.tiles === undefined ? {} : { tiles: log.tiles }) }, entries);
      recorder.pause(false);
      status.set({ playing: false, duration: 0 });
      return snapshot(rt.store.getState().dream);
    },
    start: (rt) => {
      runtime = rt;
      const stopRecorder = rt.start(recorder);
      const unregister = registerApi(api, {
        log: () => (player ? structuredClone(player.log) : recorder.log()),
        replay: async (log, opts) => control.replay(log, opts),
        seek: async (t) => control.seek(t),
        takeOverReplay: () => control.takeOver(),
        replayStatus: () => status.get(),
      });
      return () => {
        stopPlayer();
        stopRecorder();
        unregister();
        runtime = null;
      };
    },
  };
  return control;
};
