import { describe, expect, it } from 'vitest';
import { browserPerFile, openView } from './browser.ts';

const shared = browserPerFile();

describe('the frame loop never dies', () => {
  it('a bridge whose listener throws on every change is counted in pageErrors, named once on the console, and the dream and its picture go on', async () => {
    const { page, errors } = await openView(shared.context, { view: 'audience', tiles: 1000 });
    // stats() is registered once the scene has mounted.
    await page.waitForFunction(() => (window.dreamscape.stats?.().frames ?? 0) > 2, undefined, { timeout: 60_000 });
    const before = await page.evaluate(() => ({ clock: window.dreamscape.state().clock, frames: window.dreamscape.stats!().frames }));
    await page.evaluate(() => {
      window.dreamscape.subscribe(() => {
        throw new Error('a broken bridge');
      });
    });
    await page.waitForTimeout(2000);
    const after = await page.evaluate(() => {
      const stats = window.dreamscape.stats!();
      return { clock: window.dreamscape.state().clock, frames: stats.frames, pageErrors: stats.pageErrors };
    });
    expect(after.clock).toBeGreaterThan(before.clock + 0.5);
    expect(after.frames).toBeGreaterThan(before.frames + 5);
    expect(after.pageErrors).toBeGreaterThan(5);
    const lines = errors.filter((e) => e.includes('a broken bridge'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dreamscape: a frame failed; the show goes on: Error: a broken bridge/);
    await page.close();
  });
});
