import { useEffect } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import type { DreamStore } from '../store/dream-store.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import type { DreamPost } from './post/dream-post.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { cameraPose } from './camera-motion.ts';

/**
 * Renders the whole frame through DreamPost, last in the frame loop, and counts its draw calls
 * and triangles (the renderer's counters are reset once per frame, first in the loop, and count
 * every pass).
 */
export const DreamRenderer = ({ runtime, store, post }: { runtime: SceneRuntime; store: DreamStore; post: DreamPost }) => {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera);
  const size = useThree((s) => s.size);
  const dpr = useThree((s) => s.viewport.dpr);
  useEffect(() => {
    post.setSize(size.width * dpr, size.height * dpr);
    runtime.dirty = true;
  }, [post, size.width, size.height, dpr, runtime]);

  // Counted from the start of the frame: parts that draw while they update (the resting mosaic's
  // picture) are in the figures too.
  useFrame(() => gl.info.reset(), FRAME_PRIORITY.derive);
  useFrame(() => {
    const info = gl.info;
    post.render(gl, scene, camera, runtime.frame, cameraPose.skyX * -0.02, cameraPose.skyY * -0.02, runtime.stats.detail);
    const s = runtime.stats;
    s.drawCalls = info.render.calls;
    s.triangles = info.render.triangles;
    runtime.endFrame(performance.now(), store.getState().dream);
  }, FRAME_PRIORITY.render);
  return null;
};
