import { useFrame } from '@react-three/fiber';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { cameraPose, updateCameraPose } from './camera-motion.ts';

/** Moves r3f's camera as the scene's `camera` says (camera-motion.ts): its motion, framing, tilt and field of view. */
export const CameraMotion = ({ runtime }: { runtime: SceneRuntime }) => {
  useFrame((state) => {
    const camera = state.camera;
    updateCameraPose(runtime.frame, state.size.width / Math.max(1, state.size.height));
    const p = cameraPose;
    if ('fov' in camera && camera.fov !== p.fov) {
      camera.fov = p.fov;
      camera.updateProjectionMatrix();
    }
    camera.position.set(p.x, p.y, p.z);
    camera.lookAt(p.lookX, p.lookY, p.lookZ);
    // Tilt pitches the view about the camera (+ looks down), then the roll turns it about its axis.
    if (p.tilt !== 0) camera.rotateX(-p.tilt);
    camera.rotateZ(p.roll);
    camera.updateMatrixWorld();
  }, FRAME_PRIORITY.camera);
  return null;
};
