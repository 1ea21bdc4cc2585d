/**
 * Offline renders of the symphony in Node, with node-web-audio-api standing in for the browser's
 * Web Audio (its exports are copied onto globalThis before Tone is loaded).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as webAudio from 'node-web-audio-api';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState } from '../../src/model/index.ts';
import { levels, powerSpectrum, summarize, describeSpectrum } from '../../scripts/lib/spectrum.ts';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
for (const [k, v] of Object.entries(webAudio)) if (!(k in g)) g[k] = v;
const Tone = await import('tone');
const { renderDream } = await import('../../src/audio/offline.ts');
const { NeuroSymphony } = await import('../../src/audio/engine.ts');

const dir = fileURLToPath(new URL('../../presets/', import.meta.url));
const presets = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json')
  .map((f) => {
    const r = validatePreset(JSON.parse(readFileSync(dir + f, 'utf8')));
    if (!r.ok) throw new Error(`${f}: ${r.problems.map((p) => p.message).join('; ')}`);
    return r.preset;
  });
const dream = (id: string, seed?: number): DreamState => {
  const p = presets.find((x) => x.id === id);
  if (!p) throw new Error(`no preset ${id}`);
  return resolvePreset(p, seed === undefined ? {} : { seed });
};
const SR = 32000;
const report: string[] = [];
afterAll(() => {
  console.log(`\nneuro-symphony renders (${SR} Hz):\n${report.join('\n')}`);
});

const identical = (a: Float32Array[], b: Float32Array[]): boolean => a.length === b.length && a.every((ch, c) => ch.length === b[c]!.length && ch.every((v, i) => Object.is(v, b[c]![i])));

describe('offline renders of every preset', () => {
  it('finds the bundled presets', () => {
    expect(presets.length).toBeGreaterThanOrEqual(1);
    expect(presets.map((p) => p.id)).toContain('dream-temple');
  });

  for (const id of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json').map((f) => f.replace(/\.json$/, ''))) {
    it(`${id}: 10 s are heard, stay under -1 dBFS, are finite and repeat exactly for the same seed`, async () => {
      const a = await renderDream(dream(id), { seconds: 10, sampleRate: SR });
      const b = await renderDream(dream(id), { seconds: 10, sampleRate: SR });
      const L = levels(a.channels);
      report.push(`  ${id.padEnd(30)} peak ${L.peakDb.toFixed(2)} dBFS, rms ${L.rmsDb.toFixed(1)} dBFS, ${(10 / a.renderSeconds).toFixed(1)}x realtime`);
      expect(a.channels).toHaveLength(2);
      expect(a.channels[0]!.length).toBe(10 * SR);
      expect(L.nonFinite).toBe(0);
      expect(L.peakDb).toBeLessThanOrEqual(-1);
      expect(L.rmsDb).toBeGreaterThan(-40);
      // Every second after the fade-in has sound in it: not silent, not a blip.
      for (let s = 1; s < 10; s++) expect(levels(a.channels, s * SR, (s + 1) * SR).rmsDb).toBeGreaterThan(-50);
      expect(identical(a.channels, b.channels)).toBe(true);
      // Another seed is another piece.
      const c = await renderDream(dream(id, 12345), { seconds: 3, sampleRate: SR });
      expect(identical(c.channels, a.channels.map((ch) => ch.slice(0, 3 * SR)))).toBe(false);
    }, 120_000);
  }
});

describe('the climax, heard', () => {
  it('a glitch passage is measurably brighter and noisier than a calm one', async () => {
    const calm = await renderDream(dream('dream-temple'), { seconds: 8, sampleRate: 44100 });
    const glitched = await renderDream(dream('dream-temple'), { seconds: 8, sampleRate: 44100, actions: [{ at: 0, action: { type: 'glitch', amount: 0.85 } }] });
    const from = 44100 * 2;
    const a = summarize(powerSpectrum(calm.channels, from), 44100);
    const b = summarize(powerSpectrum(glitched.channels, from), 44100);
    report.push(`  calm:   ${describeSpectrum(a)}`, `  glitch: ${describeSpectrum(b)}`);
    expect(b.highShare).toBeGreaterThan(a.highShare * 3);
    expect(b.flatness).toBeGreaterThan(a.flatness * 10);
    expect(levels(glitched.channels).peakDb).toBeLessThanOrEqual(-1);
  }, 120_000);

  it('stays under -1 dBFS at the most violent settings, and under a lower master cap', async () => {
    const loud: DreamState = (() => {
      const s = dream('dream-temple');
      return {
        ...s,
        mood: { valence: -1, arousal: 1 },
        tempo: 180,
        unity: 1,
        symphony: { reverb: 1, level: 1 },
        dreamers: s.dreamers.map((d) => ({ ...d, presence: 1, level: 1 })),
      };
    })();
    const actions = [
      { at: 0, action: { type: 'fracture' as const, amount: 1 } },
      { at: 0, action: { type: 'glitch' as const, amount: 1 } },
    ];
    const hot = await renderDream(loud, { seconds: 6, sampleRate: SR, actions });
    expect(levels(hot.channels).peakDb).toBeLessThanOrEqual(-1);
    const capped = await renderDream({ ...loud, safety: { ...loud.safety, masterCap: -20 } }, { seconds: 6, sampleRate: SR, actions });
    expect(levels(capped.channels, SR).peakDb).toBeLessThanOrEqual(-20);
    report.push(`  loudest settings: peak ${levels(hot.channels).peakDb.toFixed(2)} dBFS; with masterCap -20: ${levels(capped.channels, SR).peakDb.toFixed(2)} dBFS`);
  }, 120_000);

  it('panic silences within half a second, recover brings the music back', async () => {
    const out = await renderDream(dream('dream-temple'), {
      seconds: 10,
      sampleRate: SR,
      actions: [
        { at: 4, action: { type: 'panic' } },
        { at: 6, action: { type: 'recover' } },
      ],
    });
    const before = levels(out.channels, 3 * SR, 4 * SR).rmsDb;
    const after = levels(out.channels, 4.5 * SR, 6 * SR);
    const back = levels(out.channels, 9 * SR, 10 * SR).rmsDb;
    report.push(`  panic: ${before.toFixed(1)} dB before, ${after.peakDb.toFixed(1)} dB peak from 0.5 s after, ${back.toFixed(1)} dB after recover`);
    expect(after.peakDb).toBeLessThan(-80);
    expect(back).toBeGreaterThan(before - 12);
  }, 120_000);
});

/** Render with another OfflineAudioContext class standing in for the native one. */
const withNative = async <T>(Stand: typeof OfflineAudioContext, run: () => Promise<T>): Promise<T> => {
  const original = g.OfflineAudioContext;
  g.OfflineAudioContext = Stand;
  try {
    return await run();
  } finally {
    g.OfflineAudioContext = original;
  }
};
const Native = g.OfflineAudioContext as typeof OfflineAudioContext;
const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((ch, c) => ch.reduce((m, v, i) => Math.max(m, Math.abs(v - b[c]![i]!)), 0)));

