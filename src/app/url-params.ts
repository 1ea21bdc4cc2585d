import { LIMITS } from '../model/index.ts';

export type ViewName = 'performer' | 'audience';

export interface UrlOptions {
  view: ViewName;
  preset?: string;
  seed?: number;
  tiles?: number;
  /** The show's room: windows in one room follow one performer. */
  room: string;
  /** Problems with the parameters, shown on screen; the app starts with defaults for those. */
  problems: string[];
}

/** Read `?view=`, `?preset=`, `?seed=`, `?tiles=`; a bad value is reported, never thrown. */
export const parseUrlOptions = (search: string, presetIds: readonly string[]): UrlOptions => {
  const q = new URLSearchParams(search);
  const out: UrlOptions = { view: 'performer', room: 'default', problems: [] };
  const room = q.get('room');
  if (room !== null) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(room)) out.room = room;
    else out.problems.push(`?room=${room}: expected 1 to 64 letters, digits, - or _; using the default room`);
  }
  const view = q.get('view');
  if (view !== null) {
    if (view === 'performer' || view === 'audience') out.view = view;
    else out.problems.push(`?view=${view}: expected performer or audience; showing the performer view`);
  }
  const preset = q.get('preset');
  if (preset !== null) {
    if (presetIds.includes(preset)) out.preset = preset;
    else out.problems.push(`?preset=${preset}: no such preset; bundled: ${presetIds.join(', ')}`);
  }
  const seed = q.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (seed.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) out.seed = n;
    else out.problems.push(`?seed=${seed}: expected a whole number from 0 to 4294967295; using the preset's seed`);
  }
  const tiles = q.get('tiles');
  if (tiles !== null) {
    const n = Number(tiles);
    if (tiles.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= LIMITS.tiles) out.tiles = n;
    else out.problems.push(`?tiles=${tiles}: expected a whole number from 1 to ${LIMITS.tiles}; using the preset's tiles`);
  }
  return out;
};
