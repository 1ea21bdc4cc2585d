import { useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, Mesh, Sphere, Vector3 } from 'three';
import type { DreamStore } from '../store/dream-store.ts';
import { buildMosaicLayout } from './layout/mosaic-layout.ts';
import { createMosaicMaterial, updateMosaicMaterial } from './materials.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';

/** World units per mosaic unit: the window is about 7 units tall. */
export const MOSAIC_SCALE = 3.5;

const layoutGeometry = (tiles: number, pattern: 'voronoi' | 'hex' | 'grid', seed: number, dreamers: number): { geometry: BufferGeometry; cell: number; tiles: number } => {
  const layout = buildMosaicLayout({ tiles, pattern, seed, dreamers });
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(layout.position, 3));
  geometry.setAttribute('aTile', new BufferAttribute(layout.tile, 4));
  geometry.setIndex(new BufferAttribute(layout.index, 1));
  // Tiles fly while fractured; the mesh is never culled, so a generous sphere will do.
  geometry.boundingSphere = new Sphere(new Vector3(), 8);
  return { geometry, cell: layout.cell, tiles: layout.tiles };
};

/**
 * The Dream Mosaic: one mesh, one draw call, whatever the tile count. The geometry is rebuilt
 * only when the tile count, pattern, seed or number of dreamers changes, and the old one is
 * disposed at once so GPU memory stays flat across preset switches.
 */
export const DreamMosaic = ({ runtime, store }: { runtime: SceneRuntime; store: DreamStore }) => {
  const mesh = useMemo(() => {
    const m = new Mesh(new BufferGeometry(), createMosaicMaterial());
    m.frustumCulled = false;
    m.name = 'DreamMosaic';
    return m;
  }, []);
  const key = useRef({ tiles: -1, pattern: '', seed: -1, dreamers: -1 });
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      mesh.material.dispose();
      key.current.tiles = -1;
    },
    [mesh],
  );
  useFrame(() => {
    const s = store.getState().dream;
    const k = key.current;
    const m = s.mosaic;
    if (k.tiles !== m.tiles || k.pattern !== m.pattern || k.seed !== s.seed || k.dreamers !== s.dreamers.length) {
      const t0 = performance.now();
      const built = layoutGeometry(m.tiles, m.pattern, s.seed, s.dreamers.length);
      mesh.geometry.dispose();
      mesh.geometry = built.geometry;
      mesh.material.uniforms.uCell.value = built.cell;
      k.tiles = m.tiles;
      k.pattern = m.pattern;
      k.seed = s.seed;
      k.dreamers = s.dreamers.length;
      runtime.stats.tiles = built.tiles;
      runtime.stats.layoutMs = performance.now() - t0;
    }
    const f = runtime.frame;
    updateMosaicMaterial(mesh.material, f);
    // The window leans back a little and sways with the dream.
    mesh.rotation.set(-0.2 + 0.04 * Math.sin(f.time * 0.05), 0.06 * Math.sin(f.time * 0.037), 0);
  }, FRAME_PRIORITY.update);
  return <primitive object={mesh} scale={MOSAIC_SCALE} />;
};
