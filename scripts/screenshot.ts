/**
 * Screenshots of the views, to look at: builds nothing, serves a built app (default dist/, or
 * --dist DIR) on 127.0.0.1, opens each preset in the audience view (and the performer view once),
 * pauses the dream clock at --at seconds and saves PNGs to --out (default .artifacts/shots).
 * `--fracture` also saves each preset mid-fracture and glitch.
 *
 *   npm run build && npx tsx scripts/screenshot.ts --at 20 --fracture [--wait 20]
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { launchChromium } from './chromium.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    out: { type: 'string', default: '.artifacts/shots' },
    at: { type: 'string', default: '12' },
    presets: { type: 'string', default: 'dream-temple,dream-hub,sleep-square,dreamscape-lounge,collective-dreamscaping-hour' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '720' },
    fracture: { type: 'boolean', default: false },
    // Seconds to let each page run first: long enough, and adaptive quality shows what a slow
    // machine's audience sees (software WebGL here: pixel ratio 0.5, reduced detail after ~15 s).
    // The dream runs meanwhile: keep --at beyond it (the clock only steps forward).
    wait: { type: 'string', default: '0' },
  },
});
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
const server = await preview({ root: process.cwd(), logLevel: 'warn', build: { outDir: values.dist }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
const url = server.resolvedUrls?.local[0];
if (!url) throw new Error('vite preview did not report a URL');
const browser = await launchChromium();
const context = await browser.newContext({ deviceScaleFactor: 1, viewport: { width: Number(values.width), height: Number(values.height) } });
await context.addInitScript(() => ((window as unknown as { __name: unknown }).__name = (f: unknown) => f));

const settle = async (page: import('playwright-core').Page, at: number) => {
  await page.waitForFunction(() => typeof window.dreamscape?.stats === 'function' && (window.dreamscape.stats as () => { ready: boolean })().ready, undefined, { timeout: 60_000 });
  await page.waitForTimeout(Number(values.wait) * 1000);
  await page.evaluate((t) => {
    const d = window.dreamscape;
    d.clock.pause();
    d.clock.step(Math.max(0, t - d.clock.time()));
  }, at);
  await page.waitForTimeout(1500);
};

const presets = values.presets.split(',');
const at = Number(values.at);
if (Number(values.wait) >= at) console.warn(`--wait ${values.wait} is not before --at ${at}: the shots are taken where the dream has got to`);
for (const preset of presets) {
  const page = await context.newPage();
  await page.goto(`${url}?view=audience&preset=${preset}&room=shot-${preset}`);
  await settle(page, at);
  await page.screenshot({ path: `${out}/audience-${preset}.png` });
  if (values.fracture) {
    await page.evaluate(() => {
      window.dreamscape.dispatch({ type: 'fracture', amount: 0.8 });
      window.dreamscape.dispatch({ type: 'glitch', amount: 0.7 });
      window.dreamscape.clock.step(1.2);
    });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${out}/audience-${preset}-fracture.png` });
  }
  const shown = await page.evaluate(() => { const s = (window.dreamscape.stats as () => unknown)() as { pixelRatio: number; detail: string }; return `pixel ratio ${s.pixelRatio}, ${s.detail} detail`; });
  console.log(`${preset}: ${out}/audience-${preset}.png (${shown})`);
  await page.close();
}
const page = await context.newPage();
await page.goto(`${url}?view=performer&preset=${presets[0]}&room=shot-performer`);
await settle(page, at);
await page.screenshot({ path: `${out}/performer-${presets[0]}.png` });
console.log(`performer: ${out}/performer-${presets[0]}.png`);
await browser.close();
await server.close();
