/**
 * The particles layer's pure parts: its geometry (one quad per particle, all in one geometry, one
 * draw call), how many of them each kind shows at an amount, and the pace they move at. Every
 * particle's motion is computed in the vertex shader from a few uniforms and its index.
 */
import { PARTICLE_KINDS } from '../../model/index.ts';

/** Particles the geometry holds (the most any kind shows, at amount 1). */
export const MAX_PARTICLES = 1600;

/** Particles of each kind at amount 1, by index into PARTICLE_KINDS (none draws nothing). */
export const PARTICLE_COUNTS: Readonly<Record<(typeof PARTICLE_KINDS)[number], number>> = {
  none: 0,
  dust: 1000,
  fireflies: 130,
  ash: 520,
  petals: 170,
  embers: 420,
  rain: 1600,
};

/** Kinds drawn "over" (they hide a little of what is behind them) rather than as added light. */
export const OPAQUE_PARTICLE_KINDS: ReadonlySet<string> = new Set(['ash', 'petals']);

/** The screen shape the kinds' counts are designed for (wider screens show more, narrower fewer). */
export const DESIGN_ASPECT = 16 / 9;

/**
 * Particles a kind shows at an amount (0..1) on a screen of this aspect (width / height):
 * fractional, so the last one fades in smoothly. Particles are sized by the screen's height, so
 * the count follows the screen's width to keep the air equally thick on a phone held upright.
 */
export const visibleParticles = (kind: number, amount: number, aspect = DESIGN_ASPECT): number => {
  const name = PARTICLE_KINDS[kind];
  if (!name) return 0;
  const a = Math.min(1, Math.max(0, Number.isFinite(amount) ? amount : 0));
  const wide = Math.min(2, Math.max(0.2, Number.isFinite(aspect) ? aspect / DESIGN_ASPECT : 1));
  return Math.min(MAX_PARTICLES, PARTICLE_COUNTS[name] * a * wide);
};

/** The share of the picture the incoming kind has at a cross-fade's mix (0..1): eased, and the outgoing one has the rest. */
export const crossFadeWeight = (mix: number): number => {
  const m = Math.min(1, Math.max(0, mix));
  return m * m * (3 - 2 * m);
};

export interface ParticleArrays {
  /** Per vertex: corner x, corner y (-1 or 1) and the particle's index. */
  position: Float32Array;
  index: Uint32Array;
}

/** One quad per particle. */
export const buildParticleArrays = (count = MAX_PARTICLES): ParticleArrays => {
  const n = Math.max(0, Math.floor(count));
  const position = new Float32Array(n * 12);
  const index = new Uint32Array(n * 6);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 4; c++) {
      const o = (p * 4 + c) * 3;
      position[o] = c & 1 ? 1 : -1;
      position[o + 1] = c & 2 ? 1 : -1;
      position[o + 2] = p;
    }
    const a = p * 4;
    index.set([a, a + 1, a + 2, a + 1, a + 3, a + 2], p * 6);
  }
  return { position, index };
};
