import type { DreamStore } from '../store/dream-store.ts';
import { HEARTBEAT_MS, PRESENCE_TIMEOUT_MS, PROTOCOL } from './protocol.ts';
import type { AudioPlace, Carrier, StateMessage } from './protocol.ts';

export type AudioChoice = 'auto' | AudioPlace;

export interface PerformerSync {
  /** Audience windows heard from recently. */
  audiences(): number;
  /** Where the symphony plays now: 'auto' puts it in the audience when one is open. */
  audioPlace(): AudioPlace;
  setAudioChoice(choice: AudioChoice): void;
  audioChoice(): AudioChoice;
  onChange(fn: () => void): () => void;
  /** Messages sent so far (for stats). */
  sent(): number;
  stop(): void;
}

/**
 * The performer sends its full state on every change that did not come from the clock (an action,
 * a preset), at once, and the whole state again every second; audiences tick their own clock in
 * between, so the same dream runs everywhere without streaming 60 states a second.
 */
export const startPerformerSync = (store: DreamStore, carrier: Carrier, now: () => number = () => performance.timeOrigin + performance.now()): PerformerSync => {
  let seq = 0;
  let choice: AudioChoice = 'auto';
  const seen = new Map<string, number>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const fn of listeners) fn();
  };
  const place = (): AudioPlace => (choice === 'auto' ? (countAudiences() > 0 ? 'audience' : 'performer') : choice);
  const countAudiences = () => {
    const t = now();
    let n = 0;
    for (const [id, at] of seen) {
      if (t - at <= PRESENCE_TIMEOUT_MS) n++;
      else seen.delete(id);
    }
    return n;
  };
  const send = () => {
    const { dream } = store.getState();
    const m: StateMessage = { kind: 'state', protocol: PROTOCOL, seq: ++seq, clock: dream.clock, sentAt: now(), dream, audio: place() };
    carrier.send(m);
  };
  const unsubscribeStore = store.subscribe((s, prev) => {
    if (s.revision !== prev.revision) send();
  });
  const unsubscribeCarrier = carrier.onMessage((m) => {
    if (m.kind === 'hello' || m.kind === 'presence') {
      const before = place();
      if (m.kind === 'presence' && m.leaving) seen.delete(m.id);
      else seen.set(m.id, now());
      if (m.kind === 'hello') send();
      if (place() !== before) {
        send();
        notify();
      }
    }
  });
  let lastPlace = place();
  const timer = setInterval(() => {
    send();
    const p = place();
    if (p !== lastPlace) {
      lastPlace = p;
      notify();
    }
  }, HEARTBEAT_MS);
  send();
  return {
    audiences: countAudiences,
    audioPlace: place,
    audioChoice: () => choice,
    setAudioChoice: (c) => {
      choice = c;
      lastPlace = place();
      send();
      notify();
    },
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    sent: () => seq,
    stop: () => {
      clearInterval(timer);
      unsubscribeStore();
      unsubscribeCarrier();
      listeners.clear();
    },
  };
};
