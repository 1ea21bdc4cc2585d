import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { launch } from './browser.ts';
import { startRelayServer } from '../../relay/nats.ts';
import type { RelayServer } from '../../relay/nats.ts';
import { serveStatic } from '../../scripts/relay.ts';

// The performer's credential never leaves the performer's tab: not into the audience window's
// URL, not into the address bar, history, title, DOM or the scripting API. The app is served as
// `npm run relay` serves it (scripts/relay.ts's static server, with its CSP header narrowed to
// the relay), and the relay is a real nats-server with the project's config.

const DIST = process.env.DREAMSCAPE_TEST_DIST ?? fileURLToPath(new URL('../../.artifacts/test-dist', import.meta.url));
let browser: Browser;
let relay: RelayServer;
let http: Server;
let appBase: string;
const contexts: BrowserContext[] = [];
const room = `creds-${Date.now()}`;
beforeAll(async () => {
  relay = await startRelayServer({ room });
  http = await serveStatic(DIST, '127.0.0.1', 0, { relayUrls: [relay.wsUrl] });
  appBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  http?.close();
  await relay?.stop();
});

const context = async () => {
  const c = await browser.newContext();
  contexts.push(c);
  await c.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return c;
};

interface Sync {
  link: string;
  refused: string | null;
  credential: 'password' | 'nkey' | null;
  sent?: number;
  seq?: number;
  connects: number;
}
const sync = (page: Page) => page.evaluate(() => (window.dreamscape.sync as () => Sync)());
const waitSync = (page: Page, check: string, timeout = 15_000) =>
  page.waitForFunction(new Function(`const s = window.dreamscape.sync(); return ${check};`) as () => boolean, undefined, { timeout, polling: 50 });
const ready = (page: Page) => page.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 60_000 });

/** Open a URL of the app; errors on the page are collected. */
const open = async (c: BrowserContext, path: string) => {
  const page = await c.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(appBase + path);
  await ready(page);
  return { page, errors };
};

/** Everywhere in the page a secret could show: address bar, history, title, DOM, state, sync status. */
const leaks = (page: Page, secret: string) =>
  page.evaluate((s) => {
    const places: Record<string, string> = {
      href: location.href,
      title: document.title,
      dom: document.documentElement.outerHTML,
      state: JSON.stringify(window.dreamscape.state()),
      sync: JSON.stringify((window.dreamscape.sync as () => unknown)()),
      inputs: [...document.querySelectorAll('input')].map((i) => i.value).join('\n'),
    };
    return Object.entries(places)
      .filter(([, v]) => v.includes(s))
      .map(([k]) => k);
  }, secret);

const viewParams = (extra = '') => `?view=performer&room=${room}&relay=${encodeURIComponent(relay.wsUrl)}&tiles=64${extra}`;

