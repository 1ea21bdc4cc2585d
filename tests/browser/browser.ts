import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.ts';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { startRelayServer } from '../../relay/nats.ts';
import type { RelayServer } from '../../relay/nats.ts';

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

/**
 * A real nats-server (the project's relay config, on 127.0.0.1) and one Chromium for a test file,
 * with a new browser context per device (no BroadcastChannel between contexts); all closed after.
 */
export const relayPerFile = (room: string): { readonly relay: RelayServer; readonly browser: Browser; context(): Promise<BrowserContext> } => {
  const contexts: BrowserContext[] = [];
  const handle = {
    relay: undefined as unknown as RelayServer,
    browser: undefined as unknown as Browser,
    context: async () => {
      const c = await handle.browser.newContext();
      contexts.push(c);
      return c;
    },
  };
  beforeAll(async () => {
    handle.relay = await startRelayServer({ room });
    handle.browser = await launch();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await handle.browser?.close();
    await handle.relay?.stop();
  });
  return handle;
};
