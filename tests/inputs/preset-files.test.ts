import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import { lineColumn, withLineColumn } from '../../src/inputs/preset-files/json-position.ts';
import { applyPresetFile, presetFilesModule } from '../../src/inputs/preset-files/preset-files-module.ts';
import type { HotEvents } from '../../src/inputs/preset-files/preset-files-module.ts';
import type { PresetFileMessage } from '../../src/inputs/preset-files/event.ts';
import type { DreamscapeApi } from '../../src/api/dreamscape-api.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import type { BusEntry } from '../../src/runtime/runtime.ts';
import { bundledPreset } from '../../src/store/bundled-presets.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';

const text = (id: string) => readFileSync(new URL(`../../presets/${id}.json`, import.meta.url), 'utf8');
const file = 'presets/dream-temple.json';

const playing = () => {
  const r = validatePreset(JSON.parse(text('dream-temple')));
  if (!r.ok) throw new Error('dream-temple');
  const runtime = createRuntime(createDreamStore(resolvePreset(r.preset, { tiles: 500 })));
  const entries: BusEntry[] = [];
  runtime.onEntry((e) => entries.push(e));
  const said: string[] = [];
  return { runtime, entries, said, say: (m: string) => said.push(m) };
};

describe('JSON errors say line and column', () => {
  it('from a position, and at the end of a file cut short', () => {
    expect(lineColumn('{\n  "a": 1,\n  "b" 2\n}', 18)).toEqual({ line: 3, column: 7 });
    const p = { path: '$', message: 'not valid JSON: Unexpected number in JSON at position 18', expected: 'JSON', found: 'a syntax error' };
    expect(withLineColumn([p], '{\n  "a": 1,\n  "b" 2\n}')[0]!.message).toBe('not valid JSON: Unexpected number in JSON at position 18 (line 3 column 7)');
    expect(withLineColumn([{ ...p, message: 'not valid JSON: Unexpected end of JSON input' }], '{\n "a": [1,')[0]!.message).toMatch(/\(line 2 column 10\)$/);
    // Chromium's message says it already.
    const chromium = { ...p, message: 'not valid JSON: Expected \',\' after property value in JSON at position 18 (line 3 column 7)' };
    expect(withLineColumn([chromium], '')[0]).toBe(chromium);
  });
});

describe('a saved preset file', () => {
  it('revises the playing show with one logged action (source file), keeping its tile count', () => {
    const { runtime, entries, say } = playing();
    const edit = text('dream-temple').replace('"depth": 0.5', '"depth": 0.9');
    expect(applyPresetFile(runtime, { file, text: edit }, say)).toBe('revised');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ source: 'file', action: { type: 'revise', seconds: 1.5, tiles: 500 } });
    runtime.clock.step(2);
    expect(runtime.store.getState().dream.depth).toBeCloseTo(0.9, 9);
    expect(runtime.store.getState().dream.mosaic.tiles).toBe(500);
  });

  it('shows a broken edit\'s problems with the file and path, changes nothing, and clears them on the next good save', () => {
    const { runtime, entries, say } = playing();
    const before = runtime.store.getState().base;
    const broken = text('dream-temple').replace('"arousal": 0.25', '"arousl": 0.25');
    expect(applyPresetFile(runtime, { file, text: broken }, say)).toBe('problems');
    const shown = runtime.store.getState().problems;
    expect(shown?.source).toBe(file);
    expect(shown?.problems.map((p) => `${p.path}: ${p.message}`)).toContain('$.mood.arousl: unknown key "arousl" (a typo?)');
    expect(applyPresetFile(runtime, { file, text: '{\n  "version": 1,\n  "id" "dream-temple"\n}' }, say)).toBe('problems');
    expect(runtime.store.getState().problems?.problems[0]!.message).toMatch(/^not valid JSON: .*\(line 3 column 8\)$/);
    expect(runtime.store.getState().base).toBe(before);
    expect(entries).toHaveLength(0);
    expect(applyPresetFile(runtime, { file, text: text('dream-temple') }, say)).toBe('revised');
    expect(runtime.store.getState().problems).toBeNull();
  });

  it('of another preset is what loading that id gives from now on; the show is not touched', () => {
    const { runtime, entries, say } = playing();
    const edit = text('sleep-square').replace(/"title": "[^"]*"/, '"title": "Sleep Square, edited"');
    expect(applyPresetFile(runtime, { file: 'presets/sleep-square.json', text: edit }, say)).toBe('updated');
    expect(entries).toHaveLength(0);
    expect(bundledPreset('sleep-square')?.title).toBe('Sleep Square, edited');
  });

  it('is refused with one line while a show log plays', () => {
    const { runtime, said, say } = playing();
    runtime.lockInputs('a show log is playing');
    expect(applyPresetFile(runtime, { file, text: text('dream-temple') }, say)).toBe('refused');
    expect(said).toEqual(['presets/dream-temple.json: not played: a show log is playing']);
  });

  it('the module listens while started and reports what became of the last file', () => {
    const { runtime } = playing();
    const listeners = new Set<(m: PresetFileMessage) => void>();
    const hot: HotEvents = { on: (_e, fn) => listeners.add(fn), off: (_e, fn) => listeners.delete(fn) };
    const api = {} as DreamscapeApi;
    const stop = runtime.start(presetFilesModule(api, { hot, say: () => undefined }));
    expect(listeners.size).toBe(1);
    for (const fn of listeners) fn({ file, text: '{' });
    expect(api.presetFiles?.last()).toMatchObject({ file, outcome: 'problems', problems: 1 });
    stop();
    expect(listeners.size).toBe(0);
    expect(api.presetFiles).toBeUndefined();
  });
});
