/**
 * The listening report: for every preset, 12 s calm and 12 s at its climax (fracture 0.8, glitch
 * 0.85), rendered offline in Node, as levels and a spectrum (the first 2 s, the fade-in, left
 * out). Compare it before and after a change to the engine: `npx tsx scripts/listen.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as webAudio from 'node-web-audio-api';
import { resolvePreset, validatePreset } from '../src/model/index.ts';
import type { DreamAction } from '../src/model/index.ts';
import { levels, powerSpectrum, summarize } from './lib/spectrum.ts';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
for (const [k, v] of Object.entries(webAudio)) if (!(k in g)) g[k] = v;
const { renderDream } = await import('../src/audio/offline.ts');

const SR = 44100;
const SECONDS = 12;
const dir = fileURLToPath(new URL('../presets/', import.meta.url));
const climax: { at: number; action: DreamAction }[] = [
  { at: 0, action: { type: 'fracture', amount: 0.8 } },
  { at: 0, action: { type: 'glitch', amount: 0.85 } },
];
const rows: Record<string, string | number>[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json')) {
  const r = validatePreset(JSON.parse(readFileSync(dir + file, 'utf8')));
  if (!r.ok) throw new Error(`${file}: ${r.problems.map((p) => p.message).join('; ')}`);
  for (const [label, actions] of [['calm', []], ['climax', climax]] as const) {
    const out = await renderDream(resolvePreset(r.preset), { seconds: SECONDS, sampleRate: SR, actions });
    const L = levels(out.channels, 2 * SR);
    const S = summarize(powerSpectrum(out.channels, 2 * SR), SR);
    rows.push({
      preset: r.preset.id,
      label,
      'peak dBFS': +L.peakDb.toFixed(2),
      'rms dBFS': +L.rmsDb.toFixed(1),
      'centroid Hz': Math.round(S.centroid),
      '>4k %': +(S.highShare * 100).toFixed(2),
      flatness: S.flatness.toExponential(2),
      'bands %': S.bands.map((b) => (b * 100).toFixed(1)).join('/'),
      'x realtime': +(SECONDS / out.renderSeconds).toFixed(1),
    });
  }
}
console.table(rows);
