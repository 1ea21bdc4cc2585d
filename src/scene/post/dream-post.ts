import { BufferAttribute, BufferGeometry, DataTexture, LinearFilter, Mesh, OrthographicCamera, Points, RepeatWrapping, RGBAFormat, Scene, Sphere, Uniform, UnsignedByteType, Vector2, Vector3, Vector4, WebGLRenderTarget } from 'three';
import type { Camera, Material, Texture, WebGLRenderer } from 'three';
import fullscreenVert from '../../../shaders/fullscreen.vert';
import bloomDownFrag from '../../../shaders/bloom-down.frag';
import bloomUpFrag from '../../../shaders/bloom-up.frag';
import compositeFrag from '../../../shaders/composite.frag';
import starsVert from '../../../shaders/stars.vert';
import starsFrag from '../../../shaders/stars.frag';
import { ADD_LIGHT_KEEP_ALPHA, DreamShaderMaterial, updateSkyMaterial } from '../materials.ts';
import { SkyPasses } from './sky-passes.ts';
import { deepFieldWeight, starVeil } from './sky-kinds.ts';
import { createFinishValues, finishValues, grainStep } from './finish.ts';
import { buildNoiseTexels, NOISE_SIZE } from '../layout/noise-texture.ts';
import type { SceneFrame } from '../scene-frame.ts';
import { buildStarField, STAR_CELL } from '../layout/star-field.ts';
import type { Detail } from '../adaptive-quality.ts';

/**
 * Bloom levels below the picture: 1/4, 1/8 and 1/16 of its size. The first level is taken from
 * the picture in one step (four bilinear taps, a 4x4 box); a 1/2-size level cost software WebGL
 * a sixth of the frame for a glow the 1/4 level all but matches.
 */
export const BLOOM_LEVELS = 3;
/** The first bloom level's divisor of the picture's size. */
export const BLOOM_FIRST = 4;
/** The sky is drawn at this fraction of the picture's width and height. */
export const SKY_SCALE = 0.25;

/**
 * The picture's passes, our own rather than a postprocessing library's: software WebGL (which
 * is what a headless or GPU-less machine has) writes 8-bit targets three times faster than the
 * half-float ones a general library needs, and every full-size pass costs a whole frame's worth
 * of pixels. Everything here is 8-bit with display gamma; the draw calls of a frame are:
 *
 *   1  sky → quarter-size target (2 while scene.sky.kind cross-fades: the old kind, the new over it)
 *   3  scene → full-size target over transparent black (stars, mosaic, threads)
 *   3  bloom down: threshold to 1/4, then 1/8, 1/16
 *   2  bloom up: 1/16 + 1/8 → 1/8, that + 1/4 → 1/4
 *   1  composite → screen (the sky behind the scene; glitch split, tear and dropout; glow;
 *      vignette; fade)
 *
 * ten in all, whatever the tile count (at reduced detail: no bloom and a composite without the
 * glow, and the resting mosaic is a picture of its tiles with a slice of them redrawn into it
 * each frame, src/scene/mosaic-impostor.ts: six). The sky is laid behind the scene in the composite, where
 * the mosaic's coverage (the scene's alpha) is known, and the stars are points (their lit cells
 * found once per picture size), instead of a full-size pass that hashed every pixel for its star
 * and that the mosaic then overdrew: under software WebGL that pass cost a fifth of the frame.
 *
 * The sky's kind (scene.sky.kind) is a compiled variant per kind (./sky-passes.ts), and the
 * finish (scene.finish: vignette, grain, chromatic split, bloom strength) is the composite's
 * (./finish.ts); a bloom of 0 draws no bloom passes.
 */
export class DreamPost {
  readonly noise: DataTexture;
  readonly sky: WebGLRenderTarget;
  readonly scene: WebGLRenderTarget;
  private readonly down: WebGLRenderTarget[];
  private readonly up: WebGLRenderTarget[];
  private readonly quad: Mesh<BufferGeometry, Material>;
  private readonly quadScene = new Scene();
  private readonly quadCamera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  readonly skies: SkyPasses;
  private readonly stars: Points<BufferGeometry, ReturnType<typeof createStarMaterial>>;
  private readonly starScene = new Scene();
  private readonly downFirst = createDownMaterial(true);
  private readonly downRest = createDownMaterial(false);
  private readonly upMaterial = createUpMaterial();
  readonly composite = createCompositeMaterial(false);
  /** The composite with the glitch compiled in (they share uniforms). */
  readonly compositeGlitch = createCompositeMaterial(true, this.composite.uniforms);
  /** The calm composite without the glow, for reduced detail (no bloom is drawn then). */
  readonly compositeNoGlow = createCompositeMaterial(false, this.composite.uniforms, false);
  /** The same three with the grain and chromatic split compiled in, made when first needed. */
  private readonly compositeFinish: (CompositeMaterial | undefined)[] = [];
  private readonly finish = createFinishValues();
  private readonly drawSky = (material: Material): void => this.pass(this.renderer!, material, this.sky);
  private renderer: WebGLRenderer | null = null;
  private starCount = 0;
  private width = 1;
  private height = 1;

