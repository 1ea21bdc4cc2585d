import { variantsMade } from './variants-made.ts';
import { AddEquation, CustomBlending, DoubleSide, OneFactor, ZeroFactor, ShaderMaterial, Uniform, Vector2, Vector3, Vector4 } from 'three';
import type { IUniform, ShaderMaterialParameters, Texture } from 'three';
import fullscreenVert from '../../shaders/fullscreen.vert';
import skyFrag from '../../shaders/sky.frag';
import mosaicVert from '../../shaders/mosaic.vert';
import mosaicFrag from '../../shaders/mosaic.frag';
import { MAX_DREAMERS } from './scene-frame.ts';
import type { SceneFrame } from './scene-frame.ts';
import { MOSAIC_ASPECT } from './layout/mosaic-layout.ts';
import { SHAPE } from './layout/mosaic-shape.ts';

/**
 * The scene's three materials. Each is created once per mounted scene and updated in place each
 * frame from the SceneFrame (uniform values are mutated, never replaced: no allocation).
 */

/** A ShaderMaterial whose uniforms keep their declared types (three types them as a string map). */
export class DreamShaderMaterial<U extends Record<string, IUniform>> extends ShaderMaterial {
  declare uniforms: U;
  constructor(parameters: ShaderMaterialParameters & { uniforms: U }) {
    super(parameters);
  }
}

/**
 * Blending for light drawn into the scene target (stars, threads): its colour adds to what is
 * behind, and the target's alpha, the mosaic's coverage that the composite lays the sky by, is
 * kept as it was.
 */
export const ADD_LIGHT_KEEP_ALPHA = {
  blending: CustomBlending,
  blendEquation: AddEquation,
  blendSrc: OneFactor,
  blendDst: OneFactor,
  blendSrcAlpha: ZeroFactor,
  blendDstAlpha: OneFactor,
} as const;

const dreamerArray = (): Vector4[] => Array.from({ length: MAX_DREAMERS }, () => new Vector4());
const visibleArray = (): number[] => new Array<number>(MAX_DREAMERS).fill(0);

/** The sky itself, drawn into a quarter-size target by DreamPost and laid behind the scene by its composite. */
export const createSkyMaterial = (noise: Texture) =>
  new DreamShaderMaterial({
    name: 'DreamSky',
    vertexShader: fullscreenVert,
    fragmentShader: skyFrag,
    depthTest: false,
    depthWrite: false,
    uniforms: {
      uNoise: new Uniform(noise),
      uTime: new Uniform(0),
      uAspect: new Uniform(16 / 9),
      uDepth: new Uniform(0.5),
      uArousal: new Uniform(0.3),
      uValence: new Uniform(0),
      uFracture: new Uniform(0),
      uDrift: new Uniform(new Vector2()),
      uSeedShift: new Uniform(new Vector2()),
      uDeep: new Uniform(new Vector3()),
      uHaze: new Uniform(new Vector3()),
      uGlow: new Uniform(new Vector3()),
      uAccent: new Uniform(new Vector3()),
    },
  });
export type SkyMaterial = ReturnType<typeof createSkyMaterial>;

const createMosaicUniforms = () => ({
  uTime: new Uniform(0),
  uMotion: new Uniform(1),
  uAspect: new Uniform(MOSAIC_ASPECT),
  uCell: new Uniform(0.04),
  uLayoutSeed: new Uniform(0),
  uFracture: new Uniform(0),
  uEpicentre: new Uniform(new Vector2()),
  uFractureSeed: new Uniform(0),
  uGlitch: new Uniform(0),
  uGlitchStep: new Uniform(0),
  uGlitchSeed: new Uniform(0),
  uStepRandom: new Uniform(new Vector4()),
  uGuard: new Uniform(1),
  uDreamers: new Uniform(dreamerArray()),
  uVisible: new Uniform(visibleArray()),
  uUnityColour: new Uniform(new Vector3()),
  uUnity: new Uniform(0.5),
  uHaze: new Uniform(new Vector3()),
  uGlow: new Uniform(new Vector3()),
  uAccent: new Uniform(new Vector3()),
  uLight: new Uniform(new Vector3(0, 0, 1)),
  uHalfway: new Uniform(new Vector3(0, 0, 1)),
  // The preset's scene.mosaic: shape cross-fade, regions (bit offsets of the packed kinds), relief, grout.
  uShapeMix: new Uniform(1),
  uRegionFrom: new Uniform(0),
  uRegionTo: new Uniform(0),
  uRegionMix: new Uniform(1),
  uRelief: new Uniform(1),
  uGrout: new Uniform(1),
  uGroutWidth: new Uniform(1),
});
export type MosaicUniforms = ReturnType<typeof createMosaicUniforms>;

