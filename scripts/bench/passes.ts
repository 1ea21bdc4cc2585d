// npx tsx scripts/bench/passes.ts [--dist DIR] [--tiles 1024,4096] [--wait 20]
// Where a frame's time goes under software WebGL, draw call by draw call. Serves a built app
// (default .artifacts/bench-dist, which `npm run bench` leaves), lets adaptive quality settle for
// --wait seconds, pauses the dream clock, then times a synchronous frame (clock.step, then a
// 1-pixel readPixels, which waits for the GPU process to finish it) with each draw call left out
// in turn; the difference from the whole frame is what that call costs. Medians of 7 rounds,
// interleaved so a busy machine slows every case alike. The whole frame here excludes the
// browser's compositing, which the bare reference frame of `npm run bench` includes.
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { launchChromium } from '../chromium.ts';

const { values } = parseArgs({ options: { dist: { type: 'string', default: '.artifacts/bench-dist' }, tiles: { type: 'string', default: '1024,4096' }, wait: { type: 'string', default: '20' } } });
const server = await preview({ root: process.cwd(), logLevel: 'warn', build: { outDir: values.dist }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
const base = server.resolvedUrls!.local[0]!;
const browser = await launchChromium();
/** What each draw call of a frame is (src/scene/post/dream-post.ts). */
const NAMES_BY_COUNT: Record<number, string[]> = {
  // full detail
  10: ['sky (1/4 size)', 'stars', 'mosaic', 'threads', 'bloom down 1/4', 'bloom down 1/8', 'bloom down 1/16', 'bloom up 1/8', 'bloom up 1/4', 'composite'],
  // reduced detail, the mosaic moving (drawn as geometry)
  5: ['sky (1/4 size)', 'stars', 'mosaic', 'threads', 'composite'],
  // reduced detail, the mosaic at rest: a slice of its tiles into its picture, then the picture
  6: ['mosaic: a slice of the tiles into its picture', 'sky (1/4 size)', 'stars', 'mosaic: its picture', 'threads', 'composite'],
};
try {
  for (const tiles of values.tiles.split(',').map(Number)) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript('window.__name = (f) => f;');
    await context.addInitScript(() => {
      const w = window as unknown as { __skip: number; __n: number };
      w.__skip = -1;
      w.__n = 0;
      const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const name of ['drawArrays', 'drawElements']) {
        const original = proto[name]!;
        proto[name] = function (this: unknown, ...a: unknown[]) {
          return w.__n++ === w.__skip ? undefined : original.apply(this, a);
        };
      }
    });
    const page = await context.newPage();
    await page.goto(`${base}?view=audience&preset=dream-temple&tiles=${tiles}&room=passes-${tiles}`);
    await page.waitForFunction(() => typeof window.dreamscape?.stats === 'function' && (window.dreamscape.stats as () => { ready: boolean })().ready, undefined, { timeout: 60_000 });
    await page.waitForTimeout(Number(values.wait) * 1000);
    const res = await page.evaluate(() => {
      const d = window.dreamscape;
      d.clock.pause();
      const w = window as unknown as { __skip: number; __n: number };
      const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
      const px = new Uint8Array(4);
      const time = (skip: number) => {
        w.__skip = skip;
        w.__n = 0;
        const t = performance.now();
        d.clock.step(0.001);
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        return performance.now() - t;
      };
      for (let i = 0; i < 3; i++) time(-1);
      const draws = w.__n;
      const runs: number[][] = Array.from({ length: draws + 1 }, () => []);
      for (let r = 0; r < 7; r++) for (let s = -1; s < draws; s++) runs[s + 1]!.push(time(s));
      const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
      return { draws, buffer: `${gl.drawingBufferWidth}x${gl.drawingBufferHeight}`, whole: med(runs[0]!), without: runs.slice(1).map(med) };
    });
    console.log(`dream-temple @ ${tiles} tiles, drawing buffer ${res.buffer}: whole frame ${res.whole.toFixed(1)} ms (${res.draws} draw calls)`);
    res.without.forEach((t, i) => console.log(`  ${(NAMES_BY_COUNT[res.draws]?.[i] ?? `draw ${i}`).padEnd(42)} ${(res.whole - t).toFixed(1).padStart(6)} ms`));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
