import { replaceDream } from '../store/dream-store.ts';
import type { DreamStore } from '../store/dream-store.ts';
import { HEARTBEAT_MS, PROTOCOL } from './protocol.ts';
import type { AudioPlace, Carrier } from './protocol.ts';

export interface AudienceSync {
  /** The last state's sequence number (0 before the first). */
  seq(): number;
  /** ms since the last message from the performer (Infinity before the first). */
  silence(): number;
  /** Where the performer wants the symphony to play. */
  audioPlace(): AudioPlace;
  onChange(fn: () => void): () => void;
  stop(): void;
}

/**
 * An audience follows the performer: it asks for the state when it joins, takes every newer
 * state it hears, and keeps dreaming on its last state when the performer goes away. It never
 * sends control; it only says it is there.
 */
export const startAudienceSync = (store: DreamStore, carrier: Carrier, id: string, now: () => number = () => performance.timeOrigin + performance.now()): AudienceSync => {
  let lastSeq = 0;
  let lastHeard = -Infinity;
  let audio: AudioPlace = 'performer';
  const listeners = new Set<() => void>();
  const unsubscribe = carrier.onMessage((m) => {
    if (m.kind !== 'state') return;
    // A performer that reloaded starts again from 1: accept a sequence that went backwards a lot.
    if (m.seq <= lastSeq && lastSeq - m.seq < 1000) return;
    lastSeq = m.seq;
    lastHeard = now();
    replaceDream(store, m.dream);
    if (m.audio !== audio) {
      audio = m.audio;
      for (const fn of listeners) fn();
    }
  });
  carrier.send({ kind: 'hello', protocol: PROTOCOL, id });
  const timer = setInterval(() => carrier.send({ kind: 'presence', protocol: PROTOCOL, id }), HEARTBEAT_MS);
  const leave = () => carrier.send({ kind: 'presence', protocol: PROTOCOL, id, leaving: true });
  addEventListener('pagehide', leave);
  return {
    seq: () => lastSeq,
    silence: () => now() - lastHeard,
    audioPlace: () => audio,
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    stop: () => {
      clearInterval(timer);
      removeEventListener('pagehide', leave);
      leave();
      unsubscribe();
      listeners.clear();
    },
  };
};
