/**
 * The picture's finish (scene.finish.*) as the composite pass's uniforms: pure, tested in Node.
 *
 * Today's picture (version-1 presets) has a vignette of 0.8 at the rim (1 - |p|² · 0.8, p from
 * the centre in picture units) and a bloom of the strength the frame asks for, and no grain and
 * no chromatic split outside the glitch. The table's defaults (vignette 0.5, grain 0, chroma 0,
 * bloom 1) give exactly that picture.
 */

/** The vignette's darkening at |p|² = 1 per unit of scene.finish.vignette (0.5 → today's 0.8). */
export const VIGNETTE_SCALE = 1.6;
/** The grain's amplitude (display-gamma units, peak to peak) at grain 1. */
export const GRAIN_MAX = 0.11;
/** How far red and blue part at chroma 1, as a fraction of the distance from the centre. */
export const CHROMA_MAX = 0.009;
/** Grain changes this many times a dream-second (like film, whatever the frame rate). */
export const GRAIN_RATE = 24;
/** Below this bloom strength the bloom's passes are not drawn at all. */
export const BLOOM_OFF = 1e-3;

export interface FinishLayers {
  vignette: number;
  grain: number;
  chroma: number;
  bloom: number;
}

export interface FinishValues {
  /** The vignette's coefficient: the picture is multiplied by 1 - |p|² · vignette. */
  vignette: number;
  /** Grain amplitude, 0 for none. */
  grain: number;
  /** Chromatic split per unit of distance from the centre (uv), 0 for none. */
  chroma: number;
  /** Multiplies the frame's bloom strength; 0 draws no bloom. */
  bloom: number;
  /** Whether the composite needs its FINISH variant (grain or chroma). */
  compiled: boolean;
}

const unit = (value: number): number => Math.min(1, Math.max(0, value));

/** The composite's finish uniforms from the layers' (guarded) finish values, written into `out`. */
export const finishValues = (l: FinishLayers, out: FinishValues): FinishValues => {
  out.vignette = Math.max(0, l.vignette) * VIGNETTE_SCALE;
  out.grain = unit(l.grain) * GRAIN_MAX;
  out.chroma = unit(l.chroma) * CHROMA_MAX;
  out.bloom = l.bloom > BLOOM_OFF ? l.bloom : 0;
  out.compiled = out.grain > 0 || out.chroma > 0;
  return out;
};

export const createFinishValues = (): FinishValues => ({ vignette: 0.8, grain: 0, chroma: 0, bloom: 1, compiled: false });

/** The grain's pattern index at a dream time (it changes GRAIN_RATE times a second; wraps to stay exact in a float). */
export const grainStep = (time: number): number => Math.floor(Math.max(0, time) * GRAIN_RATE) % 4096;
