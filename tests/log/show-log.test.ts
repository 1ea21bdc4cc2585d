import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logStateAt, replayTo, resolvePreset, SHOW_LOG_LIMITS, showLogJsonSchema, validatePreset, validateShowLog, validateShowLogText, viewOf } from '../../src/model/index.ts';
import type { DreamState, Preset, ShowLog } from '../../src/model/index.ts';
import { createRecorder } from '../../src/log/recorder.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import type { Runtime } from '../../src/runtime/runtime.ts';
import { createDreamStore, loadPresetInto } from '../../src/store/dream-store.ts';
import { expectClose } from '../model/close.ts';

const root = new URL('../..', import.meta.url).pathname;
const preset = (id: string): Preset => {
  const r = validatePreset(JSON.parse(readFileSync(join(root, 'presets', `${id}.json`), 'utf8')));
  if (!r.ok) throw new Error(id);
  return r.preset;
};

/** A live show driven by clock.step with every kind of action; the states at each second. */
export const scriptedShow = (runtime: Runtime, seconds: number, fps = 60): DreamState[] => {
  const states: DreamState[] = [runtime.store.getState().dream];
  const frames = Math.round(seconds * fps);
  for (let f = 1; f <= frames; f++) {
    const t = f / fps;
    const at = (s: number) => Math.abs(t - s) < 0.5 / fps;
    if (at(3)) runtime.act({ type: 'set', path: 'mood.arousal', value: 0.85, seconds: 6 }, 'panel');
    if (at(5) || at(5.5)) runtime.act({ type: 'fracture' }, 'key');
    if (at(8)) runtime.act({ type: 'glitch' }, 'key');
    if (at(11)) runtime.act({ type: 'restabilize' }, 'key');
    if (at(14)) runtime.act({ type: 'act', to: 'next' }, 'cue');
    if (at(20)) runtime.act({ type: 'set', path: 'unity', value: 0.2 }, 'script');
    if (at(24)) loadPresetInto(runtime.store, preset('sleep-square'), 'test', { morphSeconds: 8 }, (a) => runtime.act(a, 'panel'));
    if (at(36)) runtime.act({ type: 'panic' }, 'key');
    if (at(37.5)) runtime.act({ type: 'recover' }, 'key');
    if (at(45)) loadPresetInto(runtime.store, preset('dream-hub'), 'test', {}, (a) => runtime.act(a, 'panel'));
    // Two faders swept continuously, with many values a frame now and then.
    if (t > 10 && t < 30) runtime.modulate('depth', 0.5 + 0.5 * Math.sin(t), { source: 'midi' });
    if (t > 12 && t < 50) {
      runtime.modulate('dreamers.0.presence', (t % 7) / 7, { source: 'panel' });
      runtime.modulate('dreamers.0.presence', (t % 5) / 5, { source: 'panel' });
    }
    runtime.clock.step(1 / fps);
    if (f % fps === 0) states.push(runtime.store.getState().dream);
  }
  return states;
};

