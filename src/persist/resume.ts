import { decodeSavedShow } from './saved-show.ts';
import type { DreamCheck, SavedShow } from './saved-show.ts';
import { readSession } from './show-storage.ts';

/** How long a resumed tab's clock takes its slow first frames in full (see DreamClockOptions). */
export const RESUME_LONG_FRAMES_S = 10;

/** What a performer tab found in its session storage at boot. */
export interface ResumeInfo {
  /** The show this tab kept before it was reloaded, or null. */
  show: SavedShow | null;
  /** Why a kept show could not be taken up (shown to the performer), or null. */
  problem: string | null;
}

/**
 * Read synchronously at boot, before the page says anything to its audiences, so a reloaded
 * performer's first message already carries the show where it was.
 */
export const takeUpSession = (room: string, check: DreamCheck): ResumeInfo => {
  const r = readSession(room);
  if (!r.ok) return { show: null, problem: `session storage: ${r.error}` };
  if (r.value === null) return { show: null, problem: null };
  const kept = decodeSavedShow(r.value, room, check);
  return kept.ok ? { show: kept.show, problem: kept.warning ?? null } : { show: null, problem: kept.problem };
};