/**
 * Which mosaic program draws: compile-time choices, one program each, made when first drawn and
 * kept. At rest (from === to, sectors, no motion) it is today's program exactly.
 */
export interface MosaicVariant {
  /** Indices into MOSAIC_SHAPES: the shapes a cross-fade runs between (equal at rest). */
  shapeFrom: number;
  shapeTo: number;
  /** Regions other than sectors, or a cross-fade of regions: read the packed kinds. */
  regions: boolean;
  /** The fracture and the glitch compiled in. */
  motion: boolean;
  /** Index into FRACTURE_KINDS (with motion). */
  fracture: number;
  /** The resting picture of a shape: its tile stage only, no surface (the picture's mesh takes it). */
  flat: boolean;
}

const glslFloat = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** The SHAPE constants as the shader's SHAPE_* defines, and the two shapes (mosaic-shape.glsl). */
export const shapeDefines = (from: number, to: number): Record<string, string | number> => {
  const d: Record<string, string | number> = { SHAPE_FROM: from, SHAPE_TO: to };
  for (const [k, v] of Object.entries(SHAPE)) d[`SHAPE_${k.toUpperCase()}`] = glslFloat(v);
  return d;
};

/** A variant as one number (no allocation per frame). */
export const mosaicVariantKey = (shapeFrom: number, shapeTo: number, regions: boolean, motion: boolean, fracture: number, flat: boolean): number =>
  ((((shapeFrom * 8 + shapeTo) * 2 + (regions ? 1 : 0)) * 2 + (motion ? 1 : 0)) * 4 + (motion ? fracture : 0)) * 2 + (flat ? 1 : 0);

const mosaicDefines = (v: MosaicVariant): Record<string, string | number> => {
  const d: Record<string, string | number> = { MAX_DREAMERS, PLATE: '0.17' };
  if (v.motion) d.MOSAIC_MOTION = 1;
  if (v.motion && v.fracture !== 0) d.FRACTURE = v.fracture;
  if (v.regions) d.MOSAIC_REGIONS = 1;
  if (v.shapeFrom !== 0 || v.shapeTo !== 0 || v.flat) {
    Object.assign(d, shapeDefines(v.shapeFrom, v.shapeTo));
    d[v.flat ? 'MOSAIC_FLAT' : 'MOSAIC_SHAPE'] = 1;
  }
  return d;
};

/**
 * The mosaic's material. `motion` compiles the fracture and the glitch in; the variant at rest
 * leaves them out (software WebGL pays for a branch's both sides). Pass the other variant's
 * uniforms to share them: both then draw the same frame from one update.
 */
export const createMosaicMaterial = (motion: boolean, uniforms: MosaicUniforms = createMosaicUniforms(), variant: Partial<MosaicVariant> = {}) =>
  new DreamShaderMaterial({
    name: motion ? 'DreamMosaicMotion' : 'DreamMosaic',
    vertexShader: mosaicVert,
    fragmentShader: mosaicFrag,
    side: DoubleSide,
    defines: mosaicDefines({ shapeFrom: 0, shapeTo: 0, regions: false, fracture: 0, flat: false, ...variant, motion }),
    uniforms,
  });
export type MosaicMaterial = ReturnType<typeof createMosaicMaterial>;

/** The mosaic's programs, sharing one set of uniforms: each variant compiled when first asked for, then kept. */
export class MosaicMaterials {
  readonly rest: MosaicMaterial;
  readonly motion: MosaicMaterial;
  private readonly cache = new Map<number, MosaicMaterial>();

  constructor() {
    this.rest = createMosaicMaterial(false);
    this.motion = createMosaicMaterial(true, this.rest.uniforms);
    this.cache.set(mosaicVariantKey(0, 0, false, false, 0, false), this.rest);
    this.cache.set(mosaicVariantKey(0, 0, false, true, 0, false), this.motion);
  }

  get uniforms(): MosaicUniforms {
    return this.rest.uniforms;
  }

  get(shapeFrom: number, shapeTo: number, regions: boolean, motion: boolean, fracture: number, flat: boolean): MosaicMaterial {
    const key = mosaicVariantKey(shapeFrom, shapeTo, regions, motion, fracture, flat);
    let m = this.cache.get(key);
    if (!m) {
      m = createMosaicMaterial(motion, this.rest.uniforms, { shapeFrom, shapeTo, regions, fracture, flat });
      this.cache.set(key, m);
      variantsMade.count++;
    }
    return m;
  }

