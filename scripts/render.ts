// npm run render -- <show.json | preset-id> --out FILE [--seconds S] [--size WxH] [--fps N]
//   [--from S --to S] [--quality low|medium|high] [--no-audio] [--private]
// Renders a show log (or a bundled preset playing by itself) to .mp4, .webm or .wav: builds the app
// if needed, serves the build on 127.0.0.1, drives headless Chromium (scripts/chromium.ts) and calls
// dreamscape.renderVideo there; the file streams to disk as it is made (each chunk written at its
// byte position into FILE.part, renamed to FILE when done; deleted on any failure).
// Exit codes: 0 done; 2 bad arguments; 3 missing or bad log (its problems, with paths);
// 4 the output path cannot be written; 5 a codec or size the browser cannot encode; 1 anything else;
// 130 interrupted.
import { build, preview } from 'vite';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { logDuration, validateShowLogText } from '../src/model/index.ts';
import { checkRenderOptions, clockText, formatOfFile, parseSize, QUALITIES, RenderOptionsError } from '../src/outputs/video/options.ts';
import type { RenderProgress, RenderQuality, RenderVideoOptions } from '../src/outputs/video/options.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** DREAMSCAPE_RENDER_DIST: where the build for renders lives (rebuilt when the sources are newer). */
const outDir = process.env.DREAMSCAPE_RENDER_DIST ?? join(root, '.artifacts/render-dist');

export const EXIT = { ok: 0, failed: 1, usage: 2, badLog: 3, unwritable: 4, codec: 5, interrupted: 130 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const USAGE = 'usage: npm run render -- <show.json | preset-id> --out FILE(.mp4|.webm|.wav) [--seconds S] [--size WxH] [--fps N] [--from S --to S] [--quality low|medium|high] [--no-audio] [--private]';

interface Args {
  input: string;
  out: string;
  options: Omit<RenderVideoOptions, 'log' | 'preset'>;
}

const number = (flag: string, v: string | undefined): number => {
  const n = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(n)) throw new CliError(`${flag} needs a number, got ${v ?? 'nothing'}\n${USAGE}`, EXIT.usage);
  return n;
};

/** The command line, checked (exit 2 on anything wrong). */
export const parseArgs = (argv: string[]): Args => {
  const rest = [...argv];
  let input: string | undefined;
  let out: string | undefined;
  const o: Record<string, unknown> = {};
  while (rest.length) {
    const a = rest.shift()!;
    const value = () => rest.shift();
    if (a === '--out') out = value();
    else if (a === '--seconds') o.seconds = number(a, value());
    else if (a === '--from') o.from = number(a, value());
    else if (a === '--to') o.to = number(a, value());
    else if (a === '--fps') o.fps = number(a, value());
    else if (a === '--size') {
      const s = parseSize(value() ?? '');
      if (!s) throw new CliError(`--size needs WxH (e.g. 1280x720)\n${USAGE}`, EXIT.usage);
      Object.assign(o, s);
    } else if (a === '--quality') {
      const q = value();
      if (!QUALITIES.includes(q as RenderQuality)) throw new CliError(`--quality is one of ${QUALITIES.join(', ')}, got ${q ?? 'nothing'}`, EXIT.usage);
      o.quality = q;
    } else if (a === '--no-audio') o.audio = false;
    else if (a === '--private') o.private = true;
    else if (a.startsWith('--')) throw new CliError(`unknown option ${a}\n${USAGE}`, EXIT.usage);
    else if (input === undefined) input = a;
    else throw new CliError(`one show at a time (got ${input} and ${a})\n${USAGE}`, EXIT.usage);
  }
  if (!input) throw new CliError(`which show? give a show log (.json) or a preset id\n${USAGE}`, EXIT.usage);
  if (!out) throw new CliError(`--out FILE is needed\n${USAGE}`, EXIT.usage);
  const format = formatOfFile(out);
  if (!format) throw new CliError(`--out ${out}: the file's extension chooses the format: .mp4, .webm or .wav`, EXIT.usage);
  return { input, out: resolve(out), options: { ...(o as Partial<RenderVideoOptions>), format } };
};

