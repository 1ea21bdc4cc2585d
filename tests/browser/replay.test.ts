import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, openView } from './browser.ts';
import { logStateAt, validateShowLog } from '../../src/model/index.ts';
import type { ShowLog } from '../../src/model/index.ts';
import type { SceneStats } from '../../src/scene/scene-runtime.ts';

/**
 * Replay is exact. One performer page (quality locked, so the picture depends on the dream alone)
 * plays a scripted show of three minutes of dream time with clock.step(1/30), never wall time,
 * with every kind of action; its state is kept at every whole second and its picture at three
 * times. Its log is then replayed in a fresh page (a new browser context: nothing shared) and in
 * Node (the model alone), and seek is checked back and forth against stepping there.
 */

const SHOW_SECONDS = 180;
const FPS = 30;
/** Seconds into the show at which the pictures are compared (95: mid-fracture and glitch). */
const PICTURES = [40, 95, 170] as const;
const PARAMS = { view: 'performer', room: 'replay-exact', quality: 'full', tiles: 2000, preset: 'dream-temple', seed: 4242 };
const VIEWPORT = { width: 640, height: 360 };
const REL = 1e-9;

let browser: Browser;
beforeAll(async () => {
  mkdirSync('.artifacts', { recursive: true });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const newContext = async (): Promise<BrowserContext> => {
  const c = await browser.newContext({ deviceScaleFactor: 1, reducedMotion: 'no-preference' });
  // tsx/esbuild keepNames wraps named functions in __name(), which the page does not have.
  await c.addInitScript(() => ((window as unknown as { __name: unknown }).__name = (f: unknown) => f));
  await c.addInitScript(installReadCanvas);
  return c;
};

const ready = (page: Page) => page.waitForFunction(() => (window.dreamscape.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });

/**
 * The first difference between two values, with its path (`$.mosaic.fracture: 0.5 vs 0.6`), or
 * null: every number within `rel` relative (absolute below 1), everything else equal.
 */
export const firstDifference = (a: unknown, b: unknown, rel = REL, path = '$'): string | null => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)) ? null : `${path}: ${a} vs ${b}`;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: an array vs not`;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `${path}.length: ${a.length} vs ${bb.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], bb[i], rel, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return `${path}: keys ${ka.join(',')} vs ${kb.join(',')}`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${path}.${k}`);
    if (d) return d;
  }
  return null;
};

/** In the page (installed by an init script: the page's CSP allows no eval): the whole canvas (RGBA, base64), read right after the step that drew it. */
const installReadCanvas = () => {
  (window as unknown as { __readCanvas: () => string }).__readCanvas = () => {
    const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
    const px = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
    gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let bin = '';
    for (let i = 0; i < px.length; i += 8192) bin += String.fromCharCode(...px.subarray(i, i + 8192));
    return btoa(bin);
  };
};
const pixels = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

const pixelDiff = (a: Uint8Array, b: Uint8Array) => {
  let bytes = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d) bytes++;
    max = Math.max(max, d);
  }
  return { bytes, max };
};

const brightness = (px: Uint8Array) => {
  let sum = 0;
  for (let i = 0; i < px.length; i += 4) sum += px[i]! + px[i + 1]! + px[i + 2]!;
  return sum / (px.length / 4) / 3;
};

type State = Record<string, unknown> & { clock: number; act: { index: number } };

/** What the live page kept: its log, its state at each second, its pictures, and where it began. */
let recorded: { log: ShowLog; states: State[]; pictures: Record<number, Uint8Array>; t0: number; kinds: string[] };

describe('replay is exact', () => {
  it('a scripted show of three minutes with every kind of action is recorded', async () => {
    const context = await newContext();
    const { page, errors } = await openView(context, PARAMS, VIEWPORT);
    await ready(page);
    // Paused, and on a whole second: the show's own seconds start there.
    const t0 = await page.evaluate(() => {
      const d = window.dreamscape;
      d.clock.pause();
      const t = Math.ceil(d.clock.time()) + 1;
      d.clock.step(t - d.clock.time());
      return t;
    });
    const states: State[] = [];
    const pictures: Record<number, Uint8Array> = {};
    const startedAt = Date.now();
    // One evaluate per second of dream time: 30 frames, each the actions due at its time, the
    // continuous values (some paths several times in a frame), then clock.step(1/30). The state
    // is read right after the step that ends the second, before that second's actions.
    states.push(await page.evaluate(() => window.dreamscape.state() as unknown as State));
    for (let s = 0; s < SHOW_SECONDS; s++) {
      const picture = (PICTURES as readonly number[]).includes(s + 1);
      const out = await page.evaluate(
        ({ s, fps, picture }) => {
          const d = window.dreamscape;
          const errors: string[] = [];
          const tryTo = (what: string, fn: () => unknown) => {
            try {
              const r = fn();
              if (r instanceof Promise) r.catch((e: unknown) => errors.push(`${what}: ${String(e)}`));
            } catch (e) {
              errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
            }
          };
          for (let f = 0; f < fps; f++) {
            const u = s + f / fps;
            const at = (x: number) => Math.abs(u - x) < 0.5 / fps;
            if (at(3)) tryTo('set seconds', () => d.dispatch({ type: 'set', path: 'mood.arousal', value: 0.85, seconds: 6 }));
            if (at(5) || at(5.5)) tryTo('fracture', () => d.dispatch({ type: 'fracture' }));
            if (at(8)) tryTo('glitch', () => d.dispatch({ type: 'glitch' }));
            if (at(11)) tryTo('restabilize', () => d.dispatch({ type: 'restabilize' }));
            if (at(14)) tryTo('act next', () => d.dispatch({ type: 'act', to: 'next' }));
            if (at(20)) tryTo('set', () => d.dispatch({ type: 'set', path: 'unity', value: 0.2 }));
            if (at(24)) tryTo('morph', () => d.loadPreset('sleep-square', { morphSeconds: 8 }));
            if (at(36)) tryTo('panic', () => d.dispatch({ type: 'panic' }));
            if (at(37.5)) tryTo('recover', () => d.dispatch({ type: 'recover' }));
            if (at(45)) tryTo('preset now', () => d.loadPreset('dream-hub'));
            if (at(52)) tryTo('act to', () => d.dispatch({ type: 'act', to: 2 }));
            if (at(61)) tryTo('glitch amount', () => d.dispatch({ type: 'glitch', amount: 0.4 }));
            if (at(66)) tryTo('set depth seconds', () => d.dispatch({ type: 'set', path: 'depth', value: 0.9, seconds: 3.5 }));
            if (at(72)) tryTo('act prev', () => d.dispatch({ type: 'act', to: 'prev' }));
            if (at(80)) tryTo('morph back', () => d.loadPreset('dream-temple', { morphSeconds: 12 }));
            if (at(91)) tryTo('fracture amount', () => d.dispatch({ type: 'fracture', amount: 0.8 }));
            if (at(93)) tryTo('glitch hard', () => d.dispatch({ type: 'glitch', amount: 0.7 }));
            if (at(100)) tryTo('restabilize 2', () => d.dispatch({ type: 'restabilize' }));
            if (at(110)) tryTo('set mid-sweep', () => d.dispatch({ type: 'set', path: 'unity', value: 0.9, seconds: 2 }));
            if (at(125)) tryTo('panic 2', () => d.dispatch({ type: 'panic' }));
            if (at(128.3)) tryTo('recover 2', () => d.dispatch({ type: 'recover' }));
            if (at(140)) tryTo('act next 2', () => d.dispatch({ type: 'act', to: 'next' }));
            if (at(150)) tryTo('fracture 3', () => d.dispatch({ type: 'fracture', amount: 0.5 }));
            if (at(158)) tryTo('restabilize 3', () => d.dispatch({ type: 'restabilize' }));
            // Continuous sweeps through modulate: faders, some moved several times in one frame.
            if (u > 10 && u < 30) d.modulate('depth', 0.5 + 0.5 * Math.sin(u), { source: 'midi' });
            if (u > 12 && u < 50) {
              d.modulate('dreamers.0.presence', (u % 7) / 7, { source: 'panel' });
              d.modulate('dreamers.0.presence', (u % 5) / 5, { source: 'panel' });
            }
            if (u > 55 && u < 120) {
              d.modulate('mood.arousal', 0.5 + 0.45 * Math.sin(u / 3));
              d.modulate('unity', 0.5 + 0.4 * Math.cos(u / 5), { source: 'osc' });
            }
            if (u > 135 && u < 176) {
              for (let k = 0; k < 3; k++) d.modulate('depth', 0.3 + 0.2 * Math.sin(u * 2 + k));
              d.modulate('mood.arousal', (u % 11) / 11, { source: 'listen' });
            }
            d.clock.step(1 / fps);
          }
          // Right after the step that ends this second: the picture it drew, then the state.
          const px = picture ? (window as unknown as { __readCanvas: () => string }).__readCanvas() : null;
          return { state: d.state(), px, errors };
        },
        { s, fps: FPS, picture },
      );
      expect(out.errors, `second ${s}`).toEqual([]);
      states.push(out.state as unknown as State);
      if (out.px) pictures[s + 1] = pixels(out.px);
      if ((s + 1) % 30 === 0) console.log(`live show: ${s + 1} s of dream time after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    }
    const log = await page.evaluate(() => window.dreamscape.log!());
    const checked = validateShowLog(log);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems.slice(0, 3)));
    const kinds = [...new Set(checked.log.entries.map((e) => e.action.type))].sort();
    // Kept before the checks below, so the replays run (and say what they see) even if one fails.
    recorded = { log: checked.log, states, pictures, t0, kinds };
    writeFileSync('.artifacts/replay-test.show.json', JSON.stringify(log));
    const bytes = JSON.stringify(log).length;
    console.log(`live show: ${SHOW_SECONDS} s of dream time at ${FPS} steps/s in ${((Date.now() - startedAt) / 1000).toFixed(0)} s; log ${checked.log.entries.length} entries, ${(bytes / 1024).toFixed(0)} KB; kinds ${kinds.join(', ')}`);
    expect(kinds).toEqual(['act', 'fracture', 'glitch', 'panic', 'preset', 'recover', 'restabilize', 'set', 'sweep']);
    // The sweeps carry several sources and paths, and a frame's values coalesced to one.
    const tracks = checked.log.entries.flatMap((e) => (e.action.type === 'sweep' ? e.action.tracks : []));
    expect(new Set(tracks.map((tr) => tr.source))).toEqual(new Set(['midi', 'panel', 'script', 'osc', 'listen']));
    // Only what the script did: the panels showing the moving values put nothing back on the bus.
    const fromPanels = [...new Set(checked.log.entries.flatMap((e) => (e.action.type === 'sweep' ? e.action.tracks.filter((tr) => tr.source === 'panel').map((tr) => tr.path) : e.source === 'panel' ? [e.action.type] : [])))];
    expect(fromPanels).toEqual(['dreamers.0.presence']);
    // The show moved: presets, acts, the mosaic broken and mended.
    expect(new Set(states.map((s) => s.preset))).toEqual(new Set(['dream-temple', 'sleep-square', 'dream-hub']));
    expect(new Set(states.map((s) => s.act.index)).size).toBeGreaterThan(2);
    for (const t of PICTURES) expect(brightness(pictures[t]!), `picture at ${t}`).toBeGreaterThan(4);
    expect(errors).toEqual([]);
    await context.close();
  }, 900_000);

  it('replayed in a fresh page: the same state at every second, the same pictures', async () => {
    expect(recorded, 'the live show ran').toBeDefined();
    const { log, states, pictures, t0 } = recorded;
    const context = await newContext();
    const { page, errors } = await openView(context, PARAMS, VIEWPORT);
    await ready(page);
    const first = await page.evaluate(async (log) => {
      const d = window.dreamscape;
      d.clock.pause();
      await d.replay!(log, { at: 0 });
      return { status: d.replayStatus!(), clock: d.clock.time() };
    }, log as unknown);
    expect(first.status.playing).toBe(true);
    expect(first.clock).toBe(0);
    // Every second reached in one step of a second (the live show drew 30 frames a second). The
    // scene's flash guard lets brightness-driving values follow the dream at limited rates over the
    // frames drawn (src/scene/flash-guard.ts): at the three times the live show's followers had
    // caught up with the dream, so a replay that jumps there draws the same picture.
    const mismatches: string[] = [];
    const pictureDiffs: string[] = [];
    for (let i = 0; i < states.length; i++) {
      const live = states[i]!;
      const picture = (PICTURES as readonly number[]).includes(i);
      const out = await page.evaluate(
        ({ target, picture }) => {
          const d = window.dreamscape;
          d.clock.step(target - d.clock.time());
          const px = picture ? (window as unknown as { __readCanvas: () => string }).__readCanvas() : null;
          return { state: d.state(), px };
        },
        { target: live.clock, picture },
      );
      const diff = firstDifference(out.state, live);
      if (diff) mismatches.push(`t0+${i} s: ${diff}`);
      if (out.px) {
        const a = pictures[i]!;
        const b = pixels(out.px);
        expect(b.length).toBe(a.length);
        const d = pixelDiff(a, b);
        console.log(`picture at t0+${i} s (${VIEWPORT.width}x${VIEWPORT.height}): ${d.bytes} of ${a.length} bytes differ, largest difference ${d.max}`);
        if (d.bytes) pictureDiffs.push(`t0+${i} s: ${d.bytes} bytes differ`);
      }
    }
    console.log(`replayed in a fresh page: ${states.length} states from t0 = ${t0} s compared, ${mismatches.length} differ${mismatches.length ? `; first ${mismatches[0]}` : ''}`);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(pictureDiffs).toEqual([]);

    // Seek back and forth: the same state as stepping there (whole seconds, and between steps).
    const targets = [170, 40, 95, 0, 131, 12, 179, 60];
    for (const s of targets) {
      const got = await page.evaluate(async (t) => window.dreamscape.seek!(t), t0 + s);
      expect(firstDifference(got, states[s]), `seek(${t0 + s})`).toBeNull();
      expect(firstDifference(await page.evaluate(() => window.dreamscape.state()), states[s]), `state() after seek(${t0 + s})`).toBeNull();
    }
    // Between whole steps and mid-sweep: against the model alone.
    for (const t of [t0 + 95.5, t0 + 20.0125, t0 + 141.3]) {
      const got = await page.evaluate(async (t) => window.dreamscape.seek!(t), t);
      const { act: _act, ...dream } = got as unknown as State;
      expect(firstDifference(dream, logStateAt(log, t)), `seek(${t}) against Node`).toBeNull();
    }
    // A seek draws the picture at its target: the live show's at t0+95 (back from t0+141.3).
    const seekPx = await page.evaluate(async (t) => {
      await window.dreamscape.seek!(t);
      return (window as unknown as { __readCanvas: () => string }).__readCanvas();
    }, t0 + 95);
    const sd = pixelDiff(pictures[95]!, pixels(seekPx));
    console.log(`picture after seek(t0+95): ${sd.bytes} of ${pictures[95]!.length} bytes differ, largest difference ${sd.max}`);
    expect(sd.bytes).toBe(0);
    // Live inputs are off while it plays.
    const refused = await page.evaluate(() => {
      try {
        window.dreamscape.dispatch({ type: 'fracture' });
        return null;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    });
    expect(refused).toMatch(/show log is playing/);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);

  it('replayed in Node (the model alone): the same state at every second as the browser', () => {
    expect(recorded, 'the live show ran').toBeDefined();
    const { log, states, t0 } = recorded;
    const parsed = validateShowLog(JSON.parse(JSON.stringify(log)));
    if (!parsed.ok) throw new Error('the log does not survive JSON');
    const mismatches: string[] = [];
    states.forEach((live, i) => {
      const { act: _act, ...dream } = live;
      const diff = firstDifference(logStateAt(parsed.log, live.clock), dream);
      if (diff) mismatches.push(`t0+${i} s: ${diff}`);
    });
    console.log(`replayed in Node: ${states.length} states from t0 = ${t0} s compared, ${mismatches.length} differ${mismatches.length ? `; first ${mismatches[0]}` : ''}`);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('the comparison can tell: a changed number, a missing key, another array length', () => {
    const a = { x: 1, y: [0.5, { z: 2 }] };
    expect(firstDifference(a, structuredClone(a))).toBeNull();
    expect(firstDifference(a, { x: 1, y: [0.5, { z: 2 + 1e-6 }] })).toBe('$.y[1].z: 2 vs 2.000001');
    expect(firstDifference(a, { x: 1, y: [0.5] })).toBe('$.y.length: 2 vs 1');
    expect(firstDifference(a, { x: 1 })).toMatch(/^\$: keys/);
    expect(firstDifference({ v: 0 }, { v: 1e-12 })).toBeNull();
  });
});

describe('the performer\'s show log bar', () => {
  it('Open show… replays a file with the acts marked; keys are refused with a notice; take over plays live', async () => {
    expect(recorded, 'the live show ran').toBeDefined();
    const context = await newContext();
    const { page, errors } = await openView(context, { ...PARAMS, room: 'replay-bar' }, { width: 1280, height: 720 });
    await ready(page);
    await expect.poll(() => page.getByTestId('show-save').count()).toBe(1);
    // Save show: a download named <preset>-<yyyy-mm-dd-hhmm>.show.json that is this page's log.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('show-save').click()]);
    expect(download.suggestedFilename()).toMatch(/^dream-temple-\d{4}-\d{2}-\d{2}-\d{4}\.show\.json$/);
    const saved = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
    expect(validateShowLog(saved).ok).toBe(true);
    // A bad file: its problems with their paths, nothing plays.
    const bad = structuredClone(recorded.log) as unknown as { entries: { source: string }[] };
    bad.entries[1]!.source = 'telepathy';
    await page.getByTestId('show-open').setInputFiles({ name: 'bad.show.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await expect.poll(() => page.getByTestId('problems').textContent()).toMatch(/bad\.show\.json.*\$\.entries\[1\]\.source/s);
    expect(await page.evaluate(() => window.dreamscape.replayStatus!().playing)).toBe(false);
    // The recorded show: it plays, the strip is there with the acts marked.
    await page.evaluate(() => window.dreamscape.clock.pause());
    await page.getByTestId('show-open').setInputFiles({ name: 'recorded.show.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(recorded.log)) });
    await expect.poll(() => page.evaluate(() => window.dreamscape.replayStatus!().playing)).toBe(true);
    for (const id of ['show-play', 'show-scrub', 'show-takeover']) expect(await page.getByTestId(id).count(), id).toBe(1);
    // The act boundaries of the recorded states (the first second each act shows).
    const expected = recorded.states.flatMap((s, i) => (i > 0 && s.act.index !== recorded.states[i - 1]!.act.index ? [s.clock] : []));
    await expect.poll(async () => (await page.getByTestId('show-act-mark').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-t'))))).filter((t) => t <= recorded.t0 + SHOW_SECONDS), { timeout: 20_000 }).toEqual(expected.map((t) => Math.round(t)));
    // The scrub bar seeks: a click two thirds along.
    const box = (await page.getByTestId('show-scrub').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.66, box.y + box.height / 2);
    await expect.poll(() => page.evaluate(() => window.dreamscape.clock.time())).toBeGreaterThan(100);
    const seekedTo = await page.evaluate(() => window.dreamscape.clock.time());
    expect(firstDifference((({ act: _a, ...d }) => d)(await page.evaluate(() => window.dreamscape.state()) as unknown as State), logStateAt(recorded.log, seekedTo))).toBeNull();
    await expect.poll(() => page.getByTestId('show-scrub').inputValue()).toBe(String(Math.round(seekedTo * 10) / 10));
    // Play/pause is the clock.
    await page.getByTestId('show-play').click();
    await expect.poll(() => page.evaluate(() => window.dreamscape.clock.time())).toBeGreaterThan(seekedTo + 0.2);
    await page.getByTestId('show-play').click();
    // Keys are refused while it plays, and a notice says why.
    const before = await page.evaluate(() => window.dreamscape.state().mosaic);
    await page.keyboard.press('f');
    await expect.poll(() => page.getByTestId('notices').textContent()).toMatch(/show log is playing/);
    expect(await page.evaluate(() => window.dreamscape.state().mosaic)).toEqual(before);
    await page.screenshot({ path: '.artifacts/replay-performer.png' });
    // Take over: live again, a new log carrying what was played.
    await page.getByTestId('show-takeover').click();
    await expect.poll(() => page.getByTestId('show-scrub').count()).toBe(0);
    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => window.dreamscape.log!().entries.at(-1)?.action.type)).toBe('fracture');
    // The panels are inputs again (what the performer types in one is applied).
    await page.fill('#Dream\\.unity', '0.42');
    await page.press('#Dream\\.unity', 'Enter');
    await page.evaluate(() => window.dreamscape.clock.step(1 / 30));
    expect(await page.evaluate(() => window.dreamscape.state().unity)).toBeCloseTo(0.42, 6);
    // Dropped anywhere, a file is routed by its content: a preset morphs as before, a show log plays.
    const drop = async (name: string, text: string) => {
      const dataTransfer = await page.evaluateHandle(({ name, text }) => {
        const d = new DataTransfer();
        d.items.add(new File([text], name, { type: 'application/json' }));
        return d;
      }, { name, text });
      await page.dispatchEvent('main.performer', 'drop', { dataTransfer });
    };
    await drop('sleep.json', readFileSync('presets/sleep-square.json', 'utf8'));
    await expect.poll(() => page.evaluate(() => { const e = window.dreamscape.log!().entries.at(-1); return e?.action.type === 'preset' ? e.action.preset.id : null; })).toBe('sleep-square');
    expect(await page.evaluate(() => window.dreamscape.replayStatus!().playing)).toBe(false);
    await drop('dropped.show.json', JSON.stringify(recorded.log));
    await expect.poll(() => page.evaluate(() => window.dreamscape.replayStatus!().playing)).toBe(true);
    expect(await page.evaluate(() => window.dreamscape.state().preset)).toBe('dream-temple');
    await page.getByTestId('show-takeover').click();
    await expect.poll(() => page.evaluate(() => window.dreamscape.replayStatus!().playing)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
