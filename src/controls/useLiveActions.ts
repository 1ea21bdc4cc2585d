import { useCallback, useEffect, useRef } from 'react';
import { audienceUrl } from '../app/audience-url.ts';
import type { Source } from '../runtime/runtime.ts';
import { useRuntime } from '../app/runtime-context.tsx';
import { actionFor, isTyping, liveActionForKey } from './live-actions.ts';
import type { LiveAction } from './live-actions.ts';
import { actOrSay, showNotice } from './notices.ts';
import { withQuality } from '../scene/quality-setting.ts';

/**
 * Open the audience view of this room in a new window (for a second screen or projector). Its URL
 * is built from an allow-list of view parameters (audienceUrl): never the performer's secret, so
 * the projector's address bar shows nothing that signs in as the performer.
 */
export const openAudienceWindow = (): Window | null =>
  window.open(audienceUrl(window.location.pathname, withQuality(window.location.search)), 'dreamscape-audience', 'popup,width=1280,height=720');

export const toggleFullscreen = (el: Element = document.documentElement): void => {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void el.requestFullscreen?.().catch(() => showNotice('fullscreen was refused by the browser'));
};

/** Run a live action (from a button: source `panel`, or a key: `key`) on the runtime's bus. */
export const useLiveAction = () => {
  const { store, bus } = useRuntime();
  return useCallback(
    (id: LiveAction['id'], source: Source = 'panel') => {
      if (id === 'fullscreen') return toggleFullscreen();
      if (id === 'audience') {
        if (!openAudienceWindow()) showNotice('the audience window was blocked: allow pop-ups for this page');
        return;
      }
      const action = actionFor(id, store.getState().dream.output.panic);
      if (!action) return;
      actOrSay(bus, action, source);
    },
    [store, bus],
  );
};

/**
 * The performer's keys: F G R, Space/→ ←, Esc, period, O, and the inputs' `extra` keys (T tap
 * tempo, L learn), by lower-case key. Nothing while typing in a field.
 */
export const useLiveKeys = (extra: Readonly<Record<string, () => void>> = {}) => {
  const run = useLiveAction();
  const more = useRef(extra);
  useEffect(() => {
    more.current = extra;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat) return;
      const k = e.key.toLowerCase();
      const fn = e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !Object.hasOwn(more.current, k) ? undefined : more.current[k];
      if (fn) {
        e.preventDefault();
        return fn();
      }
      const a = liveActionForKey(e);
      if (!a) return;
      e.preventDefault();
      run(a.id, 'key');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
};
