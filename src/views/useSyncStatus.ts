import { useEffect, useState } from 'react';
import { useRuntime } from '../app/runtime-context.tsx';
import type { SyncStatus } from '../sync/connect.ts';

/** The sync's status, refreshed when the link changes and every `everyMs`. */
export const useSyncStatus = (everyMs = 500): SyncStatus => {
  const { sync } = useRuntime();
  const [status, setStatus] = useState<SyncStatus>(() => sync.status());
  useEffect(() => {
    const refresh = () => setStatus(sync.status());
    const unsubscribe = sync.link.subscribe(refresh);
    const timer = setInterval(refresh, everyMs);
    refresh();
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  }, [sync, everyMs]);
  return status;
};
