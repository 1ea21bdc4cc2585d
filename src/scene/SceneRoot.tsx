import { useEffect, useLayoutEffect, useMemo } from 'react';
import { advance, useFrame, useThree } from '@react-three/fiber';
import type { WebGLRenderer } from 'three';
import type { DreamStore } from '../store/dream-store.ts';
import type { DreamClock } from '../store/clock.ts';
import { updateSceneFrame } from './scene-frame.ts';
import type { FrameOptions } from './scene-frame.ts';
import type { SceneRuntime, SceneStats } from './scene-runtime.ts';
import { FRAME_PRIORITY } from './frame-priority.ts';
import { variantsMade } from './variants-made.ts';
import { DreamMosaic } from './DreamMosaic.tsx';
import { DreamThreads } from './DreamThreads.tsx';
import { DreamParticles } from './DreamParticles.tsx';
import { CameraMotion } from './CameraMotion.tsx';
import { DreamRenderer } from './DreamRenderer.tsx';
import { DreamPost } from './post/dream-post.ts';
import { registerApi } from '../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../api/dreamscape-api.ts';

declare module '../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** The picture's figures: frames, draw calls, pixel ratio, detail, memory, page errors. */
    stats(): SceneStats;
  }
}

const frameOptions: FrameOptions = { audience: false, prefersReducedMotion: false };

/** `dreamscape.stats()`: the scene's figures with the renderer's memory, the page's errors and another performer heard. */
const useStatsApi = (gl: WebGLRenderer, runtime: SceneRuntime, registerStats: boolean) => {
  useEffect(() => {
    const api: DreamscapeApi | undefined = window.dreamscape;
    if (!api || !registerStats) return;
    const stats = (): SceneStats => {
      const s = runtime.snapshot();
      const info = gl.info;
      s.geometries = info.memory.geometries;
      s.textures = info.memory.textures;
      s.programs = info.programs?.length ?? 0;
      s.variants = variantsMade.count;
      s.pixelRatio = gl.getPixelRatio();
      // The app counts page errors (src/app/page-errors.ts) and lends the count to the API.
      s.pageErrors = api.pageErrors?.().count ?? 0;
      // The sync lends another performer heard in the room (src/sync/sync-api.ts).
      s.otherPerformer = api.otherPerformer?.() ?? null;
      return s;
    };
    return registerApi(api, { stats });
  }, [gl, runtime, registerStats]);
};

/** The viewer's prefers-reduced-motion, followed as it changes. */
const useReducedMotion = (runtime: SceneRuntime) => {
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-reduced-motion: reduce)');
    if (!query) return;
    const apply = () => {
      runtime.prefersReducedMotion = query.matches;
      runtime.dirty = true;
    };
    apply();
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [runtime]);
};

/**
 * Inside the Canvas: draws a frame whenever the dream clock advances (the page's one rAF loop,
 * or a synchronous `clock.step`), registers `stats()` on the scripting API and handles the loss
 * and return of the WebGL context.
 */
export const SceneRoot = ({ runtime, store, clock, onContextLost, registerStats = true }: { runtime: SceneRuntime; store: DreamStore; clock: DreamClock; onContextLost: (lost: boolean) => void; /** false: a picture of its own (a render to a file) that must not take the page's stats(). */ registerStats?: boolean }) => {
  const gl = useThree((s) => s.gl);
  const get = useThree((s) => s.get);
  const post = useMemo(() => new DreamPost(), []);
  useEffect(() => () => post.dispose(), [post]);
  useEffect(() => post.compile(gl), [post, gl]);

  useLayoutEffect(() => {
    // The whole frame's draw calls are counted by DreamEffects, which resets the counters itself.
    gl.info.autoReset = false;
  }, [gl]);

  useEffect(() => {
    const draw = (sync: boolean) => {
      if (runtime.stats.contextLost) return;
      const dream = store.getState().dream;
      // The page's loop draws only when something changed; a step always draws, synchronously.
      if (!sync && !runtime.needsFrame(dream)) return;
      advance(dream.clock, true, get());
    };
    const off = clock.onAdvance(draw);
    runtime.dirty = true;
    const canvas = gl.domElement;
    const lost = () => {
      runtime.stats.contextLost = true;
      runtime.stats.ready = false;
      onContextLost(true);
    };
    const restored = () => {
      // three has rebuilt its GL state (its listener runs first); draw the dream as it is now.
      runtime.stats.contextLost = false;
      runtime.contextRestores++;
      runtime.dirty = true;
      onContextLost(false);
      draw(true);
    };
    canvas.addEventListener('webglcontextlost', lost);
    canvas.addEventListener('webglcontextrestored', restored);
    return () => {
      off();
      canvas.removeEventListener('webglcontextlost', lost);
      canvas.removeEventListener('webglcontextrestored', restored);
    };
  }, [clock, store, gl, get, runtime, onContextLost]);

  useStatsApi(gl, runtime, registerStats);
  useReducedMotion(runtime);

  useFrame(() => {
    runtime.beginFrame(performance.now());
    frameOptions.audience = runtime.audience;
    frameOptions.prefersReducedMotion = runtime.prefersReducedMotion;
    frameOptions.running = !clock.paused();
    updateSceneFrame(runtime.frame, store.getState().dream, frameOptions);
  }, FRAME_PRIORITY.derive);

  return (
    <>
      <CameraMotion runtime={runtime} />
      <DreamMosaic runtime={runtime} store={store} />
      <DreamThreads runtime={runtime} />
      <DreamParticles runtime={runtime} />
      <DreamRenderer runtime={runtime} store={store} post={post} />
    </>
  );
};
