import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, openView } from './browser.ts';
import { flashTransitions, maxPerWindow, RED_SWING } from '../../src/scene/flash-guard.ts';
import type { SceneStats } from '../../src/scene/scene-runtime.ts';
import { MAX_SLICES } from '../../src/scene/mosaic-impostor.ts';

/**
 * The scene in real headless Chromium (software WebGL), looking at real pixels. Views are kept
 * small (software rendering costs per pixel); the clock is paused and stepped, so every frame is
 * a function of dream time only.
 */

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ reducedMotion: 'no-preference' });
});
afterAll(async () => {
  await browser?.close();
});

const SMALL = { width: 400, height: 225 };

interface Measure {
  mean: number;
  spread: number;
  luminance: number;
  red: number;
}

/** Open the audience view, wait for the first frame, pause the clock and step to `at` seconds. */
const openScene = async (params: Record<string, string | number>, at = 2, viewport = SMALL) => {
  const opened = await openView(context, { view: 'audience', ...params }, viewport);
  const { page } = opened;
  await page.waitForFunction(() => (window.dreamscape.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
  await page.evaluate((t) => {
    const d = window.dreamscape;
    d.clock.pause();
    d.clock.step(Math.max(0, t - d.clock.time()));
  }, at);
  return opened;
};

const stats = (page: Page): Promise<SceneStats> => page.evaluate(() => (window.dreamscape.stats as () => SceneStats)());

/**
 * In the page: step the clock (which renders synchronously), then read the whole canvas. Returns
 * the pixels (RGBA, bottom row first); they cross over as base64, which is far quicker than JSON.
 */
const stepAndRead = async (page: Page, seconds: number): Promise<Uint8Array> => {
  const b64 = await page.evaluate((s) => {
    window.dreamscape.clock.step(s);
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!;
    const gl = canvas.getContext('webgl2')!;
    const px = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
    gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let bin = '';
    for (let i = 0; i < px.length; i += 8192) bin += String.fromCharCode(...px.subarray(i, i + 8192));
    return btoa(bin);
  }, seconds);
  return new Uint8Array(Buffer.from(b64, 'base64'));
};

const measure = (px: Uint8Array): Measure => {
  let sum = 0;
  let sq = 0;
  const n = px.length / 4;
  for (let i = 0; i < n; i++) {
    const v = (px[i * 4]! + px[i * 4 + 1]! + px[i * 4 + 2]!) / 3;
    sum += v;
    sq += v * v;
  }
  const mean = sum / n;
  return { mean, spread: Math.sqrt(Math.max(0, sq / n - mean * mean)), luminance: 0, red: 0 };
};

/**
 * Mean absolute difference per channel of the 16x16-pixel blocks' mean colours, 0..255: how
 * different two pictures look at a glance, not where their finest edges fall.
 */
const blockDifference = (a: Uint8Array, b: Uint8Array, width: number, block = 16): number => {
  expect(a.length).toBe(b.length);
  const height = a.length / 4 / width;
  let d = 0;
  let n = 0;
  for (let by = 0; by + block <= height; by += block) {
    for (let bx = 0; bx + block <= width; bx += block) {
      for (let c = 0; c < 3; c++) {
        let sa = 0;
        let sb = 0;
        for (let y = by; y < by + block; y++) for (let x = bx; x < bx + block; x++) {
          sa += a[(y * width + x) * 4 + c]!;
          sb += b[(y * width + x) * 4 + c]!;
        }
        d += Math.abs(sa - sb) / (block * block);
        n++;
      }
    }
  }
  return d / n;
};

/** Mean absolute difference per channel, 0..255. */
const difference = (a: Uint8Array, b: Uint8Array): number => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i += 4) d += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
  return d / ((a.length / 4) * 3);
};

