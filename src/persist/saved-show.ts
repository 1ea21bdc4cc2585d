import { advanceTimeline, inspectJson, LIMITS, TICK_SECONDS, V1_SCENE, validateShowLog } from '../model/index.ts';
import type { DreamState, ShowLog, Timeline } from '../model/index.ts';
import type { AudioDevices } from '../sync/protocol.ts';
import type { AudioChoice } from '../sync/performer-sync.ts';
import { dreamStateSchema, inspectShape } from '../sync/validate.ts';

/**
 * A performer's show as kept in the browser, so a reload (the tab's session storage) or a new tab
 * of the same room (IndexedDB) can take it up again: the whole dream (act, its elapsed time, every
 * panel edit, the running morph and glides), where the symphony plays, and the wall-clock time it
 * was kept. It stays on the performer's machine: private dreamers are kept in full.
 */
export const SAVED_SHOW_FORMAT = 'dreamscape-saved-show';
export const SAVED_SHOW_VERSION = 1;

export interface SavedShow {
  format: typeof SAVED_SHOW_FORMAT;
  version: typeof SAVED_SHOW_VERSION;
  room: string;
  /** Wall clock (ms since 1970) when it was kept. */
  savedAt: number;
  /** Whether the dream clock was paused. */
  paused: boolean;
  /** The dream at its last whole step of dream time, and the time past it (src/model/timeline.ts). */
  dream: DreamState;
  ahead: number;
  audio: { choice: AudioChoice; devices: AudioDevices };
  /** The show's log so far, so a resumed show's log is whole (absent while a log was replaying). */
  log?: ShowLog;
}

/** A dream kept in storage is read back through the same check as one from the wire. */
export type DreamCheck = (dream: unknown) => { ok: true; dream: DreamState } | { ok: false; problem: string };

/** A dream and the largest show log (16 MB) with room to spare. */
export const SAVED_SHOW_MAX_CHARS = 20_000_000;

export const encodeSavedShow = (show: Omit<SavedShow, 'format' | 'version'>): string =>
  JSON.stringify({ format: SAVED_SHOW_FORMAT, version: SAVED_SHOW_VERSION, ...show });

const CHOICES: readonly string[] = ['auto', 'audience', 'performer'];

/** Read a kept show back, or say why it cannot be used (the show then starts from its preset). */
export const decodeSavedShow = (text: string, room: string, check: DreamCheck): { ok: true; show: SavedShow; warning?: string } | { ok: false; problem: string } => {
  if (text.length > SAVED_SHOW_MAX_CHARS) return { ok: false, problem: `too large (${text.length} characters)` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const seen = inspectJson(raw, { maxDepth: LIMITS.jsonDepth + 4, maxNodes: SAVED_SHOW_MAX_CHARS });
  if (seen.forbidden !== null || seen.stopped !== null) return { ok: false, problem: seen.forbidden ? `forbidden key at ${seen.forbidden}` : `too ${seen.stopped === 'depth' ? 'deep' : 'large'}` };
  const o = raw as Partial<Record<keyof SavedShow, unknown>>;
  if (typeof raw !== 'object' || raw === null || o.format !== SAVED_SHOW_FORMAT) return { ok: false, problem: 'not a kept show' };
  if (o.version !== SAVED_SHOW_VERSION) return { ok: false, problem: `format version ${String(o.version)}; this one reads ${SAVED_SHOW_VERSION}` };
  if (o.room !== room) return { ok: false, problem: `kept for room ${JSON.stringify(o.room)}` };
  if (typeof o.savedAt !== 'number' || !Number.isFinite(o.savedAt)) return { ok: false, problem: 'no time it was kept' };
  const ahead = typeof o.ahead === 'number' && o.ahead >= 0 && o.ahead < TICK_SECONDS ? o.ahead : 0;
  const audio = o.audio as { choice?: unknown; devices?: unknown } | undefined;
  const devicesOk = audio?.devices === 'all' || (Array.isArray(audio?.devices) && audio.devices.length <= 64 && audio.devices.every((d) => typeof d === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(d)));
  if (!audio || !CHOICES.includes(String(audio.choice)) || !devicesOk) return { ok: false, problem: 'where the symphony plays is unreadable' };
  const dream = check(o.dream);
  if (!dream.ok) return { ok: false, problem: `its dream: ${dream.problem}` };
  let log: ShowLog | undefined;
  let logProblem: string | undefined;
  if (o.log !== undefined) {
    // A log that cannot be read loses the log, not the show: the dream resumes without it.
    const r = validateShowLog(o.log);
    if (r.ok) log = r.log;
    else logProblem = `its log could not be kept (${r.problems[0]?.path ?? '$'}: ${r.problems[0]?.message ?? 'invalid'}); the show goes on with a new log`;
  }
  return {
    ok: true,
    show: { format: SAVED_SHOW_FORMAT, version: SAVED_SHOW_VERSION, room, savedAt: o.savedAt, paused: o.paused === true, dream: dream.dream, ahead, audio: { choice: audio.choice as AudioChoice, devices: audio.devices as AudioDevices }, ...(log ? { log } : {}) },
    ...(logProblem ? { warning: logProblem } : {}),
  };
};

/** The longest a reloaded tab catches up on the time it was away (longer: it resumes as kept). */
export const MAX_RELOAD_CATCH_UP_S = 60;

/**
 * The dream a reloaded tab resumes: the kept one, moved on by the wall time since it was kept
 * (the audiences dreamt on meanwhile, so the performer does not pull them back), unless it was
 * paused or kept too long ago.
 */
export const dreamToResume = (show: SavedShow, nowMs: number): Timeline => {
  const kept = { base: show.dream, ahead: show.ahead };
  const away = (nowMs - show.savedAt) / 1000;
  if (show.paused || !(away > 0) || away > MAX_RELOAD_CATCH_UP_S) return kept;
  return advanceTimeline(kept, away);
};

/** A kept dream is checked as one from the wire is (src/sync/validate.ts): shape, then the schema. */
/**
 * A dream kept before the scene's layers existed had today's look: it gets that look back, a pace
 * from here and the camera's time at its clock (so is a preset morph's target it carries).
 */
const withScene = (kept: unknown): unknown => {
  if (kept === null || typeof kept !== 'object' || Array.isArray(kept) || 'scene' in kept) return kept;
  const d = kept as { clock?: unknown; morph?: { target?: unknown } | null };
  const morph = d.morph && typeof d.morph === 'object' && d.morph.target ? { ...d.morph, target: withScene(d.morph.target) } : d.morph;
  return { ...d, scene: structuredClone(V1_SCENE), flow: 0, cameraTime: typeof d.clock === 'number' ? d.clock : 0, ...(morph === undefined ? {} : { morph }) };
};

export const checkDream: DreamCheck = (kept) => {
  const dream = withScene(kept);
  const shape = inspectShape(dream);
  if (shape) return { ok: false, problem: `${shape.path}: ${shape.message}` };
  const r = dreamStateSchema.safeParse(dream);
  if (r.success) return { ok: true, dream: r.data };
  const issue = r.error.issues[0];
  return { ok: false, problem: `$.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a dream state'}` };
};
