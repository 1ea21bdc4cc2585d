import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.ts';
import { inject } from 'vitest';

export { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium.ts';
export const launch = launchChromium;

export const baseUrl = (): string => inject('baseUrl');

export interface OpenedPage {
  page: Page;
  errors: string[];
}

/** Open a view with URL parameters and wait until the scripting API is there. */
export const openView = async (context: BrowserContext, params: Record<string, string | number> = {}, viewport = { width: 960, height: 540 }): Promise<OpenedPage> => {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  await page.goto(`${baseUrl()}/?${q.toString()}`);
  await page.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 60_000 });
  return { page, errors };
};