describe('the dreamscape scene', () => {
  it('draws every preset: not blank, in at most 12 draw calls', async () => {
    const { page, errors } = await openScene({});
    const ids = await page.evaluate(() => window.dreamscape.presets());
    expect(ids).toHaveLength(5);
    for (const id of ids) {
      await page.evaluate(async (p) => {
        await window.dreamscape.loadPreset(p);
      }, id);
      // The palette glides in under the flash guard; two seconds settle it.
      const m = measure(await stepAndRead(page, 2));
      const s = await stats(page);
      expect(m.mean, `${id} is not black`).toBeGreaterThan(8);
      expect(m.spread, `${id} has a picture, not a flat colour`).toBeGreaterThan(10);
      expect(s.drawCalls).toBeGreaterThan(3);
      expect(s.drawCalls).toBeLessThanOrEqual(12);
      expect(s.tiles).toBe(4096);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('two windows at the same preset, seed and dream time show the same image; fracture changes it and restabilize brings it back', async () => {
    const a = await openScene({ preset: 'dream-temple', seed: 4242 });
    const b = await openScene({ preset: 'dream-temple', seed: 4242 });
    // Each window reached t = 2 s along its own path (different wall-clock frames before pausing).
    const a2 = await stepAndRead(a.page, 0);
    const b2 = await stepAndRead(b.page, 0);
    expect(difference(a2, b2)).toBeLessThan(0.5);

    await b.page.evaluate(() => window.dreamscape.dispatch({ type: 'fracture', amount: 1 }));
    const b5 = await stepAndRead(b.page, 3);
    const calm5 = await stepAndRead(a.page, 3);
    expect(difference(b5, calm5)).toBeGreaterThan(6);

    // Restabilize over 3 s (with its spring's overshoot), in frame-sized steps; the calm window
    // takes the same 7 s in one step.
    await b.page.evaluate(() => {
      const d = window.dreamscape;
      d.dispatch({ type: 'restabilize', seconds: 3 });
      for (let i = 0; i < 69; i++) d.clock.step(0.1);
    });
    const b12 = await stepAndRead(b.page, 0.1);
    const a12 = await stepAndRead(a.page, 7);
    expect(await b.page.evaluate(() => window.dreamscape.state().mosaic.fracture)).toBe(0);
    expect(difference(b12, a12)).toBeLessThan(1);
    expect(difference(b12, b5)).toBeGreaterThan(6);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.close();
    await b.page.close();
  });

  it('draws the same number of calls at 1,000 and 50,000 tiles', async () => {
    const { page } = await openScene({ tiles: 1000 });
    await stepAndRead(page, 0.1);
    const small = await stats(page);
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'mosaic.tiles', value: 50_000 }));
    await stepAndRead(page, 0.1);
    const large = await stats(page);
    expect(small.tiles).toBe(1000);
    expect(large.tiles).toBe(50_000);
    expect(large.drawCalls).toBe(small.drawCalls);
    expect(large.drawCalls).toBeLessThanOrEqual(12);
    expect(large.triangles).toBeGreaterThan(small.triangles + 200_000);
    await page.close();
  });

  it('survives the loss of the WebGL context mid-fracture: a calm notice, the same dream, then the same picture again', async () => {
    const { page, errors } = await openScene({ preset: 'sleep-square' });
    // The climax: the mosaic halfway through breaking apart and glitching when the context goes.
    await page.evaluate(() => {
      window.dreamscape.dispatch({ type: 'fracture', amount: 0.9 });
      window.dreamscape.dispatch({ type: 'glitch', amount: 0.6 });
    });
    const before = await stepAndRead(page, 0.5);
    const state = await page.evaluate(() => JSON.stringify(window.dreamscape.state()));
    const mosaic = await page.evaluate(() => window.dreamscape.state().mosaic);
    expect(mosaic.fracture).toBeGreaterThan(0.3);
    expect(mosaic.glitch).toBeGreaterThan(0.3);
    await page.evaluate(() => {
      const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
      (window as unknown as { lose: WEBGL_lose_context }).lose = gl.getExtension('WEBGL_lose_context')!;
      (window as unknown as { lose: WEBGL_lose_context }).lose.loseContext();
    });
    await page.getByTestId('context-lost').waitFor({ state: 'visible' });
    expect(await page.getByTestId('context-lost').innerText()).toMatch(/resting/i);
    expect((await stats(page)).contextLost).toBe(true);
    // Steps while lost do not throw; the dream's state is untouched by the loss.
    await page.evaluate(() => window.dreamscape.clock.step(0));
    expect(await page.evaluate(() => JSON.stringify(window.dreamscape.state()))).toBe(state);
    await page.evaluate(() => (window as unknown as { lose: WEBGL_lose_context }).lose.restoreContext());
    await page.getByTestId('context-lost').waitFor({ state: 'detached' });
    await page.waitForFunction(() => (window.dreamscape.stats as () => SceneStats)().ready === true);
    const after = await stepAndRead(page, 0);
    expect(measure(after).mean).toBeGreaterThan(8);
    expect(difference(before, after)).toBeLessThan(0.5);
    // Still mid-fracture: the same state the loss interrupted, the show goes on from there.
    expect(await page.evaluate(() => JSON.stringify(window.dreamscape.state()))).toBe(state);
    expect(errors).toEqual([]);
    expect((await stats(page)).pageErrors).toBe(0);
    await page.close();
  });

  it('100 preset and tile switches leave geometries, textures and programs at their baseline', async () => {
    const { page, errors } = await openScene({});
    // Each world's shader variants are made the first time they are drawn and kept (a bounded set):
    // the baseline is taken after one round of the presets has drawn them.
    await page.evaluate(async () => {
      const d = window.dreamscape;
      for (const id of d.presets()) {
        await d.loadPreset(id);
        d.clock.step(0.02);
      }
    });
    await stepAndRead(page, 0.05);
    const base = await stats(page);
    const after = await page.evaluate(async () => {
      const d = window.dreamscape;
      const ids = d.presets();
      const counts = [1000, 4096, 2000, 12_000, 500, 8000, 3000];
      for (let i = 0; i < 100; i++) {
        if (i % 2 === 0) await d.loadPreset(ids[(i / 2) % ids.length]!);
        else d.dispatch({ type: 'set', path: 'mosaic.tiles', value: counts[i % counts.length]! });
        d.clock.step(0.02);
      }
      return (d.stats as () => SceneStats)();
    });
    expect(after.frames).toBeGreaterThanOrEqual(base.frames + 100);
    expect(after.geometries).toBe(base.geometries);
    expect(after.textures).toBe(base.textures);
    expect(after.programs).toBe(base.programs);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the flash guard: under maximum glitch and fracture at the fastest tempo, at most 3 luminance swings in any second', async () => {
    const { page } = await openScene({ preset: 'dream-temple' }, 2, { width: 320, height: 180 });
    const run = (hostile: boolean, frames: number) =>
      page.evaluate(
        ({ hostile, frames }) => {
          const d = window.dreamscape;
          const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
          const w = gl.drawingBufferWidth;
          const h = gl.drawingBufferHeight;
          const px = new Uint8Array(w * h * 4);
          const lin = (c: number) => {
            const v = c / 255;
            return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
          };
          const table = Array.from({ length: 256 }, (_, i) => lin(i));
          const luminance: number[] = [];
          const red: number[] = [];
          d.dispatch({ type: 'set', path: 'tempo', value: 180 });
          d.dispatch({ type: 'glitch', amount: 1 });
          d.dispatch({ type: 'fracture', amount: 1 });
          for (let i = 0; i < frames; i++) {
            if (hostile) {
              // The performer slams everything that drives brightness, ten times a second.
              const on = Math.floor(i / 3) % 2 === 0;
              d.dispatch({ type: 'set', path: 'mosaic.glitch', value: on ? 1 : 0 });
              d.dispatch({ type: 'set', path: 'mosaic.fracture', value: on ? 1 : 0 });
              d.dispatch({ type: 'set', path: 'palette.deep', value: on ? '#ffffff' : '#000000' });
              d.dispatch({ type: 'set', path: 'palette.haze', value: on ? '#ff0000' : '#000000' });
              d.dispatch({ type: 'set', path: 'depth', value: on ? 0 : 1 });
              if (i % 7 === 0) d.dispatch({ type: 'glitch', amount: 1 });
            }
            d.clock.step(1 / 60);
            gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
            let l = 0;
            let r = 0;
            for (let p = 0; p < w * h; p++) {
              const R = table[px[p * 4]!]!;
              const G = table[px[p * 4 + 1]!]!;
              const B = table[px[p * 4 + 2]!]!;
              l += 0.2126 * R + 0.7152 * G + 0.0722 * B;
              const sum = R + G + B;
              if (sum > 0 && R / sum >= 0.8) r += Math.max(0, (R - G - B) * 320);
            }
            luminance.push(l / (w * h));
            red.push(r / (w * h));
          }
          return { luminance, red, stepsPerSecond: (d.stats as () => SceneStats)().glitchStepsPerSecond };
        },
        { hostile, frames },
      );

    const steady = await run(false, 130);
    expect(steady.stepsPerSecond).toBeGreaterThan(0);
    expect(steady.stepsPerSecond).toBeLessThanOrEqual(3);
    expect(maxPerWindow(flashTransitions(steady.luminance), 60)).toBeLessThanOrEqual(3);
    expect(maxPerWindow(flashTransitions(steady.red, RED_SWING), 60)).toBeLessThanOrEqual(3);

    const hostile = await run(true, 130);
    const swings = maxPerWindow(flashTransitions(hostile.luminance), 60);
    expect(swings).toBeLessThanOrEqual(3);
    expect(maxPerWindow(flashTransitions(hostile.red, RED_SWING), 60)).toBeLessThanOrEqual(3);

    // The measurement can see flashes: with the guard off the same hostile performer flashes.
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'safety.flashGuard', value: false, confirm: true }));
    const unguarded = await run(true, 60);
    const unguardedSwings = maxPerWindow(flashTransitions(unguarded.luminance), 60);
    expect(unguardedSwings).toBeGreaterThan(3);
    const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    console.info(
      `flash guard: swings/s steady ${maxPerWindow(flashTransitions(steady.luminance), 60)}, hostile ${swings}, unguarded ${unguardedSwings}; ` +
        `luminance range steady ${range(steady.luminance).toFixed(3)}, hostile ${range(hostile.luminance).toFixed(3)}, unguarded ${range(unguarded.luminance).toFixed(3)}; glitch steps/s ${steady.stepsPerSecond.toFixed(2)}`,
    );
    await page.close();
  });

  it('hides a private dreamer from the audience', async () => {
    const { page } = await openScene({ preset: 'dream-hub' });
    const hidden = await stepAndRead(page, 0.1);
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'dreamers.3.consent', value: 'shared' }));
    const shown = await stepAndRead(page, 1.5);
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'dreamers.3.consent', value: 'private' }));
    const hiddenAgain = await stepAndRead(page, 1.5);
    expect(difference(hidden, shown)).toBeGreaterThan(0.5);
    expect(difference(hiddenAgain, shown)).toBeGreaterThan(0.5);
    await page.close();
  });
});