  constructor() {
    // One noise for every dream; each dream's seed moves the sky across it (uSeedShift).
    this.noise = new DataTexture(buildNoiseTexels(0x5eed5), NOISE_SIZE, NOISE_SIZE, RGBAFormat, UnsignedByteType);
    this.noise.wrapS = RepeatWrapping;
    this.noise.wrapT = RepeatWrapping;
    this.noise.magFilter = LinearFilter;
    this.noise.minFilter = LinearFilter;
    this.noise.generateMipmaps = false;
    this.noise.needsUpdate = true;
    const target = (depth: boolean) => {
      const t = new WebGLRenderTarget(1, 1, { type: UnsignedByteType, depthBuffer: depth, stencilBuffer: false, magFilter: LinearFilter, minFilter: LinearFilter, generateMipmaps: false });
      return t;
    };
    this.sky = target(false);
    this.scene = target(true);
    this.down = Array.from({ length: BLOOM_LEVELS }, () => target(false));
    this.up = Array.from({ length: BLOOM_LEVELS - 1 }, () => target(false));
    this.skies = new SkyPasses(this.noise);
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3));
    this.quad = new Mesh<BufferGeometry, Material>(geometry, this.skies.variant(0));
    this.quad.frustumCulled = false;
    this.quadScene.add(this.quad);
    this.stars = new Points(new BufferGeometry(), createStarMaterial());
    this.stars.frustumCulled = false;
    this.stars.material.uniforms.uSky.value = this.sky.texture;
    this.starScene.add(this.stars);
    this.composite.uniforms.uScene.value = this.scene.texture;
    this.composite.uniforms.uSky.value = this.sky.texture;
    this.downFirst.uniforms.uSky.value = this.sky.texture;
  }

  /** Sizes in drawing-buffer pixels. */
  setSize(width: number, height: number): void {
    this.width = Math.max(1, Math.round(width));
    this.height = Math.max(1, Math.round(height));
    this.sky.setSize(Math.max(1, Math.round(this.width * SKY_SCALE)), Math.max(1, Math.round(this.height * SKY_SCALE)));
    this.stars.material.uniforms.uResolution.value.set(this.width, this.height);
    const field = buildStarField(this.width, this.height);
    const stars = new BufferGeometry();
    stars.setAttribute('position', new BufferAttribute(field.cells, 3));
    stars.setAttribute('aSeed', new BufferAttribute(field.seeds, 4));
    stars.boundingSphere = new Sphere(new Vector3(), 1e6);
    this.starCount = field.count;
    this.stars.geometry.dispose();
    this.stars.geometry = stars;
    this.scene.setSize(this.width, this.height);
    for (let i = 0; i < BLOOM_LEVELS; i++) {
      const w = Math.max(1, Math.round(this.width / (BLOOM_FIRST * 2 ** i)));
      const h = Math.max(1, Math.round(this.height / (BLOOM_FIRST * 2 ** i)));
      this.down[i]!.setSize(w, h);
      if (i < BLOOM_LEVELS - 1) this.up[i]!.setSize(w, h);
    }
  }

  private pass(renderer: WebGLRenderer, material: Material, target: WebGLRenderTarget | null): void {
    this.quad.material = material;
    renderer.setRenderTarget(target);
    renderer.render(this.quadScene, this.quadCamera);
  }

  /** Draw the whole frame: sky, scene, bloom, composite to the screen. */
  render(renderer: WebGLRenderer, scene: Scene, camera: Camera, f: SceneFrame, driftX: number, driftY: number, detail: Detail = 'full'): void {
    // Full-screen passes cover every pixel: no clears but the scene's.
    const autoClear = renderer.autoClear;
    renderer.autoClear = false;
    const layers = f.layers;
    updateSkyMaterial(this.skies.variant(0), f, this.width / this.height, driftX, driftY);
    this.skies.uniforms.uBrightness.value = layers.skyBrightness;
    this.renderer = renderer;
    this.skies.draw(layers.sky, this.drawSky);

    // The scene over transparent black: its alpha tells the composite where the sky shows.
    renderer.setRenderTarget(this.scene);
    const clearAlpha = renderer.getClearAlpha();
    renderer.setClearAlpha(0);
    renderer.clear(true, true, false);
    renderer.setClearAlpha(clearAlpha);
    this.updateStars(f, driftX, driftY);
    renderer.render(this.starScene, this.quadCamera);
    renderer.render(scene, camera);

    const finish = finishValues(layers, this.finish);
    const glow = detail === 'full' && finish.bloom > 0;
    const c = this.composite.uniforms;
    if (glow) this.bloom(renderer);
    // Reduced detail (adaptive quality, past the lowest pixel ratio) or no bloom: no glow, five passes fewer.
    c.uBloomStrength.value = glow ? (0.7 + 0.15 * Math.max(0, f.fracture) + 0.1 * f.glitch) * finish.bloom : 0;
    c.uGlitch.value = f.glitch;
    c.uStepRandom.value.set(f.stepRandom[0]!, f.stepRandom[1]!, f.stepRandom[2]!, f.stepRandom[3]!);
    c.uStep.value = f.glitchStep % 4096;
    c.uGuard.value = f.guard ? 1 : 0;
    c.uDeep.value.set(Math.pow(f.palette[0]!, 1 / 2.2), Math.pow(f.palette[1]!, 1 / 2.2), Math.pow(f.palette[2]!, 1 / 2.2));
    c.uFade.value = f.fade;
    c.uVignette.value = finish.vignette;
    c.uGrain.value = finish.grain;
    c.uGrainStep.value = grainStep(f.time);
    c.uChroma.value = finish.chroma;
    this.pass(renderer, this.compositeFor(f.glitch > 0.001, glow, finish.compiled), null);
    renderer.autoClear = autoClear;
  }

  /** The stars' uniforms, and the deep field's share of them while the stars sky shows. */
  private updateStars(f: SceneFrame, driftX: number, driftY: number): void {
    const s = this.stars.material.uniforms;
    s.uTime.value = f.time;
    s.uDrift.value.set(driftX, driftY);
    // Starlight takes a little of the glow's colour.
    s.uStarColour.value.set(0.75 + 0.25 * Math.pow(f.palette[6]!, 1 / 2.2), 0.75 + 0.25 * Math.pow(f.palette[7]!, 1 / 2.2), 0.8 + 0.2 * Math.pow(f.palette[8]!, 1 / 2.2));
    const deep = deepFieldWeight(f.layers.sky, f.layers.skyBrightness);
    s.uDeepField.value = deep;
    s.uVeil.value = starVeil(f.layers.sky);
    this.stars.geometry.setDrawRange(0, deep > 0 ? Infinity : this.starCount);
  }

  /**
   * The composite variant for this frame: the glitch's (which keeps the glow's read: its strength
   * is 0 without bloom), the calm one, or the calm one without the glow; with the finish's grain
   * and chromatic split compiled in only when they are on.
   */
  private compositeFor(glitch: boolean, glow: boolean, finish: boolean): CompositeMaterial {
    if (!finish) return glitch ? this.compositeGlitch : glow ? this.composite : this.compositeNoGlow;
    const key = glitch ? 0 : glow ? 1 : 2;
    let m = this.compositeFinish[key];
    if (!m) {
      m = createCompositeMaterial(glitch, this.composite.uniforms, glitch || glow, true);
      this.compositeFinish[key] = m;
    }
    return m;
  }

  /** Bloom: threshold and shrink, halve, halve; then back up, adding each level. */
  private bloom(renderer: WebGLRenderer): void {
    let input: Texture = this.scene.texture;
    let iw = this.width;
    let ih = this.height;
    for (let i = 0; i < BLOOM_LEVELS; i++) {
      const m = i === 0 ? this.downFirst : this.downRest;
      m.uniforms.uInput.value = input;
      // Taps a quarter of the step between the levels from the centre: each bilinear tap then
      // averages a 2x2 (first level: a 4x4 box in all) or lands on one texel (a 2x2 box).
      const step = i === 0 ? BLOOM_FIRST / 4 : 0.5;
      m.uniforms.uTexel.value.set(step / iw, step / ih);
      this.pass(renderer, m, this.down[i]!);
      input = this.down[i]!.texture;
      iw = this.down[i]!.width;
      ih = this.down[i]!.height;
    }
    let low: WebGLRenderTarget = this.down[BLOOM_LEVELS - 1]!;
    for (let i = BLOOM_LEVELS - 2; i >= 0; i--) {
      const u = this.upMaterial.uniforms;
      u.uLow.value = low.texture;
      u.uHigh.value = this.down[i]!.texture;
      u.uTexel.value.set(1 / low.width, 1 / low.height);
      this.pass(renderer, this.upMaterial, this.up[i]!);
      low = this.up[i]!;
    }
    this.composite.uniforms.uBloom.value = low.texture;
  }

  dispose(): void {
    this.noise.dispose();
    this.sky.dispose();
    this.scene.dispose();
    for (const t of this.down) t.dispose();
    for (const t of this.up) t.dispose();
    this.quad.geometry.dispose();
    this.stars.geometry.dispose();
    this.stars.material.dispose();
    this.skies.dispose();
    this.downFirst.dispose();
    this.downRest.dispose();
    this.upMaterial.dispose();
    this.composite.dispose();
    this.compositeGlitch.dispose();
    this.compositeNoGlow.dispose();
    for (const m of this.compositeFinish) m?.dispose();
  }

  /**
   * Compile every pass's program now (the glitch's too), so none stalls a frame later; of the
   * sky's kinds and the finish's variants, those made so far (the others compile when first drawn).
   */
  compile(renderer: WebGLRenderer): void {
    renderer.compile(this.starScene, this.quadCamera);
    for (const m of [...this.skies.made(), ...this.compositeFinish.filter((x) => x !== undefined), this.downFirst, this.downRest, this.upMaterial, this.composite, this.compositeGlitch, this.compositeNoGlow]) {
      this.quad.material = m;
      renderer.compile(this.quadScene, this.quadCamera);
    }
  }
}

