import { useEffect } from 'react';
import { useControls } from 'leva';
import type { Quality } from '../scene/adaptive-quality.ts';
import { windowQuality } from '../scene/quality-setting.ts';
import type { QualitySetting } from '../scene/quality-setting.ts';
import { showNotice } from './notices.ts';

/**
 * The performer's Output folder: this window's picture quality, `auto` (adapts to the frame rate)
 * or `full` (pixel ratio 1 and full detail, locked). A setting of this window, not of the dream:
 * it is not sent to audiences; the audience window the performer opens carries it in its URL.
 * Follows changes made elsewhere (`dreamscape.setQuality`).
 */
export const useQualityFolder = (setting: QualitySetting = windowQuality) => {
  const [, set] = useControls(
    'Output',
    () => ({
      quality: {
        value: setting.get(),
        options: ['auto', 'full'] satisfies Quality[],
        onChange: (v: Quality, _path: string, ctx: { initial: boolean }) => {
          if (ctx.initial || v === setting.get()) return;
          try {
            setting.set(v);
          } catch (err) {
            showNotice((err as Error).message);
          }
        },
        transient: true,
      },
    }),
    { collapsed: true },
  ) as unknown as [unknown, (patch: Record<string, unknown>) => void];
  useEffect(() => setting.subscribe((quality) => set({ quality })), [set, setting]);
};
