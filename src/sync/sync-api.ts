import { registerApi } from '../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../api/dreamscape-api.ts';
import type { SyncHandle } from './connect.ts';

/** Another performer heard in the room within 5 s (see src/sync/performer-sync.ts). */
export interface OtherPerformerInfo {
  id: string;
  lastHeardMs: number;
  /** Performer: the devices follow it, not this window (this one stands by). */
  holdsRoom?: boolean;
}

declare module '../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Take the room over: every device follows this performer window from its next state on. */
    takeOver(): void;
    /** Another performer heard in this room within 5 s, or null (also in stats().otherPerformer). */
    otherPerformer(): OtherPerformerInfo | null;
  }
}

/** One performer per room, on the scripting API: `dreamscape.takeOver()`, `dreamscape.otherPerformer()`. */
export const registerSyncApi = (api: DreamscapeApi, sync: SyncHandle): (() => void) =>
  registerApi(api, {
    takeOver: () => {
      if (sync.role !== 'performer') throw new Error('takeOver: only a performer window can take the room over');
      sync.sync.takeOver();
    },
    otherPerformer: () => sync.sync.otherPerformer(),
  });
