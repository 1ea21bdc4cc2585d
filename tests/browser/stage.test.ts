import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserPerFile, openView } from './browser.ts';

const shared = browserPerFile();

const state = (page: Page) => page.evaluate(() => window.dreamscape.state());
/** Wait until the audience shows what the performer shows. */
const follows = async (audience: Page, check: string, arg: unknown) => {
  await audience.waitForFunction(new Function('arg', `const s = window.dreamscape.state(); return ${check};`) as (arg: unknown) => boolean, arg, { timeout: 5000 });
};

describe('performer and audience', () => {
  it('the audience follows the API, leva and keys; it has no leva; a late audience gets the current state', async () => {
    const room = `stage-${Date.now()}`;
    const { page: performer, errors } = await openView(shared.context, { room, tiles: 1000 });
    const { page: audience, errors: audienceErrors } = await openView(shared.context, { room, view: 'audience', tiles: 1000 });

    // through the scripting API
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.123 }));
    await follows(audience, 'Math.abs(s.unity - arg) < 1e-9', 0.123);

    // through a leva control
    await performer.fill('#Dream\\.depth', '0.87');
    await performer.press('#Dream\\.depth', 'Enter');
    await performer.waitForFunction(() => Math.abs(window.dreamscape.state().depth - 0.87) < 1e-6, undefined, { timeout: 5000 });
    await follows(audience, 'Math.abs(s.depth - arg) < 1e-6', 0.87);

    // the panel shows changes made elsewhere
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'mood.arousal', value: 0.66 }));
    await performer.waitForFunction(() => (document.getElementById('Dream.arousal') as HTMLInputElement | null)?.value === '0.66', undefined, { timeout: 5000 });

    // keys: F fractures, Escape panics and again recovers; keys do nothing while typing
    await performer.click('body', { position: { x: 640, y: 300 } });
    await performer.keyboard.press('f');
    expect((await state(performer)).mosaic.fracture).toBeGreaterThan(0.3);
    await follows(audience, 's.mosaic.fracture > 0.3', null);
    await performer.keyboard.press('Escape');
    expect((await state(performer)).output.panic).toBe(true);
    await follows(audience, 's.output.panic === true', null);
    await performer.keyboard.press('Escape');
    expect((await state(performer)).output.panic).toBe(false);
    await performer.focus('#Dream\\.tempo');
    const before = (await state(performer)).mosaic.glitch;
    await performer.keyboard.press('g');
    expect((await state(performer)).mosaic.glitch).toBe(before);

    // space steps to the next act
    await performer.click('body', { position: { x: 640, y: 300 } });
    await performer.keyboard.press(' ');
    expect((await state(performer)).act.index).toBe(1);
    await follows(audience, 's.act.index === 1', null);

    // the audience has no leva and no performer controls in its DOM
    expect(await audience.evaluate(() => document.querySelectorAll('[class*="leva"], .live-bar, .cue-list').length)).toBe(0);
    expect(await audience.evaluate(() => document.getElementById('Dream.unity'))).toBeNull();

    // audio plays in exactly one window: the audience's while one is open
    await performer.waitForFunction(() => (window.dreamscape.sync as () => { audioHere: boolean }).call(null).audioHere === false, undefined, { timeout: 5000 });
    expect(await audience.evaluate(() => (window.dreamscape.sync as () => { audioHere: boolean })().audioHere)).toBe(true);

    // a late audience gets the current state
    const { page: late } = await openView(shared.context, { room, view: 'audience' });
    await follows(late, 's.act.index === 1 && Math.abs(s.unity - arg) < 0.2 && s.mosaic.tiles === 1000', (await state(performer)).unity);

    // the performer leaves: the audience keeps dreaming on its last state
    await performer.close();
    const t0 = (await state(audience)).clock;
    // its own clock goes on (a loaded machine may draw a frame only every second or so)
    await audience.waitForFunction((t) => window.dreamscape.state().clock > t, t0, { timeout: 10_000 });
    await audience.waitForTimeout(600);
    const after = await state(audience);
    expect(after.clock).toBeGreaterThan(t0);
    expect(after.act.index).toBe(1);
    expect(errors).toEqual([]);
    expect(audienceErrors).toEqual([]);
    await audience.close();
    await late.close();
  });

  it('importing a bad preset shows its problems and the dream goes on; a good one morphs in', async () => {
    const room = `import-${Date.now()}`;
    const { page } = await openView(shared.context, { room, tiles: 1000 });
    const dir = mkdtempSync(join(tmpdir(), 'dreamscape-import-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, id: 'bad', depth: 'deep', acts: [] }));
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'glitch', amount: 0.4 }));
    await page.setInputFiles('[data-testid="preset-import"]', bad);
    await page.getByTestId('problems').waitFor();
    const text = await page.getByTestId('problems').innerText();
    expect(text).toContain('bad.json');
    expect(text).toContain('$.depth');
    expect(text).toContain('$.acts');
    const s = await state(page);
    expect(s.preset).toBe('dream-temple');
    expect(s.mosaic.glitch).toBeCloseTo(0.4);

    // export the dream, import it back under a new id: it validates and morphs in
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="preset-export"]')]);
    const exported = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
    expect(exported.$schema).toBe('./schema.json');
    exported.id = 'my-temple';
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(exported));
    await page.fill('input[aria-label="morph seconds"]', '1');
    await page.setInputFiles('[data-testid="preset-import"]', good);
    await page.waitForFunction(() => window.dreamscape.state().preset === 'my-temple', undefined, { timeout: 10_000 });
    await page.close();
  });

  it('picking a preset morphs to it over the chosen time', async () => {
    const { page } = await openView(shared.context, { room: `pick-${Date.now()}`, tiles: 1000 });
    await page.selectOption('[data-testid="preset-select"]', 'sleep-square');
    await page.fill('input[aria-label="morph seconds"]', '2');
    await page.click('[data-testid="preset-morph"]');
    expect((await state(page)).morph?.seconds).toBe(2);
    await page.waitForFunction(() => window.dreamscape.state().preset === 'sleep-square' && window.dreamscape.state().morph === null, undefined, { timeout: 10_000 });
    await page.close();
  });
});
