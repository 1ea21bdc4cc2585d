import { useEffect, useState, useSyncExternalStore } from 'react';
import { useRuntime } from '../app/runtime-context.tsx';
import { observable } from '../lib/observable.ts';
import { installSymphony } from '../audio/symphony.ts';
import type { SymphonyController, SymphonyStatus } from '../audio/symphony.ts';
import './symphony.css';

const IDLE: SymphonyStatus = { phase: 'idle', context: 'none', entered: false, error: null };

/**
 * The way into the dream's sound: browsers start audio only after a gesture, so the first view
 * shows "enter the dream"; afterwards a small notice offers one-click resume whenever the audio
 * context is suspended or interrupted (and the symphony resumes by itself when it can).
 */
export const SymphonyGate = () => {
  const runtime = useRuntime();
  // The controller installed for this runtime (by the effect: installing it registers the API and
  // listens to the page), read by the render below.
  const [installed] = useState(() => observable<SymphonyController | null>(null));

  useEffect(() => {
    const { controller: c, uninstall } = installSymphony(runtime, typeof window === 'undefined' ? undefined : window.dreamscape);
    installed.set(c);
    // Fetch Tone (the symphony's chunk, ~70 KB gzip) while the page is idle, so the gesture
    // starts the sound at once, but only in the window where the symphony plays (audioHere: the
    // performer's, or the audience the performer's messages name): an audience that is never
    // told to play does not download it, unless its viewer asks for sound (the button below).
    const load = () => void c.preload().catch(() => undefined);
    let idle: number | undefined;
    const whenIdle = () => {
      if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(load, { timeout: 4000 });
      else load();
    };
    let stopWatching = () => {};
    if (runtime.store.getState().audioHere) whenIdle();
    else
      stopWatching = runtime.store.subscribe((s) => {
        if (!s.audioHere) return;
        stopWatching();
        whenIdle();
      });
    return () => {
      stopWatching();
      if (idle !== undefined && typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
      uninstall();
    };
  }, [runtime, installed]);

  const controller = useSyncExternalStore(installed.subscribe, installed.get, () => null);
  const status = useSyncExternalStore(
    (fn) => controller?.subscribe(fn) ?? (() => undefined),
    () => controller?.status() ?? IDLE,
    () => IDLE,
  );
  if (!controller) return null;
  const preload = () => void controller.preload().catch(() => undefined);

  if (!status.entered) {
    return (
      <div className="symphony-gate" data-testid="symphony-gate">
        <button
          type="button"
          className="symphony-enter"
          data-testid="enter-dream"
          // A viewer reaching for the button asks for sound: fetch Tone before the click lands.
          onPointerEnter={preload}
          onFocus={preload}
          onClick={() => void controller.enter()}
          aria-label="enter the dream: start the sound"
        >
          <span className="symphony-enter-title">enter the dream</span>
          <span className="symphony-enter-sub">sound on</span>
        </button>
      </div>
    );
  }
  if (status.phase === 'paused' || status.phase === 'error') {
    return (
      <div className="symphony-notice" role="status" data-testid="symphony-notice">
        <span>{status.phase === 'error' ? `the sound could not start: ${status.error ?? 'unknown error'}` : `the dream's sound is paused (${status.context})`}</span>
        <button type="button" data-testid="resume-sound" onClick={() => void controller.resume()}>
          resume sound
        </button>
      </div>
    );
  }
  return null;
};
