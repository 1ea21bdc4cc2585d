import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logStart, resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState, Preset } from '../../src/model/index.ts';
import { createRecorder } from '../../src/log/recorder.ts';
import { createPlayer } from '../../src/log/player.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { expectClose } from '../model/close.ts';

const root = new URL('../..', import.meta.url).pathname;
const preset = (id: string): Preset => {
  const r = validatePreset(JSON.parse(readFileSync(join(root, 'presets', `${id}.json`), 'utf8')));
  if (!r.ok) throw new Error(id);
  return r.preset;
};

/**
 * The player on the runtime (what replay() and a page's clock use), not only the model's
 * logStateAt: a log played onto a runtime whose clock moves in steps of any size gives the live
 * show's state at every second.
 */
describe('the show log player', () => {
  it('applies its entries as the clock moves: the live states at every second, in steps of 1 s and of 1/24 s', () => {
    const start = preset('dream-temple');
    const runtime = createRuntime(createDreamStore(resolvePreset(start, { seed: 9 })));
    const recorder = createRecorder({ preset: start, seed: 9 });
    runtime.start(recorder);
    runtime.clock.pause();
    const live: DreamState[] = [runtime.store.getState().dream];
    for (let f = 1; f <= 40 * 30; f++) {
      const t = (f - 1) / 30;
      const at = (s: number) => Math.abs(t - s) < 1 / 60;
      if (at(2)) runtime.act({ type: 'set', path: 'mood.arousal', value: 0.9, seconds: 5 }, 'panel');
      if (at(4)) runtime.act({ type: 'fracture', amount: 0.7 }, 'key');
      if (at(9)) runtime.act({ type: 'restabilize' }, 'key');
      if (at(15)) runtime.act({ type: 'act', to: 'next' }, 'cue');
      if (at(22)) runtime.act({ type: 'panic' }, 'key');
      if (at(23.5)) runtime.act({ type: 'recover' }, 'key');
      if (t > 10 && t < 30) runtime.modulate('depth', 0.5 + 0.4 * Math.sin(t), { source: 'midi' });
      runtime.clock.step(1 / 30);
      if (f % 30 === 0) live.push(runtime.store.getState().dream);
    }
    const log = recorder.log();
    for (const dt of [1, 1 / 24]) {
      const replay = createRuntime(createDreamStore(logStart(log)));
      replay.clock.pause();
      createPlayer(replay, log).seek(0);
      for (let i = 1; i < live.length; i++) {
        while (live[i]!.clock - replay.clock.time() > 1e-9) replay.clock.step(Math.min(dt, live[i]!.clock - replay.clock.time()));
        expectClose(replay.store.getState().dream, live[i], 1e-9, `dt=${dt}, t=${i}`);
      }
    }
    expect(live[6]!.mosaic.fracture).toBeGreaterThan(0.5);
  });

  it('a new log seeks from its own start, never from the show the runtime held before (an earlier replay stood short of the time)', () => {
    const other = { format: 'dreamscape-show' as const, version: 1 as const, preset: preset('dream-temple'), seed: 4, entries: [{ t: 1, source: 'script' as const, action: { type: 'act' as const, to: 4 } }] };
    const next = { format: 'dreamscape-show' as const, version: 1 as const, preset: preset('sleep-square'), seed: 4, entries: [] };
    const runtime = createRuntime(createDreamStore(logStart(other)));
    runtime.clock.pause();
    createPlayer(runtime, other).seek(31);
    expect(runtime.store.getState().dream.preset).toBe('dream-temple');
    const fresh = createRuntime(createDreamStore(logStart(next)));
    fresh.clock.pause();
    const expected = createPlayer(fresh, next).seek(40);
    const got = createPlayer(runtime, next).seek(40);
    expect(got.preset).toBe('sleep-square');
    expectClose(got, expected, 1e-9, 'the second log at 40 s');
  });
});

describe('a replay and the performer\'s safety', () => {
  it('keeps the performer\'s own safety settings: a log that turns the flash guard off does not', () => {
    const start = preset('dream-temple');
    const log = {
      format: 'dreamscape-show' as const,
      version: 1 as const,
      preset: start,
      seed: 1,
      entries: [
        { t: 1, source: 'panel' as const, action: { type: 'set' as const, path: 'safety.flashGuard', value: false, confirm: true } },
        { t: 1, source: 'panel' as const, action: { type: 'set' as const, path: 'safety.masterCap', value: -30 } },
        { t: 2, source: 'key' as const, action: { type: 'glitch' as const, amount: 1 } },
      ],
    };
    const store = createDreamStore(resolvePreset(start));
    const runtime = createRuntime(store);
    runtime.act({ type: 'set', path: 'safety.reducedMotion', value: true }, 'panel');
    const player = createPlayer(runtime, log);
    player.seek(0.5);
    runtime.clock.step(3);
    const s = store.getState().dream;
    expect(s.mosaic.glitch).toBe(1);
    expect(s.safety).toEqual({ flashGuard: true, reducedMotion: true, masterCap: -1 });
    player.seek(2.5);
    expect(store.getState().dream.safety).toEqual({ flashGuard: true, reducedMotion: true, masterCap: -1 });
  });
});

describe('seek has a bound', () => {
  it('refuses a time absurdly past the show (it would freeze the page) and seeks within it', async () => {
    const { showLogModule } = await import('../../src/log/show-log-module.ts');
    const start = preset('dream-temple');
    const runtime = createRuntime(createDreamStore(resolvePreset(start)));
    const api = {} as Parameters<typeof showLogModule>[0];
    const control = showLogModule(api, createRecorder({ preset: start, seed: 1 }));
    runtime.start(control);
    runtime.act({ type: 'fracture' }, 'key');
    runtime.clock.step(2);
    expect(() => control.seek(1e9)).toThrow(/past this show/);
    expect(() => control.seek(-1)).toThrow(/≥ 0/);
    expect(control.seek(30).clock).toBeCloseTo(30, 6);
    expect(api.replayStatus?.().playing).toBe(true);
    expect(api.log?.().entries).toHaveLength(1);
    control.takeOver();
    expect(api.replayStatus?.().playing).toBe(false);
  });
});
