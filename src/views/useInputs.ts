import { useEffect, useSyncExternalStore } from 'react';
import { useRuntime } from '../app/runtime-context.tsx';
import { showNotice } from '../controls/notices.ts';
import { observable } from '../lib/observable.ts';
import { startInputs } from '../inputs/index.ts';
import type { Inputs } from '../inputs/index.ts';

/** localStorage, or null where it is refused (a sandboxed frame, storage disabled). */
const safeLocalStorage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

/** The running inputs of this window's performer view (null before it opens and after it closes). */
const running = observable<Inputs | null>(null);

/**
 * The performer view starts the inputs (MIDI, OSC, tap tempo, the mappings) when it opens and
 * stops them when it closes; they are in the performer's chunk, not the audience's.
 */
export const useStartInputs = (): void => {
  const { bus } = useRuntime();
  useEffect(() => {
    const started = startInputs(bus, window.dreamscape, { say: (m) => showNotice(m), storage: safeLocalStorage(), search: window.location.search });
    running.set(started);
    return () => {
      started.stop();
      running.set(null);
    };
  }, [bus]);
};

/** The running inputs, for the controls that show them (the Mappings panel, the tap button). */
export const useInputs = (): Inputs | null => useSyncExternalStore(running.subscribe, running.get);