  /** How many programs have been made (for stats and tests). */
  get size(): number {
    return this.cache.size;
  }

  dispose(): void {
    for (const m of this.cache.values()) m.dispose();
    this.cache.clear();
  }
}

/** Seeds become floats the shaders turn back into integers: 24 bits survive exactly. */
export const seedUniform = (seed: number): number => (seed >>> 0) % 16777216;

const setVec3 = (v: Vector3, a: Float32Array, o: number): void => {
  v.set(a[o]!, a[o + 1]!, a[o + 2]);
};

export const copyDreamers = (frame: SceneFrame, dreamers: Vector4[], visible: number[]): void => {
  for (let i = 0; i < MAX_DREAMERS; i++) {
    const o = i * 4;
    dreamers[i]!.set(frame.dreamers[o]!, frame.dreamers[o + 1]!, frame.dreamers[o + 2]!, frame.dreamers[o + 3]!);
    visible[i] = frame.visible[i]!;
  }
};

export const updateSkyMaterial = (m: SkyMaterial, f: SceneFrame, aspect: number, driftX: number, driftY: number): void => {
  const u = m.uniforms;
  u.uTime.value = f.time;
  u.uAspect.value = aspect;
  u.uDepth.value = f.depth;
  u.uArousal.value = f.arousal;
  u.uValence.value = f.valence;
  u.uFracture.value = Math.max(0, f.fracture);
  u.uDrift.value.set(driftX, driftY);
  u.uSeedShift.value.set((f.seed % 997) * 0.0371, ((f.seed >>> 10) % 991) * 0.0293);
  setVec3(u.uDeep.value, f.palette, 0);
  setVec3(u.uHaze.value, f.palette, 3);
  setVec3(u.uGlow.value, f.palette, 6);
  setVec3(u.uAccent.value, f.palette, 9);
};

/** Whether the frame needs the mosaic's moving variant (the same tests the shader makes). */
export const mosaicInMotion = (f: SceneFrame): boolean => Math.abs(f.fracture) > 1e-5 || f.glitch > 0.001;

export const updateMosaicMaterial = (m: MosaicMaterial, f: SceneFrame): void => {
  const u = m.uniforms;
  u.uTime.value = f.time;
  // The light moves slowly round the window; the half-vector is toward a viewer straight ahead.
  const light = u.uLight.value.set(0.6 * Math.sin(f.time * 0.07 + 1), 0.5 + 0.3 * Math.cos(f.time * 0.05), 0.75).normalize();
  u.uHalfway.value.set(light.x, light.y, light.z + 1).normalize();
  u.uMotion.value = f.motion;
  u.uLayoutSeed.value = seedUniform(f.seed);
  u.uFracture.value = f.fracture;
  u.uEpicentre.value.set(f.epicentre[0]!, f.epicentre[1]!);
  u.uFractureSeed.value = seedUniform(f.fractureSeed);
  u.uGlitch.value = f.glitch;
  u.uGlitchStep.value = f.glitchStep % 16777216;
  u.uGlitchSeed.value = seedUniform(f.glitchSeed);
  u.uStepRandom.value.set(f.stepRandom[0]!, f.stepRandom[1]!, f.stepRandom[2]!, f.stepRandom[3]!);
  u.uGuard.value = f.guard ? 1 : 0;
  copyDreamers(f, u.uDreamers.value, u.uVisible.value);
  u.uUnityColour.value.set(f.unityColour[0]!, f.unityColour[1]!, f.unityColour[2]);
  u.uUnity.value = f.unity;
  setVec3(u.uHaze.value, f.palette, 3);
  setVec3(u.uGlow.value, f.palette, 6);
  setVec3(u.uAccent.value, f.palette, 9);
  const l = f.layers;
  u.uShapeMix.value = l.shape.mix;
  u.uRegionFrom.value = 6 * l.regions.from;
  u.uRegionTo.value = 6 * l.regions.to;
  u.uRegionMix.value = l.regions.mix;
  u.uRelief.value = 2 * l.relief;
  u.uGrout.value = 2 * l.grout;
  // Wider grout above 0.5: up to a quarter of a tile's radius at 1.
  u.uGroutWidth.value = l.grout <= 0.5 ? 1 : 1 + (l.grout - 0.5) * 14;
};

