import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, openView } from './browser.ts';
import type { SceneStats } from '../../src/scene/scene-runtime.ts';

/**
 * Quality that can be locked (`?quality=full`, `dreamscape.setQuality`, the performer's Output
 * folder). Software WebGL here draws 1280x720 far below 36 fps, which makes adaptive quality step
 * the pixel ratio down to 0.5 and then the detail within about ten seconds (scene.test.ts): at
 * quality 'full' none of that may happen.
 */

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ deviceScaleFactor: 1, reducedMotion: 'no-preference' });
});
afterAll(async () => {
  await browser?.close();
});

const LARGE = { width: 1280, height: 720 };

type Stats = SceneStats;
const stats = (page: Page): Promise<Stats> => page.evaluate(() => (window.dreamscape.stats as () => Stats)());
const ready = (page: Page) => page.waitForFunction(() => (window.dreamscape.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
const setQuality = (page: Page, quality: string) => page.evaluate((q) => (window.dreamscape.setQuality as (q: string) => void)(q), quality);
const bufferSize = (page: Page) =>
  page.evaluate(() => {
    const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
    return [gl.drawingBufferWidth, gl.drawingBufferHeight];
  });

/**
 * Watch a running page for `seconds`: the lowest pixel ratio and whether the detail was ever
 * reduced (read four times a second), and the frame rate over the whole time (stats().frames).
 */
const watch = async (page: Page, seconds: number) => {
  const s0 = await stats(page);
  const t0 = Date.now();
  let minRatio = s0.pixelRatio;
  let reduced = s0.detail === 'reduced';
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(250);
    const s = await stats(page);
    minRatio = Math.min(minRatio, s.pixelRatio);
    reduced ||= s.detail === 'reduced';
  }
  const s1 = await stats(page);
  return { minRatio, reduced, fps: (s1.frames - s0.frames) / ((Date.now() - t0) / 1000), last: s1 };
};

/** Step the paused clock to dream time `at` and read the whole canvas (RGBA, bottom row first). */
const readAt = async (page: Page, at: number): Promise<Uint8Array> => {
  const b64 = await page.evaluate((t) => {
    const d = window.dreamscape;
    d.clock.pause();
    d.clock.step(t - d.clock.time());
    const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
    const px = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
    gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let bin = '';
    for (let i = 0; i < px.length; i += 8192) bin += String.fromCharCode(...px.subarray(i, i + 8192));
    return btoa(bin);
  }, at);
  return new Uint8Array(Buffer.from(b64, 'base64'));
};

describe('quality locked to full', () => {
  let first: Page;

  it('?quality=full: after seconds of slow frames, still pixel ratio 1 and full detail', async () => {
    const opened = await openView(context, { view: 'audience', room: 'quality-full', preset: 'dream-temple', seed: 777, quality: 'full' }, LARGE);
    first = opened.page;
    await ready(first);
    const s = await stats(first);
    expect(s.quality).toBe('full');
    expect(s.pixelRatio).toBe(1);
    expect(s.detail).toBe('full');
    // Twelve seconds: adaptive quality would have stepped down five times by now (1.5 s a step).
    const seen = await watch(first, 12);
    console.log(`?quality=full at 1280x720: ${seen.fps.toFixed(1)} fps, lowest pixel ratio ${seen.minRatio}, reduced detail seen: ${seen.reduced}`);
    // The frames were slow enough for adaptive quality to act: the lock is what kept the picture.
    expect(seen.fps).toBeLessThan(36);
    expect(seen.minRatio).toBe(1);
    expect(seen.reduced).toBe(false);
    expect(seen.last.pixelRatio).toBe(1);
    expect(seen.last.detail).toBe('full');
    expect(await bufferSize(first)).toEqual([1280, 720]);
    expect(opened.errors).toEqual([]);
  });

  it('two pages at ?quality=full at the same preset, seed and dream time show identical pixels', async () => {
    // The first page has been drawing slow frames for twelve seconds; the second has just started.
    const { page: second, errors } = await openView(context, { view: 'audience', room: 'quality-full-2', preset: 'dream-temple', seed: 777, quality: 'full' }, LARGE);
    await ready(second);
    await first.evaluate(() => window.dreamscape.clock.pause());
    await second.evaluate(() => window.dreamscape.clock.pause());
    const at = Math.ceil(Math.max(await first.evaluate(() => window.dreamscape.clock.time()), await second.evaluate(() => window.dreamscape.clock.time()))) + 1;
    const a = await readAt(first, at);
    const b = await readAt(second, at);
    expect(await bufferSize(first)).toEqual([1280, 720]);
    expect(await bufferSize(second)).toEqual([1280, 720]);
    expect(a.length).toBe(b.length);
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
    console.log(`two pages at quality=full, t = ${at} s: ${differing} of ${a.length} bytes differ`);
    expect(differing).toBe(0);
    // Not a blank picture compared with a blank picture.
    let sum = 0;
    for (let i = 0; i < a.length; i += 4) sum += a[i]! + a[i + 1]! + a[i + 2]!;
    expect(sum / (a.length / 4) / 3).toBeGreaterThan(8);
    expect(errors).toEqual([]);
    await first.close();
    await second.close();
  });

  it('at the default it adapts; setQuality("full") live restores pixel ratio 1 and full detail at once and holds them; "auto" adapts again', async () => {
    const { page, errors } = await openView(context, { view: 'audience', room: 'quality-live', tiles: 4096 }, LARGE);
    await ready(page);
    expect((await stats(page)).quality).toBe('auto');
    await page.waitForFunction(() => (window.dreamscape.stats as () => SceneStats)().detail === 'reduced', undefined, { timeout: 90_000 });
    const adapted = await stats(page);
    expect(adapted.pixelRatio).toBe(0.5);
    await setQuality(page, 'full');
    const locked = await stats(page);
    expect(locked.quality).toBe('full');
    expect(locked.pixelRatio).toBe(1);
    expect(locked.detail).toBe('full');
    expect(await bufferSize(page)).toEqual([1280, 720]);
    const held = await watch(page, 6);
    expect(held.fps).toBeLessThan(36);
    expect(held.minRatio).toBe(1);
    expect(held.reduced).toBe(false);
    // A bad value is refused with what was expected, and changes nothing.
    await expect(setQuality(page, 'max')).rejects.toThrow(/expected 'auto' or 'full'/);
    expect((await stats(page)).quality).toBe('full');
    await setQuality(page, 'auto');
    expect((await stats(page)).quality).toBe('auto');
    await page.waitForFunction(() => (window.dreamscape.stats as () => SceneStats)().pixelRatio < 1, undefined, { timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the performer's Output panel locks it, the audience window it opens carries it, and a bad ?quality= is reported", async () => {
    const room = `quality-panel-${Date.now()}`;
    const { page: performer, errors } = await openView(context, { room, tiles: 1024 }, { width: 960, height: 540 });
    await ready(performer);
    expect((await stats(performer)).quality).toBe('auto');
    await performer.getByText('Output', { exact: true }).click();
    const select = performer.locator('select[id="Output.quality"]');
    await select.selectOption({ label: 'full' });
    await performer.waitForFunction(() => (window.dreamscape.stats as () => Stats)().quality === 'full', undefined, { timeout: 5000 });
    expect((await stats(performer)).pixelRatio).toBe(1);

    // The audience window the performer opens is at quality=full too.
    const opening = context.waitForEvent('page');
    await performer.getByTestId('live-audience').click();
    const audience = await opening;
    await audience.waitForFunction(() => (window.dreamscape?.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
    expect(new URL(audience.url()).searchParams.get('quality')).toBe('full');
    expect(new URL(audience.url()).searchParams.get('room')).toBe(room);
    expect((await stats(audience)).quality).toBe('full');
    await audience.close();

    // The panel follows a script's change, and back at auto the audience window adapts.
    await setQuality(performer, 'auto');
    await performer.waitForFunction(() => document.querySelector<HTMLSelectElement>('select[id="Output.quality"]')?.selectedOptions[0]?.textContent === 'auto', undefined, { timeout: 5000 });
    const reopening = context.waitForEvent('page');
    await performer.getByTestId('live-audience').click();
    const autoAudience = await reopening;
    await autoAudience.waitForFunction(() => (window.dreamscape?.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
    expect(new URL(autoAudience.url()).searchParams.get('quality')).toBeNull();
    expect((await stats(autoAudience)).quality).toBe('auto');
    await autoAudience.close();
    expect(errors).toEqual([]);
    await performer.close();

    const { page: bad } = await openView(context, { view: 'audience', room: `${room}-bad`, quality: 'ultra' }, { width: 400, height: 225 });
    await ready(bad);
    await bad.getByTestId('problems').waitFor({ timeout: 5000 });
    expect(await bad.getByTestId('problems').textContent()).toContain('?quality=ultra: expected auto or full');
    expect((await stats(bad)).quality).toBe('auto');
    await bad.close();
  });
});
