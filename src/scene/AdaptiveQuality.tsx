import { useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { AdaptiveQuality as Controller } from './adaptive-quality.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import type { DreamClock } from '../store/clock.ts';
import type { SceneRuntime } from './scene-runtime.ts';

/**
 * Lowers the canvas pixel ratio while frames are slow, then the detail (DreamPost leaves the glow
 * out), and raises them again with headroom; both are in `dreamscape.stats()` (pixelRatio, detail).
 */
export const AdaptiveQuality = ({ clock, runtime }: { clock: Pick<DreamClock, 'paused'>; runtime: SceneRuntime }) => {
  const setDpr = useThree((s) => s.setDpr);
  const gl = useThree((s) => s.gl);
  const controller = useRef<Controller | null>(null);
  controller.current ??= new Controller({ maxRatio: Math.min(1.5, window.devicePixelRatio || 1) });
  const last = useRef<number | null>(null);
  useFrame(() => {
    // A paused clock is stepped by hand (tests, frame-exact captures): keep the picture as it is.
    if (clock.paused()) {
      last.current = null;
      return;
    }
    const now = performance.now() / 1000;
    const next = controller.current!.frame(now, last.current);
    last.current = now;
    if (next === null) return;
    if (next.ratio !== gl.getPixelRatio()) setDpr(next.ratio);
    runtime.stats.detail = next.detail;
    runtime.dirty = true;
  }, FRAME_PRIORITY.derive);
  return null;
};
