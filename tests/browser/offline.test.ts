import { describe, expect, inject, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { baseUrl, browserPerFile, openView } from './browser.ts';

// The service worker (scripts/service-worker.ts, registered by src/app/offline.ts) precaches the
// audience's shell and keeps the rest of the build as it is fetched; a performer page asks for all of it.
const shared = browserPerFile();

/** Strings only Tone's and leva's code carry (chunk names change with the build's splitting). */
const TONE = 'TONE_SILENCE_LOGGING';
const LEVA = 'leva__root';

/** The files the service worker holds, as paths in the build (`./` for the page). */
const cachedFiles = (page: Page) =>
  page.evaluate(async () => {
    const out: string[] = [];
    for (const name of (await caches.keys()).filter((k) => k.startsWith('dreamscape-'))) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) out.push(new URL(request.url).pathname.replace(/^\//, '') || './');
    }
    return out.sort();
  });

/** The JS files of the build that carry `marker`. */
const carrying = (marker: string) => {
  const assets = join(inject('distDir'), 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes(marker))
    .map((f) => `assets/${f}`);
};

/** The same-origin scripts this page has loaded, as paths in the build. */
const loadedScripts = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name))
      .filter((u) => u.origin === location.origin && u.pathname.endsWith('.js') && u.pathname !== '/sw.js')
      .map((u) => u.pathname.replace(/^\//, '')),
  );

const missing = (files: string[], cached: string[]) => files.filter((f) => !cached.includes(f));

const phase = (page: Page) => page.evaluate(() => (window.dreamscape as unknown as { symphony: { status(): { phase: string } } }).symphony.status().phase);

const controlled = (page: Page) => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });

describe('offline', () => {
  it('once served, the show starts again with the network gone; an audience keeps only its shell', async () => {
    const context = await shared.browser.newContext();
    const { page } = await openView(context, { view: 'audience', room: 'offline' });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // let the worker take control of this page, then cut the network
    await page.reload();
    await controlled(page);
    const cached = await cachedFiles(page);
    expect(cached).toContain('./');
    for (const file of [...carrying(TONE), ...carrying(LEVA)]) expect(cached, `an audience that never played cached ${file}`).not.toContain(file);
    await context.setOffline(true);
    await page.goto(`${baseUrl()}/?view=audience&preset=dream-hub&room=offline`);
    await page.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.dreamscape.state().preset)).toBe('dream-hub');
    await context.close();
  });

  it('an audience that played once plays again offline, even when it played before the worker took over', async () => {
    const context = await shared.browser.newContext();
    // The worker's script is held back until the audience plays: Tone is fetched past the worker,
    // and the page hands what it fetched over to the worker once that is ready.
    let played!: () => void;
    const playing = new Promise<void>((resolve) => (played = resolve));
    await context.route('**/sw.js', async (route) => {
      await playing;
      await route.continue();
    });
    const { page, errors } = await openView(context, { view: 'audience', room: 'offline-played', tiles: 256 });
    await page.getByTestId('enter-dream').click();
    await expect.poll(() => phase(page), { timeout: 15_000 }).toBe('playing');
    expect(await page.evaluate(() => navigator.serviceWorker.controller === null)).toBe(true);
    played();
    await controlled(page);
    const scripts = await loadedScripts(page);
    expect(scripts.filter((f) => carrying(TONE).includes(f)).length, 'Tone was not loaded').toBeGreaterThan(0);
    await expect.poll(async () => missing(scripts, await cachedFiles(page)), { timeout: 15_000 }).toEqual([]);
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 30_000 });
    await page.getByTestId('enter-dream').click();
    await expect.poll(() => phase(page), { timeout: 15_000 }).toBe('playing');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a performer page keeps the whole build: its audience plays offline without ever having fetched Tone', async () => {
    const context = await shared.browser.newContext();
    const { page: performer, errors } = await openView(context, { room: 'offline-performer', tiles: 256 });
    const build = readdirSync(join(inject('distDir'), 'assets')).map((f) => `assets/${f}`);
    await expect.poll(async () => missing(build, await cachedFiles(performer)), { timeout: 30_000 }).toEqual([]);
    await context.setOffline(true);
    const { page: audience, errors: audienceErrors } = await openView(context, { view: 'audience', room: 'offline-performer-alone', tiles: 256 });
    await audience.getByTestId('enter-dream').click();
    await expect.poll(() => phase(audience), { timeout: 15_000 }).toBe('playing');
    // The performer view itself (leva, the panels: a chunk of their own) comes back from the cache.
    await performer.reload();
    await performer.waitForSelector('main.performer .side', { timeout: 30_000 });
    expect(errors).toEqual([]);
    expect(audienceErrors).toEqual([]);
    await context.close();
  });
});
