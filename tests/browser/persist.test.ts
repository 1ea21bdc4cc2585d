import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserPerFile, openView } from './browser.ts';

const shared = browserPerFile();

const state = (page: Page) => page.evaluate(() => window.dreamscape.state());

describe('nothing the performer did is lost on a reload', () => {
  it('a reloaded performer tab resumes its show within a second, and its audience never jumps back', async () => {
    const room = `keep-${Date.now()}`;
    const { page: performer, errors } = await openView(shared.context, { room, tiles: 1000 });
    const { page: audience } = await openView(shared.context, { room, view: 'audience', tiles: 1000 });
    await performer.evaluate(() => {
      window.dreamscape.dispatch({ type: 'act', to: 2 });
      window.dreamscape.dispatch({ type: 'set', path: 'mood.arousal', value: 0.91 });
      window.dreamscape.dispatch({ type: 'set', path: 'dreamers.0.presence', value: 0.17 });
    });
    await audience.waitForFunction(() => window.dreamscape.state().act.index === 2, undefined, { timeout: 5000 });
    // The audience's dream clock, sampled every 50 ms from before the reload to well after it.
    await audience.evaluate(() => {
      const w = window as unknown as { clocks: number[] };
      w.clocks = [];
      setInterval(() => w.clocks.push(window.dreamscape.state().clock), 50);
    });
    await performer.waitForTimeout(300);
    const before = await state(performer);
    // The performer reloads its own tab: the one in front.
    await performer.bringToFront();
    await performer.reload();
    await performer.waitForFunction(() => typeof window.dreamscape?.state === 'function');
    const after = await state(performer);

    expect(after.act.index).toBe(2);
    expect(after.mood.arousal).toBeCloseTo(0.91, 9);
    expect(after.dreamers[0]!.presence).toBeCloseTo(0.17, 9);
    // Kept at most a second before the reload, then moved on by the time away.
    expect(after.clock).toBeGreaterThan(before.clock - 1);
    await audience.waitForTimeout(2000);
    const clocks = await audience.evaluate(() => (window as unknown as { clocks: number[] }).clocks);
    let worstStepBack = 0;
    for (let i = 1; i < clocks.length; i++) worstStepBack = Math.max(worstStepBack, clocks[i - 1]! - clocks[i]!);
    console.log(`reload: performer clock ${before.clock.toFixed(2)} s before, ${after.clock.toFixed(2)} s after; audience's largest step back ${(worstStepBack * 1000).toFixed(0)} ms over ${clocks.length} samples`);
    expect(clocks.length).toBeGreaterThan(20);
    expect(worstStepBack).toBeLessThan(0.5);
    const heard = await state(audience);
    expect(heard.act.index).toBe(2);
    expect(heard.mood.arousal).toBeCloseTo(0.91, 6);
    expect(errors).toEqual([]);
    await performer.close();
    await audience.close();
  });

  it('a new tab of the same room offers the kept show, and resumes it or starts fresh', async () => {
    const room = `offer-${Date.now()}`;
    const { page: first } = await openView(shared.context, { room, tiles: 1000 });
    await first.evaluate(() => {
      window.dreamscape.dispatch({ type: 'act', to: 3 });
      window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.04 });
    });
    await first.waitForTimeout(1500);
    await first.close();

    const { page: second } = await openView(shared.context, { room, tiles: 1000 });
    const offer = second.getByTestId('resume-offer');
    await offer.waitFor({ timeout: 10_000 });
    const label = await second.getByTestId('resume-kept').textContent();
    expect(label).toMatch(/^resume the show saved at \d\d:\d\d$/);
    expect((await state(second)).act.index).toBe(0);
    await second.getByTestId('resume-kept').click();
    await second.waitForFunction(() => window.dreamscape.state().act.index === 3, undefined, { timeout: 5000 });
    expect((await state(second)).unity).toBeCloseTo(0.04, 9);
    expect(await offer.count()).toBe(0);
    await second.close();

    const { page: third } = await openView(shared.context, { room, tiles: 1000 });
    await third.getByTestId('start-fresh').click({ timeout: 10_000 });
    await third.waitForTimeout(1500);
    expect((await state(third)).act.index).toBe(0);
    await third.close();
    // What the fresh start kept is what a fourth tab is offered.
    const { page: fourth } = await openView(shared.context, { room, tiles: 1000 });
    await fourth.getByTestId('resume-kept').click({ timeout: 10_000 });
    await fourth.waitForTimeout(300);
    expect((await state(fourth)).act.index).toBe(0);
    await fourth.close();
  });

  it('storage that is refused gives one notice and the show goes on', async () => {
    const context = await shared.browser.newContext();
    await context.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      };
      const open = () => {
        throw new DOMException('IndexedDB is not available in private mode', 'InvalidStateError');
      };
      Object.defineProperty(IDBFactory.prototype, 'open', { value: open });
    });
    const { page, errors } = await openView(context, { room: `refused-${Date.now()}`, tiles: 1000 });
    await page.getByTestId('notices').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(3000);
    const notices = await page.getByTestId('notices').locator('p').allTextContents();
    expect(notices.filter((n) => /kept|kept shows/.test(n))).toHaveLength(2);
    expect(notices.some((n) => /could not be kept in this tab \(QuotaExceededError/.test(n))).toBe(true);
    expect(notices.some((n) => /cannot be read in this browser \(InvalidStateError/.test(n))).toBe(true);
    const t0 = (await state(page)).clock;
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'fracture' }));
    await page.waitForTimeout(500);
    expect((await state(page)).clock).toBeGreaterThan(t0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
