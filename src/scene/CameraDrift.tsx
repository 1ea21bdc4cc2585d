import { useFrame } from '@react-three/fiber';
import type { SceneRuntime } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { cameraDrift, updateCameraDrift } from './camera-drift.ts';

/** Moves r3f's default camera along the dream's slow drift. */
export const CameraDrift = ({ runtime }: { runtime: SceneRuntime }) => {
  useFrame((state) => {
    const camera = state.camera;
    updateCameraDrift(runtime.frame, state.size.width / Math.max(1, state.size.height), 'fov' in camera ? (camera as { fov: number }).fov : 38);
    camera.position.set(cameraDrift.x, cameraDrift.y, cameraDrift.z);
    camera.lookAt(cameraDrift.lookX, cameraDrift.lookY, 0);
    camera.rotateZ(cameraDrift.roll);
    camera.updateMatrixWorld();
  }, FRAME_PRIORITY.camera);
  return null;
};
