import { variantsMade } from '../variants-made.ts';
import { AddEquation, CustomBlending, NoBlending, OneFactor, OneMinusSrcAlphaFactor, SrcAlphaFactor, Uniform, ZeroFactor } from 'three';
import type { Material, Texture } from 'three';
import fullscreenVert from '../../../shaders/fullscreen.vert';
import skyFrag from '../../../shaders/sky.frag';
import { createSkyMaterial, DreamShaderMaterial } from '../materials.ts';
import { skyDefine, skyPlan } from './sky-kinds.ts';
import type { SkyPlan } from './sky-kinds.ts';
import type { KindFade } from '../scene-layers.ts';

const createSkyUniforms = (noise: Texture) => {
  // The nebula's uniforms as materials.ts declares them (updateSkyMaterial fills them), and ours.
  const base = createSkyMaterial(noise);
  base.dispose();
  return { ...base.uniforms, uBrightness: new Uniform(1), uAlpha: new Uniform(1) };
};
type SkyUniforms = ReturnType<typeof createSkyUniforms>;
export type SkyVariant = DreamShaderMaterial<SkyUniforms>;

/**
 * The sky's variants, one per scene.sky.kind, compiled the first time the kind is drawn and kept
 * (they share one set of uniforms, updated once a frame). The nebula's variant has no define: it
 * is today's program. The variant laid over another during a cross-fade blends by its alpha and
 * keeps the target's alpha; one drawn first (or alone) writes its pixels as they are.
 */
export class SkyPasses {
  readonly uniforms: SkyUniforms;
  private readonly variants: (SkyVariant | undefined)[] = [];
  private readonly plan: SkyPlan = { first: 0, second: -1, alpha: 1 };

  constructor(noise: Texture) {
    this.uniforms = createSkyUniforms(noise);
  }

  /** The kind's material, compiled on its first draw. */
  variant(kind: number): SkyVariant {
    let m = this.variants[kind];
    if (!m) {
      const define = skyDefine(kind);
      m = new DreamShaderMaterial({
        name: define ? `DreamSky_${define}` : 'DreamSky',
        vertexShader: fullscreenVert,
        fragmentShader: skyFrag,
        depthTest: false,
        depthWrite: false,
        defines: define ? { [define]: 1 } : {},
        // Blending is switched per pass (no program change): off when drawn first, by alpha when laid over.
        blending: NoBlending,
        blendEquation: AddEquation,
        blendSrc: SrcAlphaFactor,
        blendDst: OneMinusSrcAlphaFactor,
        blendSrcAlpha: ZeroFactor,
        blendDstAlpha: OneFactor,
        uniforms: this.uniforms,
      });
      this.variants[kind] = m;
      variantsMade.count++;
    }
    return m;
  }

  /**
   * Draw the sky for this fade through `pass` (which renders a material into the sky's target):
   * one pass at rest, two during a cross-fade. Returns the number of passes.
   */
  draw(fade: KindFade, pass: (material: Material) => void): number {
    const plan = skyPlan(fade, this.plan);
    const first = this.variant(plan.first);
    first.blending = NoBlending;
    this.uniforms.uAlpha.value = 1;
    pass(first);
    if (plan.second < 0) return 1;
    const second = this.variant(plan.second);
    second.blending = CustomBlending;
    this.uniforms.uAlpha.value = plan.alpha;
    pass(second);
    return 2;
  }

  /** Every variant made so far (to compile ahead, or dispose). */
  made(): SkyVariant[] {
    return this.variants.filter((m): m is SkyVariant => m !== undefined);
  }

  dispose(): void {
    for (const m of this.made()) m.dispose();
  }
}
