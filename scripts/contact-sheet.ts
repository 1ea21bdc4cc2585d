/**
 * The README's contact sheet: each bundled preset at its setting (first act), its climax (third
 * act) and its resolution (last act), drawn as a replay of the preset sought to that moment at 640x360
 * (the canvas's own pixels, no panels), saved as docs/screenshots/worlds/<preset>-<moment>.jpg, and at 390x844
 * (a phone held upright) as <preset>-<moment>-portrait.jpg. Serves a built app (default dist/).
 *
 *   npm run build && npm run contact-sheet
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { dreamPicture } from './lib/dream-picture.ts';
import type { Picture } from './lib/png.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    out: { type: 'string', default: 'docs/screenshots/worlds' },
    presets: { type: 'string', default: 'dream-temple,sleep-square,dream-hub,dreamscape-lounge,collective-dreamscaping-hour' },
    'landscape-only': { type: 'boolean', default: false },
  },
});

/** [name, act (negative: from the end), seconds into it]. */
export const MOMENTS: [string, number, number][] = [
  ['setting', 0, 40],
  ['climax', 2, 30],
  ['resolution', -1, 30],
];

const shoot = async (page: Page, preset: { acts?: unknown[] }, act: number, seconds: number): Promise<Buffer> => {
  const count = preset.acts?.length ?? 1;
  const to = act < 0 ? count + act : Math.min(act, count - 1);
  // The show from its start, moved to that act at once and drawn `seconds` into it.
  const picture = await dreamPicture(page, preset, 1 + seconds, to > 0 ? [{ at: 1, action: { type: 'act', to } }] : []);
  return asJpeg(page, picture);
};

/** The picture as a JPEG (quality 0.88), encoded by the page's own canvas: a PNG of a dream is ten times the size. */
const asJpeg = async (page: Page, { width, height, rgba }: Picture): Promise<Buffer> => {
  const b64 = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength).toString('base64');
  const url = await page.evaluate<string>(`(() => {
    const bin = atob(${JSON.stringify(b64)});
    const data = new Uint8ClampedArray(bin.length);
    for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
    const canvas = document.createElement('canvas');
    canvas.width = ${width};
    canvas.height = ${height};
    canvas.getContext('2d').putImageData(new ImageData(data, ${width}, ${height}), 0, 0);
    return canvas.toDataURL('image/jpeg', 0.88);
  })()`);
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
};

const main = async () => {
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const server = await preview({ root: process.cwd(), logLevel: 'warn', build: { outDir: values.dist }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const browser = await launchChromium();
  try {
    const sizes: [string, number, number][] = [['', 640, 360], ...(!values['landscape-only'] ? ([['-portrait', 390, 844]] as [string, number, number][]) : [])];
    for (const [suffix, width, height] of sizes) {
      const context = await browser.newContext({ deviceScaleFactor: 1, viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(`${url}?room=contact-sheet`);
      await page.waitForFunction(() => (window.dreamscape?.stats as (() => { ready: boolean }) | undefined)?.().ready === true, undefined, { timeout: 60_000 });
      for (const id of values.presets.split(',')) {
        const preset = JSON.parse(readFileSync(`presets/${id}.json`, 'utf8')) as { acts?: unknown[] };
        for (const [moment, act, seconds] of MOMENTS) {
          writeFileSync(`${out}/${id}-${moment}${suffix}.jpg`, await shoot(page, preset, act, seconds));
          console.log(`${id} ${moment}${suffix}`);
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
};

await main();
