import type { DreamStore } from '../store/dream-store.ts';
import { startAudienceSync } from './audience-sync.ts';
import type { AudienceSync } from './audience-sync.ts';
import { createBroadcastCarrier } from './broadcast-carrier.ts';
import { startPerformerSync } from './performer-sync.ts';
import type { PerformerSync } from './performer-sync.ts';

export type SyncHandle = { role: 'performer'; sync: PerformerSync } | { role: 'audience'; sync: AudienceSync };

const randomId = (): string => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `w${Date.now().toString(36)}`);

/** Join the room as the view's role, and keep `audioHere` telling where the symphony plays. */
export const connectSync = (store: DreamStore, view: 'performer' | 'audience', room: string): SyncHandle => {
  const carrier = createBroadcastCarrier(room);
  if (view === 'performer') {
    const sync = startPerformerSync(store, carrier);
    const update = () => store.setState({ audioHere: sync.audioPlace() === 'performer' });
    sync.onChange(update);
    update();
    return { role: 'performer', sync };
  }
  const sync = startAudienceSync(store, carrier, randomId());
  const update = () => store.setState({ audioHere: sync.audioPlace() === 'audience' });
  sync.onChange(update);
  update();
  return { role: 'audience', sync };
};
