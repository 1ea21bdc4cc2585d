import { observable } from './protocol.ts';
import type { Carrier, SyncMessage } from './protocol.ts';
import { checkSyncMessage, reportDropped } from './validate.ts';
import { listeners } from '../lib/listeners.ts';

/**
 * Windows of one browser on one machine (a second screen or projector) share a BroadcastChannel.
 * Any page of the origin may post on it, so every message is checked (src/sync/validate.ts)
 * before anyone hears it; a bad one is dropped with one console line.
 */
export const createBroadcastCarrier = (room: string): Carrier => {
  const channel = new BroadcastChannel(`dreamscape:${room}`);
  const received = listeners<[SyncMessage]>();
  channel.onmessage = (e: MessageEvent) => {
    const checked = checkSyncMessage(e.data);
    if (!checked.ok) {
      reportDropped('message from another window', checked.rejection);
      return;
    }
    received.emit(checked.value, (e) => console.error(e));
  };
  // A message that cannot even be deserialized here (too deep for the structured clone) is dropped too.
  channel.onmessageerror = () => reportDropped('message from another window', { message: 'could not be read (structured clone failed)', path: '$' });
  const link = observable({ carrier: 'broadcast' as const, relay: null, state: 'connected' as const, since: Date.now(), connects: 1, refused: null, error: null });
  return {
    link,
    send: (m) => channel.postMessage(m),
    onMessage: (fn) => {
      return received.add(fn);
    },
    close: () => {
      received.clear();
      channel.close();
    },
  };
};