describe('the offline renderer', () => {
  it('schedules the score a slice ahead of the rendering: the same music as scheduling all of it first', async () => {
    const actions = [
      { at: 2, action: { type: 'glitch' as const, amount: 0.7 } },
      { at: 4, action: { type: 'restabilize' as const } },
    ];
    const sliced = await renderDream(dream('dream-temple'), { seconds: 8, sampleRate: SR, actions });
    // Where the context cannot suspend (Firefox), the whole score is scheduled before rendering.
    class CannotSuspend extends Native {}
    Object.defineProperty(CannotSuspend.prototype, 'suspend', { value: undefined });
    const upfront = await withNative(CannotSuspend, () => renderDream(dream('dream-temple'), { seconds: 8, sampleRate: SR, actions }));
    // Notes let go at other moments sum in another order: differences at the last bits only.
    const diff = maxDiff(sliced.channels, upfront.channels);
    report.push(`  sliced vs scheduled-first render: ${diff === 0 ? 'identical' : `at most ${(20 * Math.log10(diff)).toFixed(0)} dBFS apart`}`);
    expect(diff).toBeLessThan(1e-5);
    expect(upfront.nodes.end).toBe(upfront.nodes.start);
  }, 120_000);

  it('renders again when the implementation refuses a suspension: the same samples', async () => {
    const reference = await renderDream(dream('dream-temple'), { seconds: 7, sampleRate: SR });
    let suspensions = 0;
    let renders = 0;
    class RefusesOnce extends Native {
      override suspend(time: number): Promise<void> {
        if (suspensions++ === 0) return Promise.reject(new DOMException('refused', 'InvalidStateError'));
        return super.suspend(time);
      }
      override startRendering(): Promise<AudioBuffer> {
        renders++;
        return super.startRendering();
      }
    }
    const retried = await withNative(RefusesOnce, () => renderDream(dream('dream-temple'), { seconds: 7, sampleRate: SR }));
    // (Two at least: node-web-audio-api may lose its own race as well.)
    expect(renders).toBeGreaterThanOrEqual(2);
    expect(identical(retried.channels, reference.channels)).toBe(true);
  }, 120_000);

  it('reports the speed of dream-temple at the default rate, and the nodes it makes', async () => {
    const made = { all: 0, oscillators: 0 };
    class Counting extends Native {
      override createGain(): GainNode {
        made.all++;
        return super.createGain();
      }
      override createOscillator(): OscillatorNode {
        made.all++;
        made.oscillators++;
        return super.createOscillator();
      }
    }
    const seconds = 12;
    const out = await withNative(Counting, () => renderDream(dream('dream-temple'), { seconds }));
    expect(out.sampleRate).toBe(44100);
    report.push(`  dream-temple, ${seconds} s at 44.1 kHz: ${(seconds / out.renderSeconds).toFixed(1)}x realtime; ${made.all} gains and oscillators made, ${made.oscillators} of them oscillators (${(made.all / seconds).toFixed(1)} per second of music)`);
  }, 120_000);
});

