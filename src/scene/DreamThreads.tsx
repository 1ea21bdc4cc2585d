import { useEffect, useMemo, useRef } from 'react';
import { useFrame } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, Mesh, Sphere, Vector3 } from 'three';
import { buildThreadArrays } from './layout/thread-geometry.ts';
import { createThreadMaterial, updateThreadMaterial } from './materials.ts';
import { MAX_DREAMERS } from './scene-frame.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';

const threadGeometry = (count: number): BufferGeometry => {
  const { position, index } = buildThreadArrays(count);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(position, 3));
  geometry.setIndex(new BufferAttribute(index, 1));
  geometry.boundingSphere = new Sphere(new Vector3(), 20);
  return geometry;
};

/**
 * The dreamers' threads, all in one mesh (one draw call). A private dreamer's thread is not drawn
 * in the audience view (its visibility is 0 and the vertex shader drops it).
 */
export const DreamThreads = ({ runtime }: { runtime: SceneRuntime }) => {
  const mesh = useMemo(() => {
    const m = new Mesh(new BufferGeometry(), createThreadMaterial());
    m.frustumCulled = false;
    m.renderOrder = 10;
    m.name = 'DreamThreads';
    return m;
  }, []);
  const built = useRef(-1);
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      mesh.material.dispose();
      built.current = -1;
    },
    [mesh],
  );
  useFrame(() => {
    const f = runtime.frame;
    const count = Math.min(MAX_DREAMERS, f.dreamerCount);
    if (built.current !== count) {
      mesh.geometry.dispose();
      mesh.geometry = threadGeometry(count);
      built.current = count;
    }
    mesh.visible = count > 0;
    updateThreadMaterial(mesh.material, f);
  }, FRAME_PRIORITY.update);
  return <primitive object={mesh} />;
};
