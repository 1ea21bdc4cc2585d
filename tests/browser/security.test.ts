import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openView, baseUrl } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('what loaded files may do', () => {
  it('the built bundle calls neither eval nor new Function', () => {
    // The build global-setup made (DREAMSCAPE_TEST_DIST or .artifacts/test-dist).
    const assets = join(inject('distDir'), 'assets');
    const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) {
      const js = readFileSync(join(assets, f), 'utf8');
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
