import { BufferAttribute, BufferGeometry, DataTexture, LinearFilter, Mesh, OrthographicCamera, RepeatWrapping, RGBAFormat, Scene, Uniform, UnsignedByteType, Vector2, Vector3, Vector4, WebGLRenderTarget } from 'three';
import type { Camera, Material, Texture, WebGLRenderer } from 'three';
import fullscreenVert from '../../../shaders/fullscreen.vert';
import bloomDownFrag from '../../../shaders/bloom-down.frag';
import bloomUpFrag from '../../../shaders/bloom-up.frag';
import compositeFrag from '../../../shaders/composite.frag';
import { DreamShaderMaterial, createSkyMaterial, updateSkyMaterial } from '../materials.ts';
import type { SkyMaterial } from '../materials.ts';
import { buildNoiseTexels, NOISE_SIZE } from '../layout/noise-texture.ts';
import type { SceneFrame } from '../scene-frame.ts';

/** Bloom levels below the picture: 1/2, 1/4 and 1/8 of its size. */
export const BLOOM_LEVELS = 3;
/** The sky is drawn at this fraction of the picture's width and height. */
export const SKY_SCALE = 0.25;

/**
 * The picture's passes, our own rather than a postprocessing library's: software WebGL (which
 * is what a headless or GPU-less machine has) writes 8-bit targets three times faster than the
 * half-float ones a general library needs, and every full-size pass costs a whole frame's worth
 * of pixels. Everything here is 8-bit with display gamma; the draw calls of a frame are:
 *
 *   1  sky → quarter-size target
 *   3  scene → full-size target (sky backdrop, mosaic, threads)
 *   3  bloom down: threshold to 1/2, then 1/4, 1/8
 *   2  bloom up: 1/8 + 1/4 → 1/4, that + 1/2 → 1/2
 *   1  composite → screen (glitch split, tear and dropout; glow; vignette; fade)
 *
 * ten in all, whatever the tile count.
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
  readonly skyMaterial: SkyMaterial;
  private readonly downFirst = createDownMaterial(true);
  private readonly downRest = createDownMaterial(false);
  private readonly upMaterial = createUpMaterial();
  readonly composite = createCompositeMaterial();
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
    this.skyMaterial = createSkyMaterial(this.noise);
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3));
    this.quad = new Mesh<BufferGeometry, Material>(geometry, this.skyMaterial);
    this.quad.frustumCulled = false;
    this.quadScene.add(this.quad);
    this.composite.uniforms.uScene.value = this.scene.texture;
  }

  /** Sizes in drawing-buffer pixels. */
  setSize(width: number, height: number): void {
    this.width = Math.max(1, Math.round(width));
    this.height = Math.max(1, Math.round(height));
    this.sky.setSize(Math.max(1, Math.round(this.width * SKY_SCALE)), Math.max(1, Math.round(this.height * SKY_SCALE)));
    this.scene.setSize(this.width, this.height);
    for (let i = 0; i < BLOOM_LEVELS; i++) {
      const w = Math.max(1, Math.round(this.width / 2 ** (i + 1)));
      const h = Math.max(1, Math.round(this.height / 2 ** (i + 1)));
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
  render(renderer: WebGLRenderer, scene: Scene, camera: Camera, f: SceneFrame, driftX: number, driftY: number): void {
    // Full-screen passes cover every pixel: no clears but the scene's.
    const autoClear = renderer.autoClear;
    renderer.autoClear = false;
    updateSkyMaterial(this.skyMaterial, f, this.width / this.height, driftX, driftY);
    this.pass(renderer, this.skyMaterial, this.sky);

    renderer.setRenderTarget(this.scene);
    renderer.clear(true, true, false);
    renderer.render(scene, camera);

    // Bloom: threshold and halve, halve, halve; then back up, adding each level.
    let input: Texture = this.scene.texture;
    let iw = this.width;
    let ih = this.height;
    for (let i = 0; i < BLOOM_LEVELS; i++) {
      const m = i === 0 ? this.downFirst : this.downRest;
      m.uniforms.uInput.value = input;
      m.uniforms.uTexel.value.set(0.5 / iw, 0.5 / ih);
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

    const c = this.composite.uniforms;
    c.uBloom.value = low.texture;
    c.uBloomStrength.value = 0.7 + 0.15 * Math.max(0, f.fracture) + 0.1 * f.glitch;
    c.uGlitch.value = f.glitch;
    c.uStepRandom.value.set(f.stepRandom[0]!, f.stepRandom[1]!, f.stepRandom[2]!, f.stepRandom[3]!);
    c.uStep.value = f.glitchStep % 4096;
    c.uGuard.value = f.guard ? 1 : 0;
    c.uDeep.value.set(Math.pow(f.palette[0]!, 1 / 2.2), Math.pow(f.palette[1]!, 1 / 2.2), Math.pow(f.palette[2]!, 1 / 2.2));
    c.uFade.value = f.fade;
    this.pass(renderer, this.composite, null);
    renderer.autoClear = autoClear;
  }

  dispose(): void {
    this.noise.dispose();
    this.sky.dispose();
    this.scene.dispose();
    for (const t of this.down) t.dispose();
    for (const t of this.up) t.dispose();
    this.quad.geometry.dispose();
    this.skyMaterial.dispose();
    this.downFirst.dispose();
    this.downRest.dispose();
    this.upMaterial.dispose();
    this.composite.dispose();
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

const createCompositeMaterial = () =>
  new DreamShaderMaterial({
    name: 'DreamComposite',
    vertexShader: fullscreenVert,
    fragmentShader: compositeFrag,
    depthTest: false,
    depthWrite: false,
    uniforms: {
      uScene: new Uniform<Texture | null>(null),
      uBloom: new Uniform<Texture | null>(null),
      uBloomStrength: new Uniform(1),
      uGlitch: new Uniform(0),
      uStepRandom: new Uniform(new Vector4()),
      uStep: new Uniform(0),
      uGuard: new Uniform(1),
      uDeep: new Uniform(new Vector3()),
      uFade: new Uniform(1),
    },
  });
