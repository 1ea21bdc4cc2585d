import { useEffect, useMemo, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, Group, Mesh, Sphere, Vector2, Vector3 } from 'three';
import type { PerspectiveCamera, WebGLRenderer } from 'three';
import type { DreamStore } from '../store/dream-store.ts';
import { MOSAIC_SHAPES } from '../model/index.ts';
import { buildMosaicLayout } from './layout/mosaic-layout.ts';
import { aspectNeedsRebuild, mosaicAspect, mosaicPlacement, mosaicRotation, MOSAIC_SCALE, SHAPE } from './layout/mosaic-shape.ts';
import { MosaicMaterials, mosaicInMotion, updateMosaicMaterial } from './materials.ts';
import { MosaicImpostor } from './mosaic-impostor.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';

/** World units per mosaic unit: the window is about 7 units tall (see layout/mosaic-shape.ts). */
export { MOSAIC_SCALE };

const drawingBuffer = new Vector2();
// Per-frame scratch (never allocated in the frame loop).
const placement = { x: 0, y: 0, scale: MOSAIC_SCALE };
const rotation = { x: 0, y: 0 };
const pictureReach = { x: 1, y: 1 };
/** Shapes whose resting picture needs their tile stage drawn in (MOSAIC_SHAPES: disc, ring, sphere, islands). */
const STAGED = [false, true, true, false, false, false, true, true] as const;
const ISLANDS = 7;

/**
 * Once three has copied an attribute to the GPU, the page lets go of its own copy: the mosaic never
 * reads its vertices back, and at 65,536 tiles they are 16.8 MB (67 MB at 262,144). The
 * price: a restored context has none of the buffers, so the mosaic rebuilds its layout then.
 */
function releaseAfterUpload(this: BufferAttribute): void {
  (this as { array: unknown }).array = null;
}

const layoutGeometry = (tiles: number, pattern: 'voronoi' | 'hex' | 'grid', seed: number, dreamers: number, aspect: number): { geometry: BufferGeometry; cell: number; tiles: number; aspect: number; reach: { x: number; y: number } } => {
  const layout = buildMosaicLayout({ tiles, pattern, seed, dreamers, aspect });
  const reach = { x: 0, y: 0 };
  for (let i = 0; i < layout.position.length; i += 3) {
    reach.x = Math.max(reach.x, Math.abs(layout.position[i]!));
    reach.y = Math.max(reach.y, Math.abs(layout.position[i + 1]!));
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(layout.position, 3).onUpload(releaseAfterUpload));
  geometry.setAttribute('aTile', new BufferAttribute(layout.tile, 4).onUpload(releaseAfterUpload));
  geometry.setAttribute('aRegions', new BufferAttribute(layout.regions, 1).onUpload(releaseAfterUpload));
  geometry.setIndex(new BufferAttribute(layout.index, 1).onUpload(releaseAfterUpload));
  // Tiles fly while fractured; the mesh is never culled, so a generous sphere will do.
  geometry.boundingSphere = new Sphere(new Vector3(), 8);
  return { geometry, cell: layout.cell, tiles: layout.tiles, aspect: layout.aspect, reach };
};

/**
 * Redraw a slice of the resting picture (MosaicImpostor) for `shape`: a shape with a tile stage
 * (disc, ring, sphere, islands) is drawn with it into the picture, and the picture's mesh takes the
 * shape's surface.
 */
const drawPicture = (gl: WebGLRenderer, cam: PerspectiveCamera, impostor: MosaicImpostor, materials: MosaicMaterials, geometry: BufferGeometry, shape: number, regions: boolean, k: { aspect: number; reach: { x: number; y: number } }): void => {
  impostor.setShape(shape, k.aspect);
  // Pixels per mosaic unit on screen, where the window stands: the camera's distance from its
  // centre (not its z: an orbit passes round the side, where z is near 0).
  const visible = 2 * Math.max(1, cam.position.length()) * Math.tan(((cam.fov ?? 38) * Math.PI) / 360);
  const spread = shape === ISLANDS ? SHAPE.islandSpread : 1;
  pictureReach.x = k.reach.x * spread + (spread - 1) * SHAPE.islandCell;
  pictureReach.y = k.reach.y * spread + (spread - 1) * SHAPE.islandCell;
  const picture = STAGED[shape] ? materials.get(shape, shape, regions, false, 0, true) : materials.get(0, 0, regions, false, 0, false);
  impostor.update(gl, geometry, picture, (gl.getDrawingBufferSize(drawingBuffer).y * MOSAIC_SCALE) / visible, pictureReach);
};

