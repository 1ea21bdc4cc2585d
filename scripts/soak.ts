// npm run soak -- --minutes N [--json FILE]
// Plays a show in headless Chromium: acts auto-advancing, a seeded random live action every few
// seconds, a preset morph now and then, music playing. Every 10 s it samples the JS heap (after
// a forced garbage collection), renderer.info (geometries, textures, programs) and the number of
// live audio nodes. The comparison is between two settled samples taken the same way: at the end
// of the warm-up and at the end of the show, the same preset is loaded (no morph), its first act,
// and the show is left alone for SETTLE_MS, so no morph, retired voice or preset-sized graph
// is in either. It fails when the last exceeds the first by more than 20% (integer counts get a
// slack of one), or on any page error. The samples between are printed for the record.
import { build, preview } from 'vite';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.ts';
import type { CDPSession, Page } from 'playwright-core';
import { mulberry32 } from '../src/model/random.ts';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const minutes = Number(arg('--minutes') ?? 2);
const jsonFile = arg('--json');
if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) {
  console.error(`--minutes must be a number of minutes above 0, got ${String(arg('--minutes'))}`);
  process.exit(2);
}
const SAMPLE_MS = 10_000;
const WARMUP_MS = Math.min(60_000, (minutes * 60_000) / 4);
const ACTION_MS = 3_000;
const MORPH_EVERY = 12; // actions
/** Quiet time before a settled sample: a morph (6 s) and the retired voices' release. */
const SETTLE_MS = 10_000;
/** The preset both settled samples are taken on. */
const SETTLE_PRESET = 'dream-temple';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../.artifacts/soak-dist', import.meta.url));

interface Sample {
  t: number;
  heapMB: number;
  geometries: number;
  textures: number;
  programs: number;
  /** Shader variants the layers made so far: a world's kinds compile on first use (a bounded set). */
  variants: number;
  /** Live audio nodes the engine keeps (voices, effects, bus); notes in flight come and go. */
  audioNodes: number;
  notesInFlight: number;
  fps: number;
  act: number;
  preset: string;
}

/** A sample of the page after a garbage collection: heap, renderer memory, audio nodes, fps, where the show is. */
const sampleOf = async (page: Page, cdp: CDPSession, t: number): Promise<Sample> => {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const s = await page.evaluate(() => {
    const st = (window.dreamscape.stats as () => { geometries: number; textures: number; programs: number; variants: number; fps: number })();
    const sym = window.dreamscape.symphony as undefined | { nodes(): { persistent: number; notes: number } | null };
    const n = sym?.nodes();
    const state = window.dreamscape.state();
    return { ...st, audioNodes: n?.persistent ?? -1, notesInFlight: n?.notes ?? -1, act: state.act.index, preset: state.preset };
  });
  return { t, heapMB: heap.usedSize / 2 ** 20, geometries: s.geometries, textures: s.textures, programs: s.programs, variants: s.variants, audioNodes: s.audioNodes, notesInFlight: s.notesInFlight, fps: s.fps, act: s.act, preset: s.preset };
};

/** The next thing the soak does: a morph every MORPH_EVERY actions, else a seeded choice of live actions. */
const randomAction = (rand: () => number, n: number, presets: string[]) => {
  const r = rand();
  return n % MORPH_EVERY === 0
    ? { kind: 'morph', preset: presets[Math.floor(rand() * presets.length)]! }
    : r < 0.25
      ? { kind: 'dispatch', action: { type: 'fracture' } }
      : r < 0.5
        ? { kind: 'dispatch', action: { type: 'glitch' } }
        : r < 0.75
          ? { kind: 'dispatch', action: { type: 'restabilize', seconds: 1 + rand() * 5 } }
          : r < 0.85
            ? { kind: 'dispatch', action: { type: 'act', to: 'next' } }
            : { kind: 'dispatch', action: { type: 'set', path: 'unity', value: rand(), seconds: 2 } };
};

const row = (s: Sample) =>
  `${String(s.t).padStart(7)} ${s.heapMB.toFixed(1).padStart(8)} ${String(s.geometries).padStart(4)} ${String(s.textures).padStart(4)} ${String(s.programs).padStart(5)} ${`${s.audioNodes} (+${s.notesInFlight})`.padStart(20)} ${s.fps.toFixed(0).padStart(4)} ${String(s.act).padStart(4)} ${s.preset}`;