const createDownMaterial = (threshold: boolean) =>
  new DreamShaderMaterial({
    name: threshold ? 'DreamBloomThreshold' : 'DreamBloomDown',
    vertexShader: fullscreenVert,
    fragmentShader: bloomDownFrag,
    depthTest: false,
    depthWrite: false,
    defines: threshold ? { THRESHOLD: 1 } : {},
    uniforms: {
      uInput: new Uniform<Texture | null>(null),
      uSky: new Uniform<Texture | null>(null),
      uTexel: new Uniform(new Vector2()),
      uThreshold: new Uniform(0.66),
      uKnee: new Uniform(0.25),
    },
  });

const createUpMaterial = () =>
  new DreamShaderMaterial({
    name: 'DreamBloomUp',
    vertexShader: fullscreenVert,
    fragmentShader: bloomUpFrag,
    depthTest: false,
    depthWrite: false,
    uniforms: {
      uLow: new Uniform<Texture | null>(null),
      uHigh: new Uniform<Texture | null>(null),
      uTexel: new Uniform(new Vector2()),
      uSpread: new Uniform(1),
    },
  });

const createCompositeUniforms = () => ({
  uScene: new Uniform<Texture | null>(null),
  uSky: new Uniform<Texture | null>(null),
  uBloom: new Uniform<Texture | null>(null),
  uBloomStrength: new Uniform(1),
  uGlitch: new Uniform(0),
  uStepRandom: new Uniform(new Vector4()),
  uStep: new Uniform(0),
  uGuard: new Uniform(1),
  uDeep: new Uniform(new Vector3()),
  uFade: new Uniform(1),
  uVignette: new Uniform(0.8),
  uGrain: new Uniform(0),
  uGrainStep: new Uniform(0),
  uChroma: new Uniform(0),
});

