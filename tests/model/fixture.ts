import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { DreamState, PresetInput } from '../../src/model/index.ts';

/** A small preset written for the tests, independent of the bundled story presets. */
export const FIXTURE: PresetInput = {
  version: 2,
  id: 'test-dream',
  title: 'Test dream',
  seed: 42,
  tempo: 60,
  key: 'C',
  mode: 'major',
  mood: { valence: 0.2, arousal: 0.3 },
  depth: 0.4,
  unity: 0.5,
  palette: { deep: '#000000', haze: '#202040', glow: '#80c0ff', accent: '#ff00ff' },
  mosaic: { tiles: 1024, pattern: 'hex', restabilizeSeconds: 2 },
  dreamers: [
    { id: 'ann', name: 'Ann One', role: 'first', colour: '#ff0000', voice: 'pad', presence: 0.5 },
    { name: 'Bo Two', role: 'second', colour: '#00ff00', voice: 'bell', consent: 'private' },
  ],
  acts: [
    { name: 'Setting', duration: 10, transition: 2, values: { unity: 0.2 }, events: [{ at: 5, action: { type: 'glitch', amount: 0.3 } }] },
    {
      name: 'Climax',
      duration: 10,
      transition: 0,
      values: { mood: { arousal: 0.9 }, dreamers: { bo: { presence: 1 } } },
      events: [
        { at: 2, action: { type: 'fracture', amount: 0.9 } },
        { at: 4, action: { type: 'restabilize', seconds: 2 } },
        { at: 1, action: { type: 'set', path: 'dreamers.ann.presence', value: 0.1 } },
      ],
    },
    { name: 'Resolution', duration: 10, values: { unity: 1, palette: { glow: '#ffffff' } } },
  ],
};

export const fixtureState = (options: { seed?: number } = {}): DreamState => {
  const r = validatePreset(FIXTURE);
  if (!r.ok) throw new Error(`fixture invalid: ${JSON.stringify(r.problems)}`);
  return resolvePreset(r.preset, options);
};

/** Advance in small steps, as a frame loop would. */
export const run = (s: DreamState, seconds: number, dt = 1 / 30, tickFn: (s: DreamState, dt: number) => DreamState): DreamState => {
  let t = 0;
  let out = s;
  while (t < seconds - 1e-9) {
    const d = Math.min(dt, seconds - t);
    out = tickFn(out, d);
    t += d;
  }
  return out;
};