describe('the audience window (button and key O)', () => {
  it('opens a URL with the view parameters and without the secret, even if the secret is back in the address bar', async () => {
    const c = await context();
    const secret = relay.secret;
    const seed = relay.nkey.seed;
    const { page } = await open(c, `/?view=performer&room=${room}&preset=dream-hub&tiles=64&seed=7&quality=full&pass=${secret}&nkey=${seed}&user=performer`);
    // the performer's panels (and their keys) load after the API
    await page.getByTestId('live-audience').waitFor({ state: 'visible', timeout: 60_000 });
    const popupP = c.waitForEvent('page');
    await page.keyboard.press('o');
    const popup = await popupP;
    await popup.waitForLoadState();
    const url = new URL(popup.url());
    expect(popup.url()).not.toContain(secret);
    expect(popup.url()).not.toContain(seed);
    expect(Object.fromEntries(url.searchParams)).toEqual({ view: 'audience', room, preset: 'dream-hub', tiles: '64', seed: '7', quality: 'full' });
    await ready(popup);
    // the window opened by the performer's starts with a copy of its sessionStorage: the audience drops it
    expect(await popup.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(secret);
    expect(await popup.evaluate(() => (window.dreamscape.sync as () => Sync)().credential)).toBeNull();
    await popup.close();

    // Whatever the performer's address bar holds, only the allow-listed parameters go on.
    await page.evaluate((s) => history.replaceState(null, '', `${location.pathname}${location.search}&pass=${s}&debug=1`), secret);
    const again = c.waitForEvent('page');
    await page.getByTestId('live-audience').click();
    const popup2 = await again;
    await popup2.waitForLoadState();
    expect(popup2.url()).not.toContain(secret);
    expect(popup2.url()).not.toContain('debug');
    await popup2.close();
    await page.close();
  });
});

describe("the performer's secret in the URL fragment", () => {
  it('is read once, kept in the tab, gone from the address bar, the title, the DOM and the API; a reload still signs in', async () => {
    const c = await context();
    const secret = relay.secret;
    const { page, errors } = await open(c, `/${viewParams()}#pass=${secret}`);
    await waitSync(page, "s.link === 'connected' && s.sent > 2");
    await page.waitForTimeout(500);
    let s = await sync(page);
    expect(s.refused).toBeNull(); // publishing was accepted: it signed in as the performer
    expect(s.credential).toBe('password');
    expect(await leaks(page, secret)).toEqual([]);
    expect(page.url()).toBe(`${appBase}/${viewParams()}`);
    // nor in the tab's history: replaceState left no entry with it
    const cdp = await c.newCDPSession(page);
    const history = (await cdp.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
    expect(history.entries.map((e) => e.url).filter((u) => u.includes(secret))).toEqual([]);
    expect(history.entries.map((e) => e.url)).toContain(`${appBase}/${viewParams()}`);
    expect(await page.evaluate((k) => sessionStorage.getItem(k), `dreamscape.credential.${room}`)).toContain(secret);
    expect(await page.getByTestId('credential-kind').textContent()).toMatch(/signs in with a password/);

    await page.reload();
    await ready(page);
    await waitSync(page, "s.link === 'connected' && s.sent > 2");
    await page.waitForTimeout(500);
    s = await sync(page);
    expect(s.credential).toBe('password');
    expect(s.refused).toBeNull();
    expect(await leaks(page, secret)).toEqual([]);
    // another tab of the same room has no secret (sessionStorage is the tab's)
    const { page: other } = await open(c, `/${viewParams()}`);
    expect((await sync(other)).credential).toBeNull();
    await other.getByTestId('credential-form').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(errors).toEqual([]);
    await other.close();
    await page.close();
  });

  it('#nkey= signs in with the nkey; an audience view strips a secret it is given and holds none', async () => {
    const c = await context();
    const seed = relay.nkey.seed;
    const { page } = await open(c, `/${viewParams()}#nkey=${seed}`);
    await waitSync(page, "s.link === 'connected' && s.sent > 2 && s.credential === 'nkey'");
    await page.waitForTimeout(500);
    expect((await sync(page)).refused).toBeNull();
    expect(await leaks(page, seed)).toEqual([]);
    const { page: audience } = await open(c, `/?view=audience&room=${room}&relay=${encodeURIComponent(relay.wsUrl)}&tiles=64&pass=${relay.secret}#nkey=${seed}`);
    expect(audience.url()).toBe(`${appBase}/?view=audience&room=${room}&relay=${encodeURIComponent(relay.wsUrl)}&tiles=64`);
    expect((await sync(audience)).credential).toBeNull();
    expect(await leaks(audience, seed)).toEqual([]);
    expect(await leaks(audience, relay.secret)).toEqual([]);
    await page.close();
    await audience.close();
  });

  it('when sessionStorage is refused, the secret is kept in the page only and one notice says so', async () => {
    const c = await context();
    await c.addInitScript(() => {
      Object.defineProperty(window, 'sessionStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    const { page } = await open(c, `/${viewParams()}#pass=${relay.secret}`);
    await waitSync(page, "s.link === 'connected' && s.sent > 2 && s.credential === 'password'");
    expect(page.url()).not.toContain(relay.secret);
    await page.getByTestId('credential-storage').waitFor({ state: 'visible' });
    expect(await page.getByTestId('credential-storage').count()).toBe(1);
    expect(await page.getByTestId('credential-storage').textContent()).toMatch(/kept in this page only/);
    await page.close();
  });
});

describe('a rotated secret', () => {
  it("signs the performer's page out; it asks for the new one, signs in with it, and the audience device is never disconnected", async () => {
    const secretBefore = relay.secret;
    const { page: performer } = await open(await context(), `/${viewParams()}#pass=${secretBefore}`);
    const { page: audience } = await open(await context(), `/?view=audience&room=${room}&relay=${encodeURIComponent(relay.wsUrl)}&tiles=64`);
    await waitSync(performer, "s.link === 'connected' && s.refused === null");
    await waitSync(audience, "s.link === 'connected' && s.seq > 0");
    const audienceBefore = await sync(audience);
    expect(await performer.getByTestId('credential-form').count()).toBe(0);

    const rotated = `sRotated${Date.now()}abcdefghijkl`;
    await relay.rotate({ secret: rotated });
    await waitSync(performer, "s.link !== 'connected' && /Authorization Violation/.test(s.refused ?? '')");
    const form = performer.getByTestId('credential-form');
    await form.waitFor({ state: 'visible' });
    await form.getByLabel(/performer secret/).fill(rotated);
    await form.getByRole('button', { name: 'sign in' }).click();
    await waitSync(performer, "s.link === 'connected' && s.refused === null");
    await form.waitFor({ state: 'detached' });
    expect(await leaks(performer, rotated)).toEqual([]);
    expect(await performer.evaluate((k) => sessionStorage.getItem(k), `dreamscape.credential.${room}`)).toContain(rotated);
    // the performer's states reach the audience again, which never lost its link
    const seq = (await sync(performer)).sent ?? 0;
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.91 }));
    await audience.waitForFunction(() => Math.abs(window.dreamscape.state().unity - 0.91) < 0.02, undefined, { timeout: 10_000 });
    const audienceAfter = await sync(audience);
    expect(audienceAfter.connects).toBe(audienceBefore.connects);
    expect(audienceAfter.link).toBe('connected');
    expect(seq).toBeGreaterThan(0);
    // and a reload of the performer's tab signs in with the rotated secret
    await performer.reload();
    await ready(performer);
    await waitSync(performer, "s.link === 'connected' && s.sent > 2");
    await performer.waitForTimeout(500);
    expect((await sync(performer)).refused).toBeNull();
  });
});
