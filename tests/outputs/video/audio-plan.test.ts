import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { logStateAt, reduce, tick, validatePreset, validateShowLog } from '../../../src/model/index.ts';
import type { DreamState, ShowLog } from '../../../src/model/index.ts';
import { actionsAfter, audioChunks, CROSSFADE_S, logFrom, MAX_CHUNK_RENDER_S, PREROLL_S } from '../../../src/outputs/video/audio-plan.ts';
import { replayTo } from '../../../src/model/index.ts';

const preset = validatePreset(JSON.parse(readFileSync('presets/dream-temple.json', 'utf8')));
if (!preset.ok) throw new Error('dream-temple');
const r = validateShowLog({
  format: 'dreamscape-show',
  version: 1,
  preset: preset.preset,
  seed: 7,
  entries: [
    { t: 1, source: 'key', action: { type: 'fracture', amount: 0.8 } },
    { t: 1.5, source: 'panel', action: { type: 'set', path: 'safety.flashGuard', value: false } },
    { t: 2, source: 'midi', action: { type: 'sweep', tracks: [{ path: 'depth', source: 'midi', steps: [0, 12, 12, 12, 12], values: [0.2, 0.3, 0.4, 0.5, 0.6] }] } },
    { t: 2.25, source: 'key', action: { type: 'glitch', amount: 0.5 } },
    { t: 70, source: 'key', action: { type: 'restabilize' } },
  ],
});
if (!r.ok) throw new Error(JSON.stringify(r.problems));
const LOG: ShowLog = r.log;

/** What the offline symphony's SimulatedDream does with them: tick to each action's time, apply it. */
const simulate = (dream: DreamState, actions: ReturnType<typeof actionsAfter>, seconds: number): DreamState => {
  let s = dream;
  let at = 0;
  for (const a of actions) {
    if (a.at > seconds) break;
    if (a.at > at) s = tick(s, a.at - at);
    at = Math.max(at, a.at);
    s = reduce(s, a.action);
  }
  return seconds > at ? tick(s, seconds - at) : s;
};

describe('audio chunks', () => {
  it('cover the range without gaps, each render at most 60 s with its pre-roll and crossfade', () => {
    for (const [from, to] of [
      [0, 4],
      [0, 600],
      [30, 95.5],
      [0, 56.98],
    ] as const) {
      const chunks = audioChunks(from, to);
      expect(chunks[0]!.start).toBe(from);
      expect(chunks.at(-1)!.end).toBeCloseTo(to, 9);
      chunks.forEach((c, i) => {
        expect(c.renderSeconds).toBeLessThanOrEqual(MAX_CHUNK_RENDER_S + 1e-9);
        expect(c.renderFrom).toBe(Math.max(0, c.start - PREROLL_S));
        if (i > 0) expect(c.start).toBe(chunks[i - 1]!.end);
        expect(c.renderSeconds).toBeCloseTo(c.end - c.renderFrom + (i < chunks.length - 1 ? CROSSFADE_S : 0), 9);
      });
    }
    expect(audioChunks(0, 600)).toHaveLength(11);
    expect(audioChunks(0, 4)).toEqual([{ start: 0, end: 4, renderFrom: 0, renderSeconds: 4 }]);
  });
});

describe('the log from a time, for the offline symphony', () => {
  it('starts from the log dream there and times the entries after it (a sweep cut where it stands), without the log safety settings', () => {
    const { dream, actions } = logFrom(LOG, 2.1, 80);
    expect(dream.clock).toBeCloseTo(2.1, 9);
    // Exactly at a step, the dream is the one before what was done there (src/model/show-log.ts).
    expect(dream.depth).toBeCloseTo(0.2, 9);
    expect(actions.map((a) => [+a.at.toFixed(6), a.action.type])).toEqual([
      [0, 'modulate'],
      [0.1, 'modulate'],
      [0.15, 'glitch'],
      [0.2, 'modulate'],
      [0.3, 'modulate'],
      [67.9, 'restabilize'],
    ]);
    expect(logFrom(LOG, 0, 80).actions.some((a) => a.action.type === 'set')).toBe(false);
  });

  it('played the way the offline symphony plays it, gives the dream the picture sees (1e-9)', () => {
    for (const [t0, seconds] of [
      [0, 4],
      [0.5, 3],
      [2.05, 1],
      [1, 75],
    ] as const) {
      const { dream, actions } = logFrom(LOG, t0, t0 + seconds);
      const heard = simulate(dream, actions, seconds);
      const seen = logStateAt(LOG, t0 + seconds);
      expect(heard.clock).toBeCloseTo(seen.clock, 9);
      for (const k of ['fracture', 'glitch', 'stability', 'recoil'] as const) expect(heard.mosaic[k]).toBeCloseTo(seen.mosaic[k], 9);
      expect(heard.depth).toBeCloseTo(seen.depth, 9);
      expect(heard.show.index).toBe(seen.show.index);
    }
  });

  it('the entries after a cursor stop at the end asked for', () => {
    const { cursor } = replayTo(LOG, 0);
    expect(actionsAfter(LOG, cursor, 0, 2.05).map((a) => a.action.type)).toEqual(['fracture', 'modulate']);
  });
});
