import type { SceneFrame } from './scene-frame.ts';
import { mix32, unit } from '../model/hash.ts';

/** The camera's drift this frame (module-level scratch: written each frame, never allocated). */
export const cameraDrift = { x: 0, y: 0, z: 12.5, lookX: 0, lookY: 0, roll: 0 };

/**
 * A slow drift around the mosaic, a function of dream time and seed only: two windows at the
 * same dream time see from the same place. Deeper sleep draws the camera closer; reduced motion
 * keeps it nearly still.
 */
export const updateCameraDrift = (f: SceneFrame, aspect: number, fovDegrees: number): void => {
  const t = f.time;
  const p1 = unit(mix32(f.seed ^ 0x1234567)) * 6.2832;
  const p2 = unit(mix32(f.seed ^ 0x7654321)) * 6.2832;
  const p3 = unit(mix32(f.seed ^ 0x0badf00d)) * 6.2832;
  const amp = f.reducedMotion ? 0.25 : 1;
  cameraDrift.x = amp * (1.3 * Math.sin(t * 0.043 + p1) + 0.35 * Math.sin(t * 0.11 + p2));
  cameraDrift.y = amp * (0.55 * Math.sin(t * 0.037 + p2) + 0.2 * Math.sin(t * 0.09 + p3)) - 0.25;
  // Far enough back that the window (about 11 units wide) fits a narrow screen too.
  const halfTan = Math.tan((fovDegrees * Math.PI) / 360);
  const fit = Math.max(0, 6.4 / (halfTan * Math.max(0.2, aspect)) - 12.6);
  cameraDrift.z = 12.6 + fit - 1.4 * f.depth + amp * 0.7 * Math.sin(t * 0.029 + p3);
  cameraDrift.lookX = amp * 0.35 * Math.sin(t * 0.031 + p3);
  cameraDrift.lookY = amp * 0.2 * Math.sin(t * 0.027 + p1);
  cameraDrift.roll = amp * 0.025 * Math.sin(t * 0.021 + p2);
};
