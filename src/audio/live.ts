/**
 * The live side of the symphony, loaded on demand (it brings Tone): the engine on the page's
 * audio context, following the store.
 */
import * as Tone from 'tone';
import type { DreamStore } from '../store/dream-store.ts';
import { NeuroSymphony } from './engine.ts';
import type { DreamSource } from './engine.ts';

export type ContextState = 'suspended' | 'running' | 'closed' | 'interrupted';

/** The store as the engine's dream source: only changes of the dream itself are passed on. */
export const storeSource = (store: DreamStore): DreamSource => ({
  getState: () => store.getState().dream,
  subscribe: (listener) =>
    store.subscribe((s, prev) => {
      if (s.dream !== prev.dream) listener(s.dream, prev.dream);
    }),
});

export interface LiveSymphony {
  engine: NeuroSymphony;
  context: Tone.BaseContext;
  state(): ContextState;
  resume(): Promise<void>;
  onStateChange(fn: () => void): () => void;
  dispose(): void;
}

/** The page's audio context (Tone's), resumed if the browser allows it now. */
export const audioContext = (): Tone.BaseContext => Tone.getContext();

export const contextState = (context: Tone.BaseContext = Tone.getContext()): ContextState =>
  (context.rawContext as unknown as { state: ContextState }).state;

export const createLive = (store: DreamStore, audience: boolean): LiveSymphony => {
  const context = Tone.getContext();
  const engine = new NeuroSymphony({ context, source: storeSource(store), audience });
  engine.toDestination();
  const raw = context.rawContext as unknown as AudioContext;
  return {
    engine,
    context,
    state: () => contextState(context),
    resume: async () => {
      await raw.resume();
    },
    onStateChange: (fn) => {
      raw.addEventListener('statechange', fn);
      return () => raw.removeEventListener('statechange', fn);
    },
    dispose: () => {
      engine.dispose();
    },
  };
};

export { NeuroSymphony };
