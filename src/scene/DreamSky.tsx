import { useEffect, useMemo } from 'react';
import { useFrame } from '@react-three/fiber';
import { BufferAttribute, BufferGeometry, Mesh, Sphere, Vector3 } from 'three';
import { createBackdropMaterial } from './materials.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import type { DreamPost } from './post/dream-post.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { cameraDrift } from './camera-drift.ts';

/**
 * The sky behind the scene: one full-screen triangle, drawn first, that stretches the
 * quarter-size sky DreamPost draws each frame and adds the stars at full size.
 */
export const DreamSky = ({ runtime, post }: { runtime: SceneRuntime; post: DreamPost }) => {
  const mesh = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3));
    geometry.boundingSphere = new Sphere(new Vector3(), 1e6);
    const m = new Mesh(geometry, createBackdropMaterial());
    m.frustumCulled = false;
    m.renderOrder = -1000;
    m.name = 'DreamSky';
    return m;
  }, []);
  useEffect(
    () => () => {
      mesh.geometry.dispose();
      mesh.material.dispose();
    },
    [mesh],
  );
  useFrame(() => {
    const f = runtime.frame;
    const u = mesh.material.uniforms;
    u.uSky.value = post.sky.texture;
    u.uTime.value = f.time;
    u.uDrift.value.set(cameraDrift.x * -0.02, cameraDrift.y * -0.02);
    // Starlight takes a little of the glow's colour.
    u.uStarColour.value.set(0.75 + 0.25 * Math.pow(f.palette[6]!, 1 / 2.2), 0.75 + 0.25 * Math.pow(f.palette[7]!, 1 / 2.2), 0.8 + 0.2 * Math.pow(f.palette[8]!, 1 / 2.2));
  }, FRAME_PRIORITY.update);
  return <primitive object={mesh} />;
};
