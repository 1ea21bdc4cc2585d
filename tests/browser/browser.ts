import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { inject } from 'vitest';

/** Debian's Chromium; scripts/ensure-browser.mjs installs it (npm test runs that first). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--autoplay-policy=no-user-gesture-required',
];

export const launch = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run 'node scripts/ensure-browser.mjs' (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
};

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
