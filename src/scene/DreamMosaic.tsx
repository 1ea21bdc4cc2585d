import { useEffect, useMemo, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, Group, Mesh, Sphere, Vector2, Vector3 } from 'three';
import type { PerspectiveCamera } from 'three';
import type { DreamStore } from '../store/dream-store.ts';
import { buildMosaicLayout } from './layout/mosaic-layout.ts';
import { createMosaicMaterial, mosaicInMotion, updateMosaicMaterial } from './materials.ts';
import { MosaicImpostor } from './mosaic-impostor.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';

/** World units per mosaic unit: the window is about 7 units tall. */
export const MOSAIC_SCALE = 3.5;

const drawingBuffer = new Vector2();

/**
 * Once three has copied an attribute to the GPU, the page lets go of its own copy: the mosaic never
 * reads its vertices back, and at 65,536 tiles they are 16.8 MB (67 MB at 262,144). The
 * price: a restored context has none of the buffers, so the mosaic rebuilds its layout then.
 */
function releaseAfterUpload(this: BufferAttribute): void {
  (this as { array: unknown }).array = null;
}

const layoutGeometry = (tiles: number, pattern: 'voronoi' | 'hex' | 'grid', seed: number, dreamers: number): { geometry: BufferGeometry; cell: number; tiles: number; reach: { x: number; y: number } } => {
  const layout = buildMosaicLayout({ tiles, pattern, seed, dreamers });
  const reach = { x: 0, y: 0 };
  for (let i = 0; i < layout.position.length; i += 3) {
    reach.x = Math.max(reach.x, Math.abs(layout.position[i]!));
    reach.y = Math.max(reach.y, Math.abs(layout.position[i + 1]!));
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(layout.position, 3).onUpload(releaseAfterUpload));
  geometry.setAttribute('aTile', new BufferAttribute(layout.tile, 4).onUpload(releaseAfterUpload));
  geometry.setIndex(new BufferAttribute(layout.index, 1).onUpload(releaseAfterUpload));
  // Tiles fly while fractured; the mesh is never culled, so a generous sphere will do.
  geometry.boundingSphere = new Sphere(new Vector3(), 8);
  return { geometry, cell: layout.cell, tiles: layout.tiles, reach };
};

/**
 * The Dream Mosaic: one mesh, one draw call, whatever the tile count. The geometry is rebuilt
 * only when the tile count, pattern, seed or number of dreamers changes (or the WebGL context
 * comes back: its vertices live only on the GPU), and the old one is
 * disposed at once so GPU memory stays flat across preset switches. At rest the mesh draws with
 * a material that leaves the fracture and the glitch out; while either moves, with the one that
 * has them (both share their uniforms, and both are compiled when the scene mounts, so the
 * first fracture does not stall on a compile).
 */
export const DreamMosaic = ({ runtime, store }: { runtime: SceneRuntime; store: DreamStore }) => {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const scene = useThree((s) => s.scene);
  const { group, mesh, rest, motion, impostor } = useMemo(() => {
    const rest = createMosaicMaterial(false);
    const motion = createMosaicMaterial(true, rest.uniforms);
    const m = new Mesh(new BufferGeometry(), rest);
    m.frustumCulled = false;
    m.name = 'DreamMosaic';
    const impostor = new MosaicImpostor();
    const group = new Group();
    group.add(m, impostor.mesh);
    return { group, mesh: m, rest, motion, impostor };
  }, []);
  const lastDream = useRef<unknown>(null);
  const key = useRef({ tiles: -1, pattern: '', seed: -1, dreamers: -1, context: -1, reach: { x: 1, y: 1 } });
  useEffect(() => {
    mesh.material = motion;
    impostor.mesh.visible = true;
    gl.compile(group, camera, scene);
    impostor.mesh.visible = false;
    mesh.material = rest;
  }, [gl, camera, scene, group, mesh, rest, motion, impostor]);
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      rest.dispose();
      motion.dispose();
      impostor.dispose();
      key.current.tiles = -1;
    },
    [mesh, rest, motion, impostor],
  );
  useFrame(() => {
    const s = store.getState().dream;
    const k = key.current;
    const m = s.mosaic;
    if (k.tiles !== m.tiles || k.pattern !== m.pattern || k.seed !== s.seed || k.dreamers !== s.dreamers.length || k.context !== runtime.contextRestores) {
      const t0 = performance.now();
      const built = layoutGeometry(m.tiles, m.pattern, s.seed, s.dreamers.length);
      // After a lost context the old geometry's GL objects went with it: nothing to delete.
      if (k.context === runtime.contextRestores) mesh.geometry.dispose();
      mesh.geometry = built.geometry;
      rest.uniforms.uCell.value = built.cell;
      k.tiles = m.tiles;
      k.pattern = m.pattern;
      k.seed = s.seed;
      k.dreamers = s.dreamers.length;
      k.context = runtime.contextRestores;
      k.reach = built.reach;
      runtime.stats.tiles = built.tiles;
      runtime.stats.layoutMs = performance.now() - t0;
    }
    const f = runtime.frame;
    const moving = mosaicInMotion(f);
    mesh.material = moving ? motion : rest;
    updateMosaicMaterial(rest, f);
    // At rest on a machine slow enough to have reduced the detail, the tiles are drawn from a
    // picture of them (see MosaicImpostor); otherwise, and whenever they move, as geometry.
    const fromPicture = !moving && runtime.stats.detail === 'reduced';
    if (fromPicture) {
      // A change is in every tile only after a whole round of slices: see that those frames are
      // drawn even if the clock is paused.
      if (s !== lastDream.current || runtime.dirty) runtime.requestFrames(impostor.slices(mesh.geometry));
      // Pixels per mosaic unit on screen, where the window stands (the camera looks at it from z).
      const cam = camera as PerspectiveCamera;
      const visible = 2 * Math.max(1, cam.position.z) * Math.tan(((cam.fov ?? 38) * Math.PI) / 360);
      impostor.update(gl, mesh.geometry, rest, (gl.getDrawingBufferSize(drawingBuffer).y * MOSAIC_SCALE) / visible, k.reach);
    } else if (runtime.stats.detail === 'full') impostor.release();
    else impostor.invalidate();
    lastDream.current = s;
    impostor.mesh.visible = fromPicture;
    mesh.visible = !fromPicture;
    // The window leans back a little and sways with the dream.
    group.rotation.set(-0.2 + 0.04 * Math.sin(f.time * 0.05), 0.06 * Math.sin(f.time * 0.037), 0);
  }, FRAME_PRIORITY.update);
  return <primitive object={group} scale={MOSAIC_SCALE} />;
};
