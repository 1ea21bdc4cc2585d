import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync, readdirSync } from 'node:fs';
import { launch, openView, baseUrl } from './browser.ts';

const dist = new URL('../../.artifacts/test-dist/', import.meta.url);
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('what loaded files may do', () => {
  it('the built bundle calls neither eval nor new Function', () => {
    const files = readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const js = readFileSync(new URL(`assets/${f}`, dist), 'utf8');
      expect(js.match(/\bnew Function\s*\(/g) ?? [], f).toEqual([]);
      expect(js.match(/(?<![\w.$])eval\s*\(/g) ?? [], f).toEqual([]);
      // zod keeps a `new F(...)` code generator (F = Function) in the bundle; it is switched off
      // (z.config({jitless: true})), and the CSP test below fails if anything tries eval at run time.
    }
  });

  it('the page carries a Content-Security-Policy, breaks none of it, and loads nothing from elsewhere', async () => {
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    await context.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    for (const view of ['performer', 'audience']) {
      const { page, errors } = await openView(context, { view, room: `csp-${view}` });
      const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('unsafe-eval');
      await page.evaluate(() => window.dreamscape.dispatch({ type: 'glitch', amount: 0.5 }));
      await page.waitForTimeout(1500);
      expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
    const origin = new URL(baseUrl()).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
    await context.close();
  });
});

describe('offline', () => {
  it('once served, the show starts again with the network gone', async () => {
    const context = await browser.newContext();
    const { page } = await openView(context, { view: 'audience', room: 'offline' });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // let the worker take control of this page, then cut the network
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
    await context.setOffline(true);
    await page.goto(`${baseUrl()}/?view=audience&preset=dream-hub&room=offline`);
    await page.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.dreamscape.state().preset)).toBe('dream-hub');
    await context.close();
  });
});
