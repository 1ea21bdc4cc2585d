import { isSyncMessage, observable } from './protocol.ts';
import type { Carrier, SyncMessage } from './protocol.ts';

/** Windows of one browser on one machine (a second screen or projector) share a BroadcastChannel. */
export const createBroadcastCarrier = (room: string): Carrier => {
  const channel = new BroadcastChannel(`dreamscape:${room}`);
  const listeners = new Set<(m: SyncMessage) => void>();
  channel.onmessage = (e: MessageEvent) => {
    if (!isSyncMessage(e.data)) return;
    for (const fn of listeners) fn(e.data);
  };
  const link = observable({ carrier: 'broadcast' as const, relay: null, state: 'connected' as const, since: Date.now(), connects: 1, refused: null, error: null });
  return {
    link,
    send: (m) => channel.postMessage(m),
    onMessage: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => {
      listeners.clear();
      channel.close();
    },
  };
};
