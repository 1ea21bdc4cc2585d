/**
 * What a view downloads in its first seconds: every JavaScript file of the page's origin that a
 * fresh browser context receives in that time, whoever asked for it: the page (its entry script,
 * modulepreloads, dynamic imports, whatever it preloads at idle) or the service worker it
 * registers (src/app/offline.ts: on a first visit the worker installs in those same seconds and
 * precaches what it is built to). Each file is counted once, at the gzip size of the built file
 * (the served bytes gzipped as the bench does: gzipSync's default level). The worker's copy of a
 * file the page already has comes from the HTTP cache (no body on the wire) and is not counted
 * again; were it downloaded again, it would be (`alsoWorker.downloaded`). Used by
 * `npm run bench` and by tests/browser/first-download.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Response } from 'playwright-core';

export interface FetchedJs {
  /** The file's path in the build, e.g. assets/index-CfB7UZeV.js. */
  file: string;
  /** Its gzip size, bytes. */
  gzip: number;
  /** When its first response arrived, ms after the navigation started. */
  atMs: number;
  /** Who first fetched it: the page (its entry script, a modulepreload in the page, a dynamic import with the preloads Vite adds for it) or the service worker. */
  kind: 'entry' | 'modulepreload' | 'dynamic import' | 'service worker';
  /** The service worker fetched it too, after the page: counted again only if that copy came with a body (not from the HTTP cache). */
  alsoWorker?: { atMs: number; downloaded: boolean };
}

export interface FirstDownload {
  /** The JS of the page's origin fetched in the window, page and service worker, each file once, in the order it arrived. */
  files: FetchedJs[];
  /** Their gzip sizes summed (twice for a file the worker downloaded again), KB (1024 bytes). */
  kb: number;
  /** Of `kb`, the files only the service worker fetched, KB. */
  workerOnlyKb: number;
}

export interface FirstDownloadOptions {
  /** The served build's origin, e.g. http://127.0.0.1:4173. */
  base: string;
  /** The build's folder on disk (its files are gzipped for the sizes). */
  distDir: string;
  /** URL parameters; default the audience view. */
  params?: Record<string, string | number>;
  /** The window, s; default 5. */
  seconds?: number;
  /** Run in every page before its scripts (e.g. the bench's keepNames shim). */
  initScript?: string;
}

const kib = (list: FetchedJs[]) => list.reduce((a, f) => a + f.gzip, 0) / 1024;

/** Open the view in a new context (nothing cached) and list the JS it receives in its first seconds. */
export const measureFirstDownload = async (browser: Browser, options: FirstDownloadOptions): Promise<FirstDownload> => {
  const { base, distDir, params = { view: 'audience' }, seconds = 5 } = options;
  const origin = new URL(base).origin;
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  if (options.initScript) await context.addInitScript(options.initScript);
  // The page's own <script> and <link rel="modulepreload"> name the entry and its static chunks;
  // any other JS the page receives came from an import() (or a preload Vite issued for one).
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const inHtml = (file: string, tag: RegExp) => [...html.matchAll(tag)].some((m) => m[1] === `/${file}` || m[1] === `./${file}` || m[1] === file);
  const kindOf = (file: string): FetchedJs['kind'] =>
    inHtml(file, /<script[^>]*\ssrc="([^"]+)"/g) ? 'entry' : inHtml(file, /<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g) ? 'modulepreload' : 'dynamic import';
  const sizes = new Map<string, number>();
  const gzipOf = (file: string) => {
    let n = sizes.get(file);
    if (n === undefined) {
      n = gzipSync(readFileSync(join(distDir, file))).length;
      sizes.set(file, n);
    }
    return n;
  };
  const files: FetchedJs[] = [];
  const pending: Promise<void>[] = [];
  let t0 = 0;
  const onResponse = (response: Response) => {
    const atMs = performance.now() - t0;
    const url = new URL(response.url());
    // A 304 is the worker revalidating a file the page already has.
    if (url.origin !== origin || !url.pathname.endsWith('.js') || !(response.ok() || response.status() === 304)) return;
    const file = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const fromWorker = response.request().serviceWorker() !== null;
    const known = files.find((f) => f.file === file);
    if (known) {
      if (!fromWorker || known.kind === 'service worker' || known.alsoWorker) return;
      const copy = { atMs, downloaded: true };
      known.alsoWorker = copy;
      // Its body size on the wire: 0 when the worker's fetch was answered by the HTTP cache.
      pending.push(response.request().sizes().then((s) => void (copy.downloaded = s.responseBodySize > 0), () => undefined));
      return;
    }
    files.push({ file, gzip: gzipOf(file), atMs, kind: fromWorker ? 'service worker' : kindOf(file) });
  };
  context.on('response', onResponse);
  try {
    const tab = await context.newPage();
    const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    t0 = performance.now();
    await tab.goto(`${base}/?${q}`, { waitUntil: 'commit' });
    await tab.waitForTimeout(Math.max(0, seconds * 1000 - (performance.now() - t0)));
    context.off('response', onResponse);
    await Promise.all(pending);
  } finally {
    await context.close();
  }
  const again = files.filter((f) => f.alsoWorker?.downloaded);
  return { files, kb: kib(files) + kib(again), workerOnlyKb: kib(files.filter((f) => f.kind === 'service worker')) };
};

/** One line per file: `assets/index-….js 384.1 KB (entry, 120 ms; the service worker's copy at 900 ms, from the HTTP cache)`. */
export const describeFiles = (list: FetchedJs[]): string[] =>
  list.map((f) => {
    const copy = f.alsoWorker && (f.alsoWorker.downloaded ? 'downloaded again, counted twice' : 'from the HTTP cache');
    const worker = f.alsoWorker ? `; the service worker's copy at ${Math.round(f.alsoWorker.atMs)} ms, ${copy}` : '';
    return `${f.file} ${(f.gzip / 1024).toFixed(1)} KB (${f.kind}, ${Math.round(f.atMs)} ms${worker})`;
  });
