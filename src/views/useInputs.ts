import { useEffect, useState } from 'react';
import { useRuntime } from '../store/react.tsx';
import { showNotice } from '../controls/notices.ts';
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

/**
 * The performer view starts the inputs (MIDI, OSC, tap tempo, the mappings) when it opens and
 * stops them when it closes; they are in the performer's chunk, not the audience's.
 */
export const useInputs = (): Inputs | null => {
  const { bus } = useRuntime();
  const [inputs, setInputs] = useState<Inputs | null>(null);
  useEffect(() => {
    const started = startInputs(bus, window.dreamscape, { say: (m) => showNotice(m), storage: safeLocalStorage(), search: window.location.search });
    setInputs(started);
    return () => {
      started.stop();
      setInputs(null);
    };
  }, [bus]);
  return inputs;
};
