import { variantsMade } from './variants-made.ts';
import { useEffect, useMemo } from 'react';
import { useFrame } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, DoubleSide, Group, Mesh, Sphere, Uniform, Vector2, Vector3, Vector4 } from 'three';
import threadVert from '../../shaders/thread.vert';
import threadFrag from '../../shaders/thread.frag';
import { buildStyleArrays } from './layout/thread-geometry.ts';
import { ADD_LIGHT_KEEP_ALPHA, DreamShaderMaterial, copyDreamers, seedUniform } from './materials.ts';
import { MAX_DREAMERS } from './scene-frame.ts';
import type { SceneFrame } from './scene-frame.ts';
import type { KindFade } from './scene-layers.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { MOSAIC_SCALE, SHAPE, mosaicAspect, mosaicExtent, mosaicPlacement, surfacePoint } from './layout/mosaic-shape.ts';
import type { MosaicPlacement } from './layout/mosaic-shape.ts';
import { MOSAIC_SHAPES, THREAD_STYLES } from '../model/index.ts';
import { crossFadeWeight } from './layout/particles.ts';

const placement: MosaicPlacement = { x: 0, y: 0, scale: MOSAIC_SCALE };

const createThreadUniforms = () => ({
  uTime: new Uniform(0),
  uUnity: new Uniform(0.5),
  uCount: new Uniform(1),
  uSeed: new Uniform(0),
  uSpan: new Uniform(9),
  uMotion: new Uniform(1),
  uDreamers: new Uniform(Array.from({ length: MAX_DREAMERS }, () => new Vector4())),
  uVisible: new Uniform(new Array<number>(MAX_DREAMERS).fill(0)),
  // The mosaic's half-width and half-height (world units at scale 1): radial, knot and lace fit it.
  uReach: new Uniform(new Vector2(1.55 * MOSAIC_SCALE, MOSAIC_SCALE)),
  uRouteMix: new Uniform(1),
  uFlow: new Uniform(0),
  uArousal: new Uniform(0.3),
  uGlitch: new Uniform(0),
  uGlitchStep: new Uniform(0),
  uGlitchSeed: new Uniform(0),
  uGuard: new Uniform(1),
});
type ThreadUniforms = ReturnType<typeof createThreadUniforms>;

/** One compiled variant: a style with a routing (or a routing's cross-fade), sharing the frame's uniforms. */
const createVariant = (shared: ThreadUniforms, style: number, from: number, to: number) =>
  new DreamShaderMaterial({
    name: style === 0 && from === 0 && to === 0 ? 'DreamThreads' : `DreamThreads-${THREAD_STYLES[style] ?? style}-${from}-${to}`,
    vertexShader: threadVert,
    fragmentShader: threadFrag,
    side: DoubleSide,
    transparent: true,
    depthWrite: false,
    ...ADD_LIGHT_KEEP_ALPHA,
    defines: from === to ? { MAX_DREAMERS, STYLE: style, ROUTE_FROM: from, ROUTE_TO: to } : { MAX_DREAMERS, STYLE: style, ROUTE_FROM: from, ROUTE_TO: to, ROUTE_FADE: 1 },
    uniforms: { ...shared, uGain: new Uniform(1) },
  });
type ThreadVariant = ReturnType<typeof createVariant>;

const styleGeometry = (style: number, count: number): BufferGeometry => {
  const arrays = buildStyleArrays(style, count);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(arrays.position, 3));
  if (arrays.strand) geometry.setAttribute('aStrand', new BufferAttribute(arrays.strand, 1));
  geometry.setIndex(new BufferAttribute(arrays.index, 1));
  geometry.boundingSphere = new Sphere(new Vector3(), 20);
  return geometry;
};

/**
 * The variants and geometries the threads have drawn, each made when first needed and kept
 * (a program compiles once; the geometries are rebuilt only when the number of dreamers changes).
 */
class ThreadKit {
  readonly shared = createThreadUniforms();
  private readonly variants = new Map<number, ThreadVariant>();
  private readonly geometries: Array<BufferGeometry | undefined> = [];
  private count = -1;
  private reachShape = -1;
  private reachAspect = 0;
  /** Per shape, the centre of its surface (mosaic units): the threads hang there. */
  private readonly centres = new Float32Array(MOSAIC_SHAPES.length * 3);
  private centresAspect = 0;
  readonly centre = new Vector3();

  variant(style: number, from: number, to: number): ThreadVariant {
    const key = style * 100 + from * 10 + to;
    let v = this.variants.get(key);
    if (!v) {
      v = createVariant(this.shared, style, from, to);
      this.variants.set(key, v);
      variantsMade.count++;
    }
    return v;
  }

  geometry(style: number, count: number): BufferGeometry {
    if (count !== this.count) {
      this.disposeGeometries();
      this.count = count;
    }
    let g = this.geometries[style];
    if (!g) {
      g = styleGeometry(style, count);
      this.geometries[style] = g;
    }
    return g;
  }

  private disposeGeometries(): void {
    for (const g of this.geometries) g?.dispose();
    this.geometries.length = 0;
  }

  /** Fit the routes to the mosaic's shape on this screen (worked out only when either changes). */
  reach(shape: number, screenAspect: number): void {
    if (shape === this.reachShape && screenAspect === this.reachAspect) return;
    this.reachShape = shape;
    this.reachAspect = screenAspect;
    const e = mosaicExtent(MOSAIC_SHAPES[shape] ?? 'block', screenAspect);
    this.shared.uReach.value.set(Math.min(12, Math.max(1, e.halfWidth)), Math.min(8, Math.max(1, e.halfHeight)));
  }

