import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.ts';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';

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

/** One Chromium and one context for a test file: launched before its tests, closed after. */
export const browserPerFile = (): { readonly browser: Browser; readonly context: BrowserContext } => {
  const handle = {} as { browser: Browser; context: BrowserContext };
  beforeAll(async () => {
    handle.browser = await launch();
    handle.context = await handle.browser.newContext();
  });
  afterAll(async () => {
    await handle.browser?.close();
  });
  return handle;
};
