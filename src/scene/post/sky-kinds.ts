import { SKY_KINDS } from '../../model/index.ts';
import type { KindFade } from '../scene-layers.ts';

/**
 * Which sky variants a frame draws (pure, tested in Node). Each kind of scene.sky.kind is a
 * compiled variant of shaders/sky.frag (a define; the nebula has none, so it is today's program);
 * at rest one pass draws the kind, during a cross-fade the old kind is drawn and the new one laid
 * over it at the fade's mix.
 */

/** The define that compiles a sky kind in (null: the nebula, the shader's default). */
export const skyDefine = (kind: number): string | null => {
  const name = SKY_KINDS[kind];
  return name === undefined || name === 'nebula' ? null : `SKY_${name.toUpperCase()}`;
};

export interface SkyPlan {
  /** The kind drawn first, opaque. */
  first: number;
  /** The kind laid over it at `alpha`, or -1 for none (at rest). */
  second: number;
  alpha: number;
}

/** The passes for a sky's fade, written into `out`. */
export const skyPlan = (fade: KindFade, out: SkyPlan): SkyPlan => {
  const resting = fade.from === fade.to || fade.mix >= 1;
  out.first = resting ? fade.to : fade.from;
  out.second = resting ? -1 : fade.to;
  out.alpha = resting ? 1 : Math.max(0, Math.min(1, fade.mix));
  return out;
};

export const STARS_KIND = SKY_KINDS.indexOf('stars');

/** How much of the deep field's stars show: the stars sky's share of the fade, times its brightness. */
export const deepFieldWeight = (fade: KindFade, brightness: number): number => {
  const mix = Math.max(0, Math.min(1, fade.mix));
  const share = (fade.from === STARS_KIND ? 1 - mix : 0) + (fade.to === STARS_KIND ? mix : 0);
  return share * Math.max(0, brightness);
};

/** How much each kind veils the far stars by its own light (fog hides them, water mostly does). */
export const STAR_VEIL: Readonly<Record<string, number>> = { fog: 1, caustics: 0.8 };

/** The veil over the far stars for this fade (0 for skies without one: the stars as they were). */
export const starVeil = (fade: KindFade): number => {
  const mix = Math.max(0, Math.min(1, fade.mix));
  const of = (kind: number) => STAR_VEIL[SKY_KINDS[kind] ?? ''] ?? 0;
  return fade.from === fade.to ? of(fade.to) : of(fade.from) * (1 - mix) + of(fade.to) * mix;
};