describe('adaptive quality', () => {
  it('lowers the pixel ratio while frames are slow (software WebGL here) and reports it in stats()', async () => {
    const browser = await launch();
    try {
      const context = await browser.newContext({ deviceScaleFactor: 1 });
      const { page } = await openView(context, { view: 'audience', room: 'adaptive', tiles: 4096 }, { width: 1280, height: 720 });
      // stats() is registered when the scene mounts, after the API itself: wait for the first frame.
      await page.waitForFunction(() => (window.dreamscape.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
      const first = await page.evaluate(() => (window.dreamscape.stats as () => { pixelRatio: number })().pixelRatio);
      expect(first).toBe(1);
      // SwiftShader draws this scene far below 36 fps at 1280x720: the ratio must step down
      await page.waitForFunction(() => (window.dreamscape.stats as () => { pixelRatio: number })().pixelRatio < 1, undefined, { timeout: 60_000 });
      const stats = await page.evaluate(() => (window.dreamscape.stats as () => { pixelRatio: number; fps: number })());
      expect(stats.pixelRatio).toBeGreaterThanOrEqual(0.5);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('past the lowest pixel ratio, draws the resting mosaic from a picture of its tiles that looks like them and follows the dream', async () => {
    const browser = await launch();
    try {
      const context = await browser.newContext({ deviceScaleFactor: 1 });
      const { page, errors } = await openView(context, { view: 'audience', room: 'impostor', tiles: 4096 }, { width: 1280, height: 720 });
      await page.waitForFunction(() => (window.dreamscape.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
      // SwiftShader at 1280x720 steps down to pixel ratio 0.5 and then to reduced detail.
      await page.waitForFunction(() => (window.dreamscape.stats as () => SceneStats)().detail === 'reduced', undefined, { timeout: 90_000 });
      // The block, as a format-1 preset has it (the bundled Temple is now a dome), no particles, no grain.
      const shapeIs = async (shape: string) => {
        await page.evaluate((shape) => {
          const d = window.dreamscape;
          d.dispatch({ type: 'set', path: 'scene.mosaic.shape', value: shape });
          d.dispatch({ type: 'set', path: 'scene.particles.kind', value: 'none' });
          d.dispatch({ type: 'set', path: 'scene.camera.motion', value: 'still' });
          // No film grain (the Temple's changes 24 times a dream second: the pictures a few
          // thousandths of a second apart could straddle a change) nor split, as format 1 had.
          d.dispatch({ type: 'set', path: 'scene.finish.grain', value: 0 });
          d.dispatch({ type: 'set', path: 'scene.finish.chroma', value: 0 });
          d.clock.pause();
          // A paused clock moved by hand shows the new kinds at once.
          d.clock.step(1);
        }, shape);
      };
      await shapeIs('block');
      const settle = async () => {
        let px = await stepAndRead(page, 0.001);
        for (let i = 0; i < MAX_SLICES; i++) px = await stepAndRead(page, 0.001);
        return px;
      };
      // The change of world (dome to block) is in every tile of the picture after a whole round of
      // slices: one round for it, then the picture measured.
      await settle();
      const picture = await settle();
      // A slice of the tiles' triangles a frame, and the quad.
      const s = await stats(page);
      expect(s.detail).toBe('reduced');
      // The tiles drawn as geometry, in the same state: a glitch this faint moves no tile, and the
      // geometry is drawn whenever a glitch is on.
      const asGeometry = async () => {
        await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'mosaic.glitch', value: 0.0011 }));
        const px = await stepAndRead(page, 0.001);
        const triangles = (await stats(page)).triangles;
        await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'mosaic.glitch', value: 0 }));
        return { px, triangles };
      };
      const geometry = await asGeometry();
      expect(geometry.triangles).toBeGreaterThan(2 * s.triangles);
      const back = await settle();
      // The dream changes (a dreamer's region veiled, over 2 s of dream time), one frame is
      // stepped, and the clock stays paused: the page's own loop still draws the frames that
      // redraw every tile, and the picture is the tiles' again.
      await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'dreamers.0.consent', value: 'private' }));
      await stepAndRead(page, 2);
      await page.waitForTimeout(3000);
      const changed = await stepAndRead(page, 0);
      expect((await stats(page)).triangles, 'still drawn from the picture').toBeLessThan(geometry.triangles / 2);
      const again = await stepAndRead(page, 0.001);
      const changedGeometry = await asGeometry();
      const w = await page.evaluate(() => document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!.drawingBufferWidth);
      const figures = {
        likeTiles: blockDifference(picture, geometry.px, w),
        likeTilesAfter: blockDifference(changed, changedGeometry.px, w),
        change: blockDifference(back, changed, w),
        back: difference(picture, back),
        again: difference(changed, again),
      };
      console.log(`mosaic picture vs tiles (mean abs difference of 16x16-pixel blocks, 0..255): ${JSON.stringify(figures)}`);
      expect(figures.back).toBeLessThan(0.5);
      expect(figures.again).toBeLessThan(0.5);
      expect(figures.likeTiles).toBeLessThan(1.5);
      expect(figures.likeTilesAfter).toBeLessThan(1.5);
      expect(figures.change).toBeGreaterThan(3 * Math.max(figures.likeTiles, figures.likeTilesAfter));
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
