import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { advanceTimeline, mulberry32, reduce, resolvePreset, tick, timelineOf, TICK_SECONDS, validatePreset, viewOf } from '../../src/model/index.ts';
import type { DreamAction, DreamState, Timeline } from '../../src/model/index.ts';
import { expectClose } from './close.ts';

const root = new URL('../..', import.meta.url).pathname;
const preset = (id: string) => {
  const r = validatePreset(JSON.parse(readFileSync(join(root, 'presets', `${id}.json`), 'utf8')));
  if (!r.ok) throw new Error(id);
  return r.preset;
};

/** A show: actions at fixed dream times (seconds), applied at the step they fall in. */
const SHOW: [number, DreamAction][] = [
  [2.5, { type: 'set', path: 'mood.arousal', value: 0.9, seconds: 7 }],
  [5, { type: 'fracture' }],
  [5.5, { type: 'fracture' }],
  [9.25, { type: 'glitch' }],
  [12, { type: 'restabilize' }],
  [14, { type: 'act', to: 'next' }],
  [20, { type: 'set', path: 'tempo', value: 150, seconds: 11 }],
  [33, { type: 'panic' }],
  [34, { type: 'recover' }],
  [40, { type: 'act', to: 3 }],
  [47.3, { type: 'set', path: 'dreamers.1.presence', value: 0.1 }],
];

/** Run a show to each of `checkpoints`, reaching them with frames from `nextDt`. */
const run = (start: DreamState, nextDt: () => number, checkpoints: number[]) => {
  let tl: Timeline = timelineOf(start);
  let t = 0;
  let next = 0;
  const out: DreamState[] = [];
  for (const target of checkpoints) {
    while (t < target) {
      const dt = Math.min(nextDt(), target - t);
      // Actions apply at the step they fall in, as the runtime applies them between frames.
      tl = advanceTimeline(tl, dt, (base) => {
        let b = base;
        while (next < SHOW.length && SHOW[next]![0] <= b.clock + TICK_SECONDS / 2) b = reduce(b, SHOW[next++]![1]);
        return b;
      });
      t += dt;
    }
    out.push(viewOf(tl));
  }
  return out;
};

describe('time that does not depend on the frame rate', () => {
  it('60 s of a show ticked at 1/60, 1/24 and uneven steps gives the same state at the same times', () => {
    const start = resolvePreset(preset('dream-temple'));
    const checkpoints = [1, 5.5, 10, 17.125, 30, 41.3, 60];
    const a = run(start, () => 1 / 60, checkpoints);
    const b = run(start, () => 1 / 24, checkpoints);
    const rnd = mulberry32(7);
    const c = run(start, () => 0.001 + rnd() * 0.08, checkpoints);
    // One tick per frame, as before the steps, drifts with the frame rate.
    const perFrame = (dt: number) => {
      let s = reduce(start, { type: 'set', path: 'tempo', value: 150, seconds: 30 });
      for (let n = 0; n < Math.round(30 / dt); n++) s = tick(s, dt);
      return s.beat;
    };
    expect(Math.abs(perFrame(1 / 60) - perFrame(1 / 24))).toBeGreaterThan(1e-6);
    a.forEach((s, i) => {
      expect(s.clock).toBeCloseTo(checkpoints[i]!, 9);
      expectClose(s, b[i]);
      expectClose(s, c[i]);
    });
    // and the show did happen: tempo glided, acts changed, the mosaic fractured
    expect(a[4]!.tempo).toBeGreaterThan(110);
    expect(a.at(-1)!.show.index).toBeGreaterThanOrEqual(3);
    expect(a[1]!.mosaic.fracture).toBeGreaterThan(0.3);
  });

});
