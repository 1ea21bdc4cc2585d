import { useEffect, useRef } from 'react';
import { useFrame, useThree } from '@react-three/fiber';
import { AdaptiveQuality as Controller } from './adaptive-quality.ts';
import type { Quality, QualityStep } from './adaptive-quality.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { windowQuality } from './quality-setting.ts';
import type { QualitySetting } from './quality-setting.ts';
import type { DreamClock } from '../store/clock.ts';
import type { SceneRuntime } from './scene-runtime.ts';
import type { DreamscapeApi } from '../api/dreamscape-api.ts';

declare module '../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Lock this window's picture to 'full' quality (pixel ratio 1, full detail) or let it adapt ('auto'); throws on anything else. */
    setQuality(quality: Quality): void;
  }
}

/**
 * Lowers the canvas pixel ratio while frames are slow, then the detail (DreamPost leaves the glow
 * out), and raises them again with headroom; both are in `dreamscape.stats()` (pixelRatio, detail).
 * With the window's quality locked to 'full' (`?quality=full`, the Output panel,
 * `dreamscape.setQuality('full')`): pixel ratio 1 and full detail whatever the frame rate
 * (`stats().quality`).
 */
export const AdaptiveQuality = ({ clock, runtime, setting = windowQuality }: { clock: Pick<DreamClock, 'paused'>; runtime: SceneRuntime; setting?: QualitySetting }) => {
  const setDpr = useThree((s) => s.setDpr);
  const gl = useThree((s) => s.gl);
  const controller = useRef<Controller | null>(null);
  controller.current ??= new Controller({ maxRatio: Math.min(1.5, window.devicePixelRatio || 1), quality: setting.get() });
  const last = useRef<number | null>(null);

  useEffect(() => {
    const c = controller.current!;
    const show = (step: QualityStep) => {
      if (step.ratio !== gl.getPixelRatio()) setDpr(step.ratio);
      runtime.stats.detail = step.detail;
      runtime.dirty = true;
    };
    // At once, also with the clock paused: a locked picture is what a script or the performer asked for.
    const follow = (quality: Quality) => {
      runtime.stats.quality = quality;
      if (c.quality() !== quality) show(c.setQuality(quality));
      last.current = null;
    };
    runtime.stats.quality = setting.get();
    if (c.quality() !== setting.get()) show(c.setQuality(setting.get()));
    else if (setting.get() === 'full') show(c.step());
    const off = setting.subscribe(follow);
    const api: DreamscapeApi | undefined = window.dreamscape;
    const setQuality = (quality: Quality): void => setting.set(quality);
    if (api) Object.assign(api, { setQuality });
    return () => {
      off();
      if (api && api.setQuality === setQuality) delete api.setQuality;
    };
  }, [gl, setDpr, runtime, setting]);

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
