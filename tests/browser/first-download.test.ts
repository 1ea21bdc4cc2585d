import { describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import { baseUrl, browserPerFile, openView } from './browser.ts';
import { describeFiles, measureFirstDownload } from '../../scripts/lib/first-download.ts';

const shared = browserPerFile();

/** The audience's budget: JS fetched in its first 5 s, gzip (the bench reports the same figure). */
const BUDGET_KB = 420;
/** Strings only Tone's and leva's code carry (chunk names change with the build's splitting). */
const TONE = 'TONE_SILENCE_LOGGING';
const LEVA = 'leva__root';

const phase = (page: Page) => page.evaluate(() => (window.dreamscape as unknown as { symphony: { status(): { phase: string } } }).symphony.status().phase);
const audioHere = (page: Page) => page.evaluate(() => (window.dreamscape.sync as () => { audioHere: boolean })().audioHere);

describe("the audience's first download", () => {
  it(`an audience never told to play fetches at most ${BUDGET_KB} KB of JS (gzip) in its first 5 s, service worker included, neither Tone nor leva`, async () => {
    const distDir = inject('distDir');
    const first = await measureFirstDownload(shared.browser, { base: baseUrl(), distDir, params: { view: 'audience', room: `download-${Date.now()}` } });
    const listing = describeFiles(first.files).join('\n');
    console.log(`audience, first 5 s: ${first.kb.toFixed(1)} KB gzip (${first.workerOnlyKb.toFixed(1)} KB of it fetched only by the service worker)\n${listing}`);
    expect(first.files.length, 'the audience fetched no JS at all').toBeGreaterThan(0);
    // The worker installs in these seconds on a first visit: its fetches are in the figure.
    expect(first.files.some((f) => f.kind === 'service worker' || f.alsoWorker), `the service worker fetched nothing in the window:\n${listing}`).toBe(true);
    expect(first.kb, `over budget:\n${listing}`).toBeLessThanOrEqual(BUDGET_KB);
    const carrying = (marker: string) => first.files.filter((f) => readFileSync(join(distDir, f.file), 'utf8').includes(marker)).map((f) => f.file);
    expect(carrying(TONE), 'Tone was fetched by an audience that was not told to play').toEqual([]);
    expect(carrying(LEVA), 'leva was fetched by an audience').toEqual([]);
  });

  it('an audience the performer names fetches Tone before any gesture; one that is not named plays when its viewer asks', async () => {
    const room = `download-play-${Date.now()}`;
    const { page: performer, errors } = await openView(shared.context, { room, tiles: 256 });
    // The audience's own page, watched from its first request.
    const audience = await shared.context.newPage();
    let toneFetched = false;
    audience.on('response', (r: Response) => {
      if (!r.url().endsWith('.js')) return;
      void r.text().then((t) => {
        if (t.includes(TONE)) toneFetched = true;
      }, () => undefined);
    });
    await audience.goto(`${baseUrl()}/?view=audience&room=${room}&tiles=256`);
    await audience.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 60_000 });
    // One window plays the symphony: the audience, once the performer's messages say so.
    await expect.poll(() => audioHere(audience), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => toneFetched, { timeout: 15_000 }).toBe(true);
    await audience.getByTestId('enter-dream').click();
    await expect.poll(() => phase(audience), { timeout: 15_000 }).toBe('playing');
    await audience.close();
    await performer.close();

    // Alone in its room nobody names it: no Tone until the viewer enters the dream, then the sound.
    const { page: alone, errors: aloneErrors } = await openView(shared.context, { view: 'audience', room: `${room}-alone`, tiles: 256 });
    expect(await audioHere(alone)).toBe(false);
    await alone.getByTestId('enter-dream').click();
    await expect.poll(() => phase(alone), { timeout: 15_000 }).toBe('playing');
    await alone.close();
    expect(errors).toEqual([]);
    expect(aloneErrors).toEqual([]);
  });
});
