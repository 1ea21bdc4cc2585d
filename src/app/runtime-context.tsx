import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { DreamStore, DreamStoreState } from '../store/dream-store.ts';
import type { DreamClock } from '../store/clock.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { ShowLogControl } from '../log/show-log-module.ts';
import type { SyncHandle } from '../sync/connect.ts';
import type { ResumeInfo } from '../persist/resume.ts';
import type { DreamCheck } from '../persist/saved-show.ts';

/** The thin React layer over the vanilla store (as zustand's react.ts sits over vanilla.ts). */
export interface DreamRuntime {
  store: DreamStore;
  clock: DreamClock;
  /** The one runtime: every input's actions go through it (src/runtime). */
  bus: Runtime;
  /** Performer: the show log (recording, replay, seek, take over); null in an audience. */
  showLog: ShowLogControl | null;
  view: 'performer' | 'audience';
  /** The show's room (`?room=`). */
  room: string;
  sync: SyncHandle;
  /** Performer: what this tab found kept in its session storage at boot (src/persist). */
  resume?: ResumeInfo;
  /** How a dream read back from outside (storage, the wire) is checked before it is used. */
  checkDream: DreamCheck;
}

const DreamContext = createContext<DreamRuntime | null>(null);

export const DreamProvider = ({ runtime, children }: { runtime: DreamRuntime; children: ReactNode }) => (
  <DreamContext.Provider value={runtime}>{children}</DreamContext.Provider>
);

export const useRuntime = (): DreamRuntime => {
  const r = useContext(DreamContext);
  if (!r) throw new Error('useRuntime: no <DreamProvider> above this component');
  return r;
};

/**
 * Subscribe a component to a slice of the store. For values that change every frame, read
 * `store.getState()` inside useFrame instead: this hook re-renders on every change of the slice.
 */
export const useDream = <T,>(selector: (s: DreamStoreState) => T): T => useStore(useRuntime().store, selector);
