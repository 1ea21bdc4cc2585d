/**
 * The light effects of src/audio/nodes.ts against Tone's own, rendered offline in Chromium: the
 * same sound from fewer nodes. The fixture is bundled with esbuild into a blank page.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserPerFile } from './browser.ts';
import type { AudioNodeChecks } from './fixtures/audio-nodes.ts';

const shared = browserPerFile();
let page: Page;

beforeAll(async () => {
  const bundle = await build({ entryPoints: [fileURLToPath(new URL('./fixtures/audio-nodes.ts', import.meta.url))], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  page = await shared.context.newPage();
  await page.goto('about:blank');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
});

const check = <K extends keyof AudioNodeChecks>(name: K, ...args: Parameters<AudioNodeChecks[K]>) =>
  page.evaluate(([n, a]) => (window as unknown as { audioNodeChecks: Record<string, (...x: unknown[]) => Promise<unknown>> }).audioNodeChecks[n]!(...a), [name, args] as const) as ReturnType<AudioNodeChecks[K]>;

describe('light effects, in Chromium', () => {
  it('Vibrato sounds like Tone.Vibrato (wet) in three nodes', async () => {
    const r = await check('vibrato');
    expect(r.peak).toBeGreaterThan(0.5);
    expect(r.diff).toBeLessThan(1e-4);
  });

  it('Echo sounds like Tone.FeedbackDelay (wet) in three nodes', async () => {
    const r = await check('echo');
    expect(r.peak).toBeGreaterThan(0.3);
    expect(r.diff).toBeLessThan(1e-6);
  });

  it("a comb's IIR filter is the low-pass biquad times the feedback gain", async () => {
    const r = await check('comb');
    expect(r.peak).toBeGreaterThan(0.05);
    expect(r.diff).toBeLessThan(1e-6);
  });

  it('Hall: two uncorrelated tails that fall 60 dB over rt60', async () => {
    const rt60 = 2;
    const r = await check('hall', rt60);
    expect(r.finite).toBe(true);
    expect(r.peak).toBeGreaterThan(0);
    expect(Math.abs(r.correlation)).toBeLessThan(0.2);
    // Over one second the tail falls 60/rt60 dB, a little more as the damping darkens it.
    expect(r.fallDb).toBeGreaterThan(60 / rt60 - 3);
    expect(r.fallDb).toBeLessThan(60 / rt60 + 12);
  });
});
