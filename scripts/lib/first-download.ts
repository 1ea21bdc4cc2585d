/**
 * What a view downloads in its first seconds: every JavaScript file a fresh browser context
 * receives for it (the entry script, its modulepreloads, dynamic imports, whatever is preloaded
 * at idle), each counted once at the gzip size of the built file (the served bytes gzipped as
 * the bench does: gzipSync's default level). Used by `npm run bench` and by
 * tests/browser/first-download.test.ts.
 *
 * The service worker (src/app/offline.ts) precaches the whole build on a first visit; its
 * requests are listed apart (`precached`), not in `files`: they are the offline copy, fetched
 * after the page's own, not what the view runs.
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
  /** When its response arrived, ms after the navigation started. */
  atMs: number;
  /** How it was fetched: the page's entry script, a modulepreload in the page, a dynamic import (with the preloads Vite adds for it), or the service worker's precache. */
  kind: 'entry' | 'modulepreload' | 'dynamic import' | 'precache';
}

export interface FirstDownload {
  /** The JS the page itself fetched in the window, in the order it arrived. */
  files: FetchedJs[];
  /** Their gzip sizes summed, KB (1024 bytes). */
  kb: number;
  /** JS the service worker fetched in the window to precache it (not in `kb`). */
  precached: FetchedJs[];
  precachedKb: number;
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
  const page: FetchedJs[] = [];
  const worker: FetchedJs[] = [];
  let t0 = 0;
  const onResponse = (response: Response) => {
    const atMs = performance.now() - t0;
    const url = new URL(response.url());
    if (url.origin !== origin || !url.pathname.endsWith('.js') || !response.ok()) return;
    const file = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const fromWorker = response.request().serviceWorker() !== null;
    const list = fromWorker ? worker : page;
    if (list.some((f) => f.file === file)) return;
    list.push({ file, gzip: gzipOf(file), atMs, kind: fromWorker ? 'precache' : kindOf(file) });
  };
  context.on('response', onResponse);
  try {
    const tab = await context.newPage();
    const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    t0 = performance.now();
    await tab.goto(`${base}/?${q}`, { waitUntil: 'commit' });
    await tab.waitForTimeout(Math.max(0, seconds * 1000 - (performance.now() - t0)));
    context.off('response', onResponse);
  } finally {
    await context.close();
  }
  return { files: page, kb: kib(page), precached: worker, precachedKb: kib(worker) };
};

/** One line per file: `assets/index-….js 384.1 KB (script, 120 ms)`. */
export const describeFiles = (list: FetchedJs[]): string[] => list.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB (${f.kind}, ${Math.round(f.atMs)} ms)`);