describe('the show log', () => {
  it('replays a scripted show exactly: the same state at every second, in Node, after a trip through JSON', () => {
    const start = preset('dream-temple');
    const store = createDreamStore(resolvePreset(start, { seed: 77 }));
    const runtime = createRuntime(store);
    const recorder = createRecorder({ preset: start, seed: 77 });
    runtime.start(recorder);
    const live = scriptedShow(runtime, 60);
    const log = recorder.log();
    const text = JSON.stringify(log);
    const checked = validateShowLogText(text);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems.slice(0, 3)));
    const types = new Set(checked.log.entries.map((e) => e.action.type));
    expect([...types].sort()).toEqual(['act', 'fracture', 'glitch', 'panic', 'preset', 'recover', 'restabilize', 'set', 'sweep']);
    // Sweeps: the frames' values, two sources, in few entries.
    expect(checked.log.entries.length).toBeLessThan(40);
    live.forEach((s, i) => expectClose(logStateAt(checked.log, i), s, 1e-9, `t=${i}`));
    // and the show did change: another preset's dreamers at the end
    expect(live.at(-1)!.preset).toBe('dream-hub');
  }, 60_000);

  it('replays from a snapshot as from the start', () => {
    const start = preset('dream-temple');
    const runtime = createRuntime(createDreamStore(resolvePreset(start, { seed: 5 })));
    const recorder = createRecorder({ preset: start, seed: 5 });
    runtime.start(recorder);
    scriptedShow(runtime, 40, 24);
    const log = recorder.log();
    const mid = replayTo(log, 17);
    expectClose(viewOf(replayTo(log, 33, mid).tl), logStateAt(log, 33));
  }, 60_000);

  it('a one-hour show with a fader moved all along fits, and says its size', () => {
    const start = preset('dream-temple');
    const runtime = createRuntime(createDreamStore(resolvePreset(start)));
    const recorder = createRecorder({ preset: start, seed: 1 });
    runtime.start(recorder);
    const fps = 60;
    for (let f = 0; f < 3600 * fps; f++) {
      runtime.modulate('mood.arousal', 0.5 + 0.5 * Math.sin(f / 97), { source: 'midi' });
      if (f % (fps * 2) === 0) runtime.act({ type: 'glitch', amount: (f / fps / 3600) % 1 }, 'key');
      runtime.clock.step(1 / fps);
    }
    const bytes = JSON.stringify(recorder.log()).length;
    console.log(`a one-hour show, one fader at 60 frames/s and a glitch every 2 s: ${(bytes / 1e6).toFixed(2)} MB, ${recorder.count()} entries`);
    expect(bytes).toBeLessThan(SHOW_LOG_LIMITS.bytes);
    expect(validateShowLog(JSON.parse(JSON.stringify(recorder.log()))).ok).toBe(true);
  }, 120_000);

  it('refuses a bad log with a problems list, paths like a preset\'s', () => {
    const good: ShowLog = { format: 'dreamscape-show', version: 1, preset: preset('dream-temple'), seed: 1, entries: [{ t: 1, source: 'key', action: { type: 'fracture' } }] };
    expect(validateShowLog(good).ok).toBe(true);
    const bad = (patch: (l: Record<string, unknown>) => void) => {
      const l = structuredClone(good) as unknown as Record<string, unknown>;
      patch(l);
      const r = validateShowLog(l);
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    };
    expect(bad((l) => (l.version = 2))[0]).toMatch(/^\$\.version: made by a newer dreamscape/);
    expect(bad((l) => (l.format = 'dreamscape-preset'))[0]).toMatch(/^\$\.format: not a show log/);
    expect(bad((l) => ((l.entries as { source: string }[])[0]!.source = 'telepathy'))[0]).toMatch(/^\$\.entries\[0\]\.source/);
    expect(bad((l) => ((l.entries as unknown[]).push({ t: 0.5, source: 'key', action: { type: 'panic' } })))[0]).toMatch(/^\$\.entries\[1\]\.t: entries are in the order/);
    expect(bad((l) => ((l.preset as Record<string, unknown>).unity = 3))[0]).toMatch(/^\$\.preset\.unity/);
    expect(bad((l) => ((l.entries as { action: unknown }[])[0]!.action = { type: 'sweep', tracks: [{ path: 'unity', source: 'midi', steps: [0, 1], values: [0.2] }] }))[0]).toMatch(/^\$\.entries\[0\]\.action\.tracks\[0\]: a track has one step count per value/);
    expect(bad((l) => JSON.parse('{"__proto__": 1}') && ((l.entries as unknown[])[0] = JSON.parse('{"t":1,"source":"key","__proto__":{}}')))[0]).toMatch(/__proto__/);
    expect(validateShowLogText('{"format":')).toMatchObject({ ok: false });
  });
});

describe('docs/show-log.schema.json', () => {
  it('is generated from the zod schema and up to date (run npm run schema)', () => {
    const onDisk = JSON.parse(readFileSync(join(root, 'docs/show-log.schema.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(showLogJsonSchema())));
    expect(JSON.stringify(onDisk)).toContain('"sweep"');
  });
});

describe('the recorder keeps to the format\'s limits', () => {
  it('stops at the limit of entries, says so once, and what it has still validates', () => {
    const start = preset('dream-temple');
    const runtime = createRuntime(createDreamStore(resolvePreset(start)));
    const said: string[] = [];
    const recorder = createRecorder({ preset: start, seed: 1 }, { onFull: (m) => said.push(m) });
    runtime.start(recorder);
    for (let i = 0; i < SHOW_LOG_LIMITS.entries + 50; i++) runtime.act({ type: 'set', path: 'unity', value: (i % 100) / 100 }, 'script');
    expect(recorder.count()).toBe(SHOW_LOG_LIMITS.entries);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/the show log is full \(200000 entries\)/);
    expect(validateShowLog(recorder.log()).ok).toBe(true);
  }, 120_000);
});