/**
 * The final pass; `glitch` compiles the glitch in (software WebGL pays for a branch's both sides),
 * `glow: false` leaves the glow out, `finish` compiles in the grain and the chromatic split.
 */
const createCompositeMaterial = (glitch: boolean, uniforms: ReturnType<typeof createCompositeUniforms> = createCompositeUniforms(), glow = true, finish = false) =>
  new DreamShaderMaterial({
    name: (glitch ? 'DreamCompositeGlitch' : glow ? 'DreamComposite' : 'DreamCompositeNoGlow') + (finish ? 'Finish' : ''),
    vertexShader: fullscreenVert,
    fragmentShader: compositeFrag,
    depthTest: false,
    depthWrite: false,
    defines: { ...(glitch ? { GLITCH: 1 } : {}), ...(glow ? {} : { NO_GLOW: 1 }), ...(finish ? { FINISH: 1 } : {}) },
    uniforms,
  });
type CompositeMaterial = ReturnType<typeof createCompositeMaterial>;

const createStarMaterial = () =>
  new DreamShaderMaterial({
    name: 'DreamStars',
    vertexShader: starsVert,
    fragmentShader: starsFrag,
    depthTest: false,
    depthWrite: false,
    // Added to the (transparent black) scene target; alpha stays 0, so the sky shows around them.
    ...ADD_LIGHT_KEEP_ALPHA,
    defines: { STAR_CELL: STAR_CELL.toFixed(1), STAR_SPRITE: '4.0' },
    uniforms: {
      uResolution: new Uniform(new Vector2(1, 1)),
      uDrift: new Uniform(new Vector2()),
      uTime: new Uniform(0),
      uStarColour: new Uniform(new Vector3(1, 1, 1)),
      uSky: new Uniform<Texture | null>(null),
      uDeepField: new Uniform(0),
      uVeil: new Uniform(0),
    },
  });