/** What grew by more than 20 % between the settled samples after warm-up and at the end. */
const growth = (first: Sample | undefined, last: Sample | undefined): string[] => {
  if (!first || !last) return ['no settled sample after warm-up: run longer'];
  const problems: string[] = [];
  const grew = (name: keyof Sample, slack: number) => {
    const a = first[name] as number;
    const b = last[name] as number;
    if (b > a * 1.2 + slack) problems.push(`${name} grew from ${a.toFixed(2)} to ${b.toFixed(2)} (more than 20%)`);
  };
  grew('heapMB', 0);
  grew('geometries', 1);
  grew('textures', 1);
  // Programs beyond the variants the worlds made on first use (those are a bounded set, kept).
  const leaked = (s: Sample) => s.programs - s.variants;
  if (leaked(last) > leaked(first) + 1) problems.push(`programs grew from ${first.programs} to ${last.programs} with ${last.variants - first.variants} new world variants: ${leaked(last) - leaked(first)} unexplained`);
  grew('audioNodes', 1);
  return problems;
};

const main = async () => {
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
  const browser = await launchChromium();
  const errors: string[] = [];
  const samples: Sample[] = [];
  let baseline: Sample | undefined;
  let final: Sample | undefined;
  const rand = mulberry32(20261123);
  try {
    const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
    // tsx's keepNames wraps functions in __name(), which the page does not have
    await context.addInitScript('window.__name = (f) => f;');
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    const cdp = await context.newCDPSession(page);
    await page.goto(`${base}/?view=performer&room=soak&tiles=4096`);
    await page.waitForFunction(() => typeof window.dreamscape?.stats === 'function', undefined, { timeout: 60_000 });
    // enter the dream (the music), as a performer would
    await page.evaluate(async () => {
      const s = window.dreamscape.symphony as undefined | { enter(): Promise<unknown> };
      await s?.enter();
    });

    const sample = (t: number) => sampleOf(page, cdp, t);

    const presets = await page.evaluate(() => window.dreamscape.presets());
    const settled = async (label: string) => {
      await page.evaluate(async (id) => {
        await window.dreamscape.loadPreset(id);
        window.dreamscape.dispatch({ type: 'restabilize', seconds: 1 });
      }, SETTLE_PRESET);
      await page.waitForTimeout(SETTLE_MS);
      const s = await sample(Math.round((Date.now() - start) / 1000));
      console.log(`${label}: heap ${s.heapMB.toFixed(2)} MB, geometries ${s.geometries}, textures ${s.textures}, programs ${s.programs} (${s.variants} world variants made), audio nodes ${s.audioNodes} (${s.preset}, act ${s.act})`);
      return s;
    };
    const start = Date.now();
    const end = start + minutes * 60_000;
    let nextSample = start + SAMPLE_MS;
    let n = 0;
    console.log('   t(s)  heap MB  geo  tex  prog  audio nodes (+notes)  fps  act preset');
    while (Date.now() < end) {
      if (!baseline && Date.now() - start >= WARMUP_MS) baseline = await settled('settled after warm-up');
      n++;
      const action = randomAction(rand, n, presets);
      await page.evaluate(async (a) => {
        if (a.kind === 'morph') await window.dreamscape.loadPreset(a.preset!, { morphSeconds: 6 });
        else window.dreamscape.dispatch(a.action);
      }, action);
      await page.waitForTimeout(ACTION_MS);
      if (Date.now() >= nextSample) {
        const s = await sample(Math.round((Date.now() - start) / 1000));
        samples.push(s);
        nextSample += SAMPLE_MS;
        console.log(row(s));
      }
    }
    final = await settled('settled at the end');
  } finally {
    await browser.close();
    await server.close();
  }

  const problems: string[] = [...errors, ...growth(baseline, final)];
  const result = { minutes, samples, baseline, final, settleSeconds: SETTLE_MS / 1000, warmupSeconds: WARMUP_MS / 1000, problems, ok: problems.length === 0 };
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  if (problems.length) {
    console.error(`soak FAILED:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`soak passed: ${samples.length} samples over ${minutes} min; settled after warm-up and at the end, nothing grew past 20%; no page errors`);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