/** The show: a log file (checked here, with its problems' paths) or a bundled preset's id. */
export const readShow = (input: string): { log?: unknown; preset?: string; duration: number | null } => {
  if (existsSync(input) && statSync(input).isFile()) {
    const text = readFileSync(input, 'utf8');
    const r = validateShowLogText(text);
    if (!r.ok) throw new CliError(`${input}: not a show log dreamscape can play, ${r.problems.length} problem(s):\n${r.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, EXIT.badLog);
    return { log: r.log, duration: logDuration(r.log) };
  }
  const presets = readdirSync(join(root, 'presets')).filter((f) => f.endsWith('.json') && f !== 'schema.json').map((f) => f.slice(0, -5));
  if (presets.includes(input)) return { preset: input, duration: null };
  throw new CliError(`${input}: no such show log file, and not a bundled preset (${presets.join(', ')})`, EXIT.badLog);
};

/** FILE.part, opened now: an unwritable path fails before any work. */
const openOut = (out: string): { fd: number; part: string } => {
  const part = `${out}.part`;
  try {
    if (!existsSync(dirname(out))) throw new Error(`the folder ${dirname(out)} does not exist`);
    return { fd: openSync(part, 'w'), part };
  } catch (e) {
    throw new CliError(`cannot write ${out}: ${e instanceof Error ? e.message : String(e)}`, EXIT.unwritable);
  }
};

const newest = (path: string): number => {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), s.mtimeMs);
};

/** Build into outDir unless its index.html is newer than every source. */
const buildIfNeeded = async (): Promise<void> => {
  const built = join(outDir, 'index.html');
  const sources = ['src', 'presets', 'shaders', 'index.html', 'package-lock.json', 'vite.config.ts'].map((p) => newest(join(root, p)));
  if (existsSync(built) && statSync(built).mtimeMs > Math.max(...sources)) return;
  process.stderr.write(`building the app into ${outDir} ...\n`);
  mkdirSync(outDir, { recursive: true });
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
};

const bar = (p: RenderProgress, started: number): string => {
  const done = p.totalFrames ? p.frames / p.totalFrames : 0;
  const width = 28;
  const filled = Math.round(done * width);
  const wall = (Date.now() - started) / 1000;
  const left = p.frames > 0 ? (wall / p.frames) * (p.totalFrames - p.frames) : NaN;
  const what = p.stage === 'audio' ? 'rendering the symphony' : p.stage === 'finishing' ? 'finishing the file' : `${p.fps.toFixed(1)} frames/s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)}% ${p.frames}/${p.totalFrames} frames, ${what}, ${(p.bytes / 1e6).toFixed(1)} MB, ${clockText(left)} left`;
};

const progressPrinter = () => {
  const started = Date.now();
  let lastLine = 0;
  let lastTenth = -1;
  return (p: RenderProgress) => {
    if (process.stderr.isTTY) {
      if (Date.now() - lastLine < 200 && p.stage === 'video') return;
      lastLine = Date.now();
      process.stderr.write(`\r${bar(p, started)}\x1b[K`);
    } else {
      const tenth = Math.floor((p.frames / Math.max(1, p.totalFrames)) * 10);
      if (tenth === lastTenth && p.stage !== 'finishing') return;
      lastTenth = tenth;
      process.stderr.write(`${bar(p, started)}\n`);
    }
  };
};

type RenderSummary = { frames: number; seconds: number; bytes: number; codecs: { video: string | null; audio: string | null }; width: number; height: number; fps: number; renderSeconds: number; framesPerSecond: number };

/** In the page: render, each chunk of the file going out through the exposed __renderWrite. */
const renderInPage = (page: Page, show: { log?: unknown; preset?: string }, options: Args['options']): Promise<RenderSummary> =>
  page.evaluate(
    async ({ show, options }) => {
      const w = window as unknown as { __renderWrite: (p: number, b64: string) => Promise<void>; __renderProgress: (p: unknown) => void };
      const toBase64 = (data: Uint8Array) => {
        let bin = '';
        for (let i = 0; i < data.length; i += 8192) bin += String.fromCharCode(...data.subarray(i, i + 8192));
        return btoa(bin);
      };
      const r = await window.dreamscape.renderVideo!({ ...show, ...options, onProgress: (p) => w.__renderProgress(p) }, { write: (position, data) => w.__renderWrite(position, toBase64(data)) });
      return { frames: r.frames, seconds: r.seconds, bytes: r.bytes, codecs: r.codecs, width: r.width, height: r.height, fps: r.fps, renderSeconds: r.renderSeconds, framesPerSecond: r.framesPerSecond };
    },
    { show, options },
  );

/** The page's error, as the exit code it stands for. */
export const pageFailure = (e: unknown): CliError => {
  const message = (e instanceof Error ? e.message : String(e)).replace(/^page\.evaluate: (Error: )?/, '').split('\n    at ')[0]!;
  if (/RenderCodecError|cannot encode|encodes neither|no WebCodecs/.test(message)) return new CliError(message.replace(/^RenderCodecError: /, ''), EXIT.codec);
  if (/ShowLogProblemsError/.test(message)) return new CliError(message, EXIT.badLog);
  if (/RenderOptionsError|renderVideo: (width|height|fps|format|quality|from|to|seconds|give|nothing|at most)/.test(message)) return new CliError(message, EXIT.usage);
  return new CliError(`the render failed: ${message}`, EXIT.failed);
};

const run = async (argv: string[]): Promise<void> => {
  const args = parseArgs(argv);
  const show = readShow(args.input);
  try {
    checkRenderOptions(args.options, show.duration);
  } catch (e) {
    if (e instanceof RenderOptionsError) throw new CliError(e.message, EXIT.usage);
    throw e;
  }
  const { fd, part } = openOut(args.out);
  let done = false;
  const cleanUp = () => {
    closeSync(fd);
    if (!done) rmSync(part, { force: true });
  };
  process.once('SIGINT', () => {
    cleanUp();
    process.stderr.write('\ninterrupted: no file was made\n');
    process.exit(EXIT.interrupted);
  });
  try {
    await buildIfNeeded();
    const summary = await renderWithBrowser(show, args.options, fd);
    process.stderr.write('\n');
    done = true;
    closeSync(fd);
    renameSync(part, args.out);
    console.log(`${args.out}: ${summary.frames ? `${summary.frames} frames, ${summary.width}x${summary.height} at ${summary.fps} fps, ` : ''}${summary.seconds.toFixed(2)} s, ${(summary.bytes / 1e6).toFixed(2)} MB (${[summary.codecs.video, summary.codecs.audio].filter(Boolean).join(' + ')}), rendered in ${summary.renderSeconds.toFixed(1)} s${summary.frames ? ` (${summary.framesPerSecond.toFixed(1)} frames/s)` : ''}`);
  } finally {
    if (!done) cleanUp();
  }
};

const renderWithBrowser = async (show: { log?: unknown; preset?: string }, options: Args['options'], fd: number): Promise<RenderSummary> => {
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 320, height: 180 }, deviceScaleFactor: 1 });
    // tsx/esbuild keepNames wraps named functions in __name(), which the page does not have.
    await context.addInitScript(() => ((window as unknown as { __name: unknown }).__name = (f: unknown) => f));
    const page = await context.newPage();
    await page.exposeFunction('__renderWrite', (position: number, b64: string) => {
      const data = Buffer.from(b64, 'base64');
      writeSync(fd, data, 0, data.length, position);
    });
    await page.exposeFunction('__renderProgress', progressPrinter());
    const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
    await page.goto(`${base}/?view=performer&room=render-${process.pid}&quality=full`);
    await page.waitForFunction(() => typeof window.dreamscape?.renderVideo === 'function', undefined, { timeout: 60_000 });
    // The page's own live show is not what is rendered: paused, it draws nothing meanwhile.
    await page.evaluate(() => window.dreamscape.clock.pause());
    return await renderInPage(page, show, options).catch((e: unknown) => {
      throw pageFailure(e);
    });
  } finally {
    await browser.close();
    await server.close();
  }
};

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  run(process.argv.slice(2)).then(
    () => process.exit(EXIT.ok),
    (e: unknown) => {
      process.stderr.write(`\nrender: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(e instanceof CliError ? e.code : EXIT.failed);
    },
  );
}
