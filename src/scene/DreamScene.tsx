import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { Canvas } from '@react-three/fiber';
import { useRuntime } from '../app/runtime-context.tsx';
import { SceneRuntime } from './scene-runtime.ts';
import { SceneRoot } from './SceneRoot.tsx';
import { AdaptiveQuality } from './AdaptiveQuality.tsx';
import { windowQuality } from './quality-setting.ts';
import './scene.css';

/** The canvas's pixel ratio range at quality 'auto' (adaptive quality moves it within its ladder). */
const AUTO_DPR: [number, number] = [1, 1.5];

/**
 * The dreamscape scene: one <Canvas> for the whole show (never remounted), drawn only when the
 * dream clock advances (`frameloop="never"`; the clock's listeners call r3f's advance). In the
 * audience view a private dreamer's thread is not drawn and their region of the mosaic is veiled.
 */
export const DreamScene = ({ audience }: { audience: boolean }) => {
  const { store, clock } = useRuntime();
  const [scene] = useState(() => new SceneRuntime());
  const [lost, setLost] = useState(false);
  const onContextLost = useCallback((isLost: boolean) => setLost(isLost), []);
  // r3f sets the canvas's ratio from this prop whenever the Canvas renders again (a lost context,
  // another display): at quality 'full' it must be 1 then too.
  const quality = useSyncExternalStore(windowQuality.subscribe, windowQuality.get);
  useEffect(() => {
    scene.audience = audience;
    scene.dirty = true;
  }, [scene, audience]);
  return (
    <div className="dream-scene" data-testid="dream-scene" data-audience={audience}>
      <Canvas
        frameloop="never"
        flat
        dpr={quality === 'full' ? 1 : AUTO_DPR}
        gl={{ antialias: false, alpha: false, stencil: false, depth: true, powerPreference: 'high-performance' }}
        camera={{ fov: 38, near: 0.1, far: 80, position: [0, 0, 12.5] }}
      >
        <SceneRoot runtime={scene} store={store} clock={clock} onContextLost={onContextLost} />
        <AdaptiveQuality clock={clock} runtime={scene} />
      </Canvas>
      {lost ? (
        <div className="dream-notice" role="status" data-testid="context-lost">
          <p>The dream is resting for a moment.</p>
          <p className="dream-notice-sub">The picture will come back on its own; the music and the story go on.</p>
        </div>
      ) : null}
    </div>
  );
};
