import { variantsMade } from './variants-made.ts';
import { useEffect, useMemo } from 'react';
import { useFrame } from '@react-three/fiber';
import { AddEquation, BufferAttribute, BufferGeometry, CustomBlending, Group, Mesh, OneFactor, OneMinusSrcAlphaFactor, Sphere, Uniform, Vector3, ZeroFactor } from 'three';
import type { PerspectiveCamera } from 'three';
import particlesVert from '../../shaders/particles.vert';
import particlesFrag from '../../shaders/particles.frag';
import { ADD_LIGHT_KEEP_ALPHA, DreamShaderMaterial, seedUniform } from './materials.ts';
import type { SceneFrame } from './scene-frame.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { PARTICLE_KINDS } from '../model/index.ts';
import { OPAQUE_PARTICLE_KINDS, buildParticleArrays, crossFadeWeight, visibleParticles } from './layout/particles.ts';

/**
 * Drawn over what is behind (premultiplied colour), keeping the scene target's alpha (the
 * mosaic's coverage the composite lays the sky by), as the added light does.
 */
const OVER_KEEP_ALPHA = {
  blending: CustomBlending,
  blendEquation: AddEquation,
  blendSrc: OneFactor,
  blendDst: OneMinusSrcAlphaFactor,
  blendSrcAlpha: ZeroFactor,
  blendDstAlpha: OneFactor,
} as const;

const createParticleUniforms = () => ({
  uTime: new Uniform(0),
  uFlow: new Uniform(0),
  uSeed: new Uniform(0),
  uValence: new Uniform(0),
  uArousal: new Uniform(0.3),
  uTanHalf: new Uniform(Math.tan((19 * Math.PI) / 180)),
  uAspect: new Uniform(16 / 9),
  uDist: new Uniform(12.6),
  uPixel: new Uniform(0.001),
  uHaze: new Uniform(new Vector3()),
  uGlow: new Uniform(new Vector3()),
  uAccent: new Uniform(new Vector3()),
  uGlitch: new Uniform(0),
  uGlitchStep: new Uniform(0),
  uGlitchSeed: new Uniform(0),
  uGuard: new Uniform(1),
});
type ParticleUniforms = ReturnType<typeof createParticleUniforms>;

/** One kind's program (compiled when first shown), sharing the frame's uniforms; its own count and gain. */
const createKind = (shared: ParticleUniforms, kind: number) =>
  new DreamShaderMaterial({
    name: `DreamParticles-${PARTICLE_KINDS[kind] ?? kind}`,
    vertexShader: particlesVert,
    fragmentShader: particlesFrag,
    transparent: true,
    depthWrite: false,
    ...(OPAQUE_PARTICLE_KINDS.has(PARTICLE_KINDS[kind] ?? '') ? OVER_KEEP_ALPHA : ADD_LIGHT_KEEP_ALPHA),
    defines: { KIND: kind },
    uniforms: { ...shared, uCount: new Uniform(0), uGain: new Uniform(1) },
  });
type KindMaterial = ReturnType<typeof createKind>;

class ParticleKit {
  readonly shared = createParticleUniforms();
  private readonly kinds: Array<KindMaterial | undefined> = [];
  private geometryMade: BufferGeometry | undefined;

  kind(k: number): KindMaterial {
    let m = this.kinds[k];
    if (!m) {
      m = createKind(this.shared, k);
      this.kinds[k] = m;
      variantsMade.count++;
    }
    return m;
  }

  geometry(): BufferGeometry {
    if (!this.geometryMade) {
      const { position, index } = buildParticleArrays();
      const g = new BufferGeometry();
      g.setAttribute('position', new BufferAttribute(position, 3));
      g.setIndex(new BufferAttribute(index, 1));
      g.boundingSphere = new Sphere(new Vector3(), 100);
      this.geometryMade = g;
    }
    return this.geometryMade;
  }

  dispose(): void {
    this.geometryMade?.dispose();
    this.geometryMade = undefined;
    for (const m of this.kinds) m?.dispose();
    this.kinds.length = 0;
  }
}

const setColour = (v: Vector3, palette: Float32Array, o: number): void => {
  v.set(palette[o]!, palette[o + 1]!, palette[o + 2]);
};

const updateShared = (kit: ParticleKit, f: SceneFrame, camera: PerspectiveCamera, width: number, height: number): void => {
  const u = kit.shared;
  u.uTime.value = f.time;
  u.uFlow.value = f.flow;
  u.uSeed.value = seedUniform(f.seed) % 65536;
  u.uValence.value = f.valence;
  u.uArousal.value = f.arousal;
  const tanHalf = Math.tan(((camera.fov ?? 38) * Math.PI) / 360);
  u.uTanHalf.value = tanHalf;
  u.uAspect.value = width / Math.max(1, height);
  u.uDist.value = Math.max(1, camera.position.length());
  u.uPixel.value = (2 * tanHalf) / Math.max(1, height);
  setColour(u.uHaze.value, f.palette, 3);
  setColour(u.uGlow.value, f.palette, 6);
  setColour(u.uAccent.value, f.palette, 9);
  u.uGlitch.value = f.glitch;
  u.uGlitchStep.value = f.glitchStep % 16777216;
  u.uGlitchSeed.value = seedUniform(f.glitchSeed);
  u.uGuard.value = f.guard ? 1 : 0;
};

/** Show `mesh` as `kind` with this share of the picture; `none`, nothing shown or no share: hidden (no draw call). */
const place = (mesh: Mesh, kit: ParticleKit, kind: number, amount: number, aspect: number, gain: number): void => {
  const count = visibleParticles(kind, amount, aspect);
  mesh.visible = kind > 0 && count > 0 && gain > 0;
  if (!mesh.visible) return;
  const m = kit.kind(kind);
  m.uniforms.uCount.value = count;
  m.uniforms.uGain.value = gain;
  mesh.material = m;
  mesh.geometry = kit.geometry();
};

/**
 * Motes in the air (`scene.particles`): one mesh of quads, one draw call (two while the kind
 * cross-fades; none for `none`). Each kind is a program of its own, compiled when first shown.
 */
export const DreamParticles = ({ runtime }: { runtime: SceneRuntime }) => {
  const { group, main, fading, kit } = useMemo(() => {
    const kit = new ParticleKit();
    const make = (name: string) => {
      const m = new Mesh(new BufferGeometry(), kit.kind(1));
      m.frustumCulled = false;
      m.renderOrder = 12;
      m.name = name;
      m.visible = false;
      return m;
    };
    const main = make('DreamParticles');
    const fading = make('DreamParticlesFading');
    const group = new Group();
    group.add(main, fading);
    return { group, main, fading, kit };
  }, []);
  useEffect(() => () => kit.dispose(), [kit]);
  useFrame((state) => {
    const f = runtime.frame;
    const l = f.layers;
    const p = l.particles;
    const crossing = p.from !== p.to && p.mix < 1;
    const w = crossing ? crossFadeWeight(p.mix) : 1;
    if (p.to === 0 && !crossing) {
      main.visible = false;
      fading.visible = false;
      return;
    }
    updateShared(kit, f, state.camera as PerspectiveCamera, state.size.width, state.size.height);
    const aspect = kit.shared.uAspect.value;
    // At reduced detail (a slow machine, adaptive quality) half as many motes: they cost per pixel.
    const amount = runtime.stats.detail === 'reduced' ? 0.5 * l.particleAmount : l.particleAmount;
    place(main, kit, p.to, amount, aspect, w);
    place(fading, kit, crossing ? p.from : 0, amount, aspect, 1 - w);
  }, FRAME_PRIORITY.update);
  return <primitive object={group} />;
};