/**
 * The Dream Mosaic: one mesh, one draw call, whatever the tile count. The geometry is rebuilt
 * only when the tile count, pattern, seed or number of dreamers changes, when the screen's aspect
 * asks for a window more than 10% wider or narrower (mosaic-shape.ts: 1.55 on every landscape
 * screen), or when the WebGL context comes back (its vertices live only on the GPU), and the old
 * one is disposed at once so GPU memory stays flat across preset switches. Each frame draws one
 * program of MosaicMaterials: at rest today's (no fracture, no glitch; the block, sectors), while
 * either moves the one that has them, with the preset's shape (a cross-fade's two shapes), regions
 * and fracture kind compiled in. The rest and motion programs are compiled when the scene mounts,
 * so the first fracture does not stall; the others when first drawn.
 */
export const DreamMosaic = ({ runtime, store }: { runtime: SceneRuntime; store: DreamStore }) => {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const scene = useThree((s) => s.scene);
  const { group, mesh, materials, impostor } = useMemo(() => {
    const materials = new MosaicMaterials();
    const m = new Mesh(new BufferGeometry(), materials.rest);
    m.frustumCulled = false;
    m.name = 'DreamMosaic';
    const impostor = new MosaicImpostor();
    const group = new Group();
    group.add(m, impostor.mesh);
    group.scale.setScalar(MOSAIC_SCALE);
    return { group, mesh: m, materials, impostor };
  }, []);
  const lastDream = useRef<unknown>(null);
  const key = useRef({ tiles: -1, pattern: '', seed: -1, dreamers: -1, context: -1, aspect: 0, reach: { x: 1, y: 1 } });
  useEffect(() => {
    mesh.material = materials.motion;
    impostor.mesh.visible = true;
    gl.compile(group, camera, scene);
    impostor.mesh.visible = false;
    mesh.material = materials.rest;
  }, [gl, camera, scene, group, mesh, materials, impostor]);
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      materials.dispose();
      impostor.dispose();
      key.current.tiles = -1;
    },
    [mesh, materials, impostor],
  );
  useFrame((state) => {
    const s = store.getState().dream;
    const k = key.current;
    const m = s.mosaic;
    const wanted = mosaicAspect(state.size.width / Math.max(1, state.size.height), MOSAIC_SHAPES[runtime.frame.layers.shape.to] ?? 'block');
    if (k.tiles !== m.tiles || k.pattern !== m.pattern || k.seed !== s.seed || k.dreamers !== s.dreamers.length || k.context !== runtime.contextRestores || aspectNeedsRebuild(k.aspect, wanted)) {
      const t0 = performance.now();
      const built = layoutGeometry(m.tiles, m.pattern, s.seed, s.dreamers.length, wanted);
      // After a lost context the old geometry's GL objects went with it: nothing to delete.
      if (k.context === runtime.contextRestores) mesh.geometry.dispose();
      mesh.geometry = built.geometry;
      materials.uniforms.uCell.value = built.cell;
      materials.uniforms.uAspect.value = built.aspect;
      k.tiles = m.tiles;
      k.pattern = m.pattern;
      k.seed = s.seed;
      k.dreamers = s.dreamers.length;
      k.context = runtime.contextRestores;
      k.aspect = built.aspect;
      k.reach = built.reach;
      runtime.stats.tiles = built.tiles;
      runtime.stats.layoutMs = performance.now() - t0;
    }
    const f = runtime.frame;
    const l = f.layers;
    const moving = mosaicInMotion(f);
    const regions = l.regions.from !== 0 || l.regions.to !== 0;
    mesh.material = materials.get(l.shape.from, l.shape.to, regions, moving, l.fractureKind, false);
    updateMosaicMaterial(materials.rest, f);
    // At rest on a machine slow enough to have reduced the detail, the tiles are drawn from a
    // picture of them (see MosaicImpostor) laid on the shape; otherwise, and whenever they move or
    // a shape or regions cross-fade, as geometry.
    const fromPicture = !moving && l.shape.mix >= 1 && l.regions.mix >= 1 && runtime.stats.detail === 'reduced';
    if (fromPicture) {
      // A change is in every tile only after a whole round of slices: see that those frames are
      // drawn even if the clock is paused.
      if (s !== lastDream.current || runtime.dirty) runtime.requestFrames(impostor.slices(mesh.geometry));
      drawPicture(gl, camera as PerspectiveCamera, impostor, materials, mesh.geometry, l.shape.to, regions, k);
    } else if (runtime.stats.detail === 'full') impostor.release();
    else impostor.invalidate();
    lastDream.current = s;
    impostor.mesh.visible = fromPicture;
    mesh.visible = !fromPicture;
    // Where the mosaic stands; the window leans back a little and sways with the dream (the
    // tapestry, the floor and the vault stand still).
    mosaicPlacement(l, placement);
    group.position.set(placement.x, placement.y, 0);
    group.scale.setScalar(placement.scale);
    mosaicRotation(l.shape, f.time, rotation);
    group.rotation.set(rotation.x, rotation.y, 0);
  }, FRAME_PRIORITY.update);
  return <primitive object={group} />;
};