describe('the engine owns its nodes', () => {
  it('disposes every node it made (each part is counted in tests/audio/parts.test.ts)', async () => {
    const context = new Tone.OfflineContext(2, 1, SR);
    const engine = new NeuroSymphony({ context, source: { getState: () => dream('dream-temple'), subscribe: () => () => undefined }, drive: () => undefined });
    engine.toDestination();
    engine.start(0);
    await context.render();
    expect(engine.madeCount).toBeGreaterThan(20);
    expect(engine.nodeCount.total).toBeGreaterThan(0);
    engine.dispose();
    expect(engine.allDisposed).toBe(true);
    expect(engine.nodeCount.total).toBe(0);
  }, 60_000);

  it('switching presets 50 times leaves the number of live nodes where it started', async () => {
    const ids = presets.map((p) => p.id);
    const start = dream('dream-temple');
    // Alternate between every preset, quickly, and end where we began.
    const actions = Array.from({ length: 50 }, (_, i) => {
      const id = i === 49 ? 'dream-temple' : ids[(i + 1) % ids.length]!;
      return { at: 0.5 + i * 0.2, action: { type: 'morph' as const, to: dream(id), seconds: 0 } };
    });
    const out = await renderDream(start, { seconds: 14, sampleRate: 16000, actions });
    report.push(`  50 preset switches: persistent nodes ${out.nodes.start} at the start, ${out.nodes.end} at the end`);
    expect(out.finalState.preset).toBe('dream-temple');
    expect(out.nodes.end).toBe(out.nodes.start);
    expect(levels(out.channels).peakDb).toBeLessThanOrEqual(-1);
  }, 120_000);
});
