import { useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { AdaptiveQuality as Controller } from './adaptive-quality.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import type { DreamClock } from '../store/clock.ts';

/**
 * Lowers the canvas pixel ratio while frames are slow and raises it again with headroom; the
 * current ratio is in `dreamscape.stats().pixelRatio`.
 */
export const AdaptiveQuality = ({ clock }: { clock: Pick<DreamClock, 'paused'> }) => {
  const setDpr = useThree((s) => s.setDpr);
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
    if (next !== null) setDpr(next);
  }, FRAME_PRIORITY.derive);
  return null;
};