  /**
   * Where the threads hang in the mosaic's frame: its surface's centre (the window's plane: 0; a
   * sphere's near pole; a vault's far wall), so a shape that comes toward the camera does not hide
   * them. Over a floor they stand upright at its centre, as light over the sleepers.
   */
  hang(shape: KindFade, screenAspect: number): Vector3 {
    if (screenAspect !== this.centresAspect) {
      this.centresAspect = screenAspect;
      const aspect = mosaicAspect(screenAspect);
      MOSAIC_SHAPES.forEach((name, i) => {
        // A vault is seen from inside: the threads hang before its far wall, where the eye meets it.
        const p: [number, number, number] = name === 'dome' ? [0, 0, SHAPE.domeCentreZ - SHAPE.domeRadius] : surfacePoint(name, 0, 0, aspect);
        this.centres[i * 3] = p[0];
        this.centres[i * 3 + 1] = name === 'floor' ? 0 : p[1];
        this.centres[i * 3 + 2] = name === 'floor' ? 0 : p[2];
      });
    }
    const c = this.centres;
    const a = shape.from * 3;
    const b = shape.to * 3;
    const m = shape.from === shape.to ? 1 : shape.mix;
    return this.centre.set(c[a]! + (c[b]! - c[a]!) * m, c[a + 1]! + (c[b + 1]! - c[a + 1]!) * m, c[a + 2]! + (c[b + 2]! - c[a + 2]!) * m);
  }

  dispose(): void {
    this.disposeGeometries();
    this.count = -1;
    for (const v of this.variants.values()) v.dispose();
    this.variants.clear();
  }
}

const updateShared = (kit: ThreadKit, f: SceneFrame): void => {
  const u = kit.shared;
  u.uTime.value = f.time;
  u.uUnity.value = f.unity;
  u.uCount.value = Math.max(1, f.dreamerCount);
  u.uSeed.value = seedUniform(f.seed) % 4096;
  u.uMotion.value = f.motion;
  copyDreamers(f, u.uDreamers.value, u.uVisible.value);
  u.uRouteMix.value = f.layers.threadRouting.mix;
  u.uArousal.value = f.arousal;
  // The rivers flow at the dream's pace (the model integrates it: a change of arousal never jumps them).
  u.uFlow.value = f.flow;
  u.uGlitch.value = f.glitch;
  u.uGlitchStep.value = f.glitchStep % 16777216;
  u.uGlitchSeed.value = seedUniform(f.glitchSeed);
  u.uGuard.value = f.guard ? 1 : 0;
};

/** Show `mesh` as `style` with this share of the picture (hidden, so no draw call, at 0). */
const place = (mesh: Mesh, kit: ThreadKit, style: number, count: number, from: number, to: number, gain: number): void => {
  mesh.visible = count > 0 && gain > 0;
  if (!mesh.visible) return;
  const v = kit.variant(style, from, to);
  v.uniforms.uGain.value = gain;
  mesh.material = v;
  mesh.geometry = kit.geometry(style, count);
};

/**
 * The dreamers' threads: every thread of a style in one mesh (one draw call), two while the style
 * cross-fades. A private dreamer's thread is not drawn in the audience view (its visibility is 0
 * and the vertex shader drops it; a lace link goes with either of its dreamers). The threads lie
 * in the mosaic's plane and follow its place and scale.
 */
export const DreamThreads = ({ runtime }: { runtime: SceneRuntime }) => {
  const { group, main, fading, kit } = useMemo(() => {
    const kit = new ThreadKit();
    const make = (name: string) => {
      const m = new Mesh(new BufferGeometry(), kit.variant(0, 0, 0));
      m.frustumCulled = false;
      m.renderOrder = 10;
      m.name = name;
      return m;
    };
    const main = make('DreamThreads');
    const fading = make('DreamThreadsFading');
    const group = new Group();
    group.add(main, fading);
    return { group, main, fading, kit };
  }, []);
  useEffect(() => () => kit.dispose(), [kit]);
  useFrame((state) => {
    const f = runtime.frame;
    const l = f.layers;
    const count = Math.min(MAX_DREAMERS, f.dreamerCount);
    updateShared(kit, f);
    const screenAspect = state.size.width / Math.max(1, state.size.height);
    kit.reach(l.shape.to, screenAspect);
    const route = l.threadRouting;
    const routeFrom = route.mix >= 1 ? route.to : route.from;
    const style = l.threadStyle;
    const crossing = style.from !== style.to && style.mix < 1;
    const w = crossing ? crossFadeWeight(style.mix) : 1;
    const brightness = l.threadBrightness;
    place(main, kit, style.to, count, routeFrom, route.to, brightness === 1 && w === 1 ? 1 : brightness * w);
    place(fading, kit, style.from, crossing ? count : 0, routeFrom, route.to, brightness * (1 - w));
    // The threads stand where the mosaic stands, at its size.
    mosaicPlacement(l, placement);
    const hang = kit.hang(l.shape, screenAspect);
    group.position.set(placement.x + hang.x * placement.scale, placement.y + hang.y * placement.scale, hang.z * placement.scale);
    group.scale.setScalar(placement.scale / MOSAIC_SCALE);
  }, FRAME_PRIORITY.update);
  return <primitive object={group} />;
};
