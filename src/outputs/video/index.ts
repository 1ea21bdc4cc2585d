/**
 * Keep the show (issue 17): `dreamscape.renderVideo(options)` renders a show log (or a preset playing
 * by itself) to an MP4, WebM or WAV file; `dreamscape.cancelRender()` stops it. An output module:
 * what it registers goes when it stops. The renderer (mediabunny, the offline picture) is a chunk of
 * its own, loaded on the first render: nothing of it is in the page's first download.
 */
import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import type { RuntimeModule } from '../../runtime/runtime.ts';
import type { RenderVideoOptions } from './options.ts';
import type { RenderHooks, RenderVideoResult } from './render.ts';
import { observable } from '../../lib/observable.ts';
import type { Observable } from '../../lib/observable.ts';

export type { RenderVideoOptions, RenderVideoResult };

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Render a show log (or `preset` for `seconds`) to a file: resolves with {frames, seconds, bytes, blob}; one render at a time. */
    renderVideo(options: RenderVideoOptions, hooks?: RenderHooks): Promise<RenderVideoResult>;
    /** Stop the render under way: its promise rejects and no file is made. False if none was running. */
    cancelRender(): boolean;
  }
}

/** Whether a render is under way (the dialog follows it). */
const renderingValue = observable(false);
export const rendering: Observable<boolean> = renderingValue;

let current: AbortController | null = null;

export const renderVideo = async (options: RenderVideoOptions, hooks: RenderHooks = {}): Promise<RenderVideoResult> => {
  if (current) throw new Error('renderVideo: a render is already under way (dreamscape.cancelRender() stops it)');
  const controller = new AbortController();
  current = controller;
  hooks.signal?.addEventListener('abort', () => controller.abort());
  renderingValue.set(true);
  try {
    const { renderVideo: render, RenderCancelledError } = await import('./render.ts');
    const result = await render(options, { ...hooks, signal: controller.signal });
    // cancelRender() said true: the render is not done, even if its last frame was already drawn.
    if (controller.signal.aborted) throw new RenderCancelledError();
    return result;
  } finally {
    if (current === controller) current = null;
    renderingValue.set(false);
  }
};

export const cancelRender = (): boolean => {
  if (!current) return false;
  current.abort();
  return true;
};

/** The module: registers renderVideo and cancelRender; its stop cancels a render under way and takes them away. */
export const videoOutput = (api: DreamscapeApi): RuntimeModule => ({
  name: 'video output',
  start: () => {
    const unregister = registerApi(api, { renderVideo, cancelRender });
    return () => {
      cancelRender();
      unregister();
    };
  },
});
