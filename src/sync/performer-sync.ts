import type { DreamStore } from '../store/dream-store.ts';
import { frameReference } from './frames.ts';
import type { FrameClock } from './frames.ts';
import { HEARTBEAT_MS, PRESENCE_TIMEOUT_MS, PROTOCOL, RELAY_PRESENCE_TIMEOUT_MS } from './protocol.ts';
import type { AudioDevices, AudioPlace, Carrier, ClockReply } from './protocol.ts';
import { StateEncoder } from './state-message.ts';

export type AudioChoice = 'auto' | AudioPlace;

export interface PerformerSync {
  /** Audience windows or devices heard from recently. */
  audiences(): number;
  /** Where the symphony plays now: 'auto' puts it in the audience when one is open. */
  audioPlace(): AudioPlace;
  setAudioChoice(choice: AudioChoice): void;
  audioChoice(): AudioChoice;
  /** Which audience devices play when it plays in the audience: all, or the named ones. */
  audioDevices(): AudioDevices;
  setAudioDevices(devices: AudioDevices): void;
  onChange(fn: () => void): () => void;
  /** Messages sent so far (for stats). */
  sent(): number;
  stop(): void;
}

export interface PerformerSyncOptions {
  /** This performer page's id (a new one per page load). */
  id?: string;
  now?: () => number;
  /** The page's frames: a state is stamped with the frame its dream clock refers to. */
  frames?: FrameClock;
}

/** Least time between two extra states sent to greet newly seen devices (ms). */
export const GREET_MIN_MS = 100;

/**
 * The performer sends its full state on every change that did not come from the clock (an action,
 * a preset), at once, and the whole state again every second; audiences tick their own clock in
 * between, so the same dream runs everywhere without streaming 60 states a second. Over a relay it
 * also answers the devices' clock pings, counts devices by them, greets a new or returning device
 * with the state at once, and sends the state as soon as its own link comes back.
 */
export const startPerformerSync = (store: DreamStore, carrier: Carrier, options: PerformerSyncOptions = {}): PerformerSync => {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const frames = options.frames;
  const from = options.id ?? `p${Math.random().toString(36).slice(2)}`;
  let seq = 0;
  let choice: AudioChoice = 'auto';
  let devices: AudioDevices = 'all';
  /** id → when it is taken to be gone. */
  const seen = new Map<string, number>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const fn of listeners) fn();
  };
  const place = (): AudioPlace => (choice === 'auto' ? (countAudiences() > 0 ? 'audience' : 'performer') : choice);
  const countAudiences = () => {
    const t = now();
    let n = 0;
    for (const [id, until] of seen) {
      if (t <= until) n++;
      else seen.delete(id);
    }
    return n;
  };
  const encoder = new StateEncoder();
  /**
   * Sends the state; `withActs` also when the acts have not changed (heartbeats, greetings, a
   * link that came back): whoever missed them gets them within a second.
   */
  const send = (withActs = false) => {
    const { dream } = store.getState();
    const t = now();
    const header = { from, seq: ++seq, clock: dream.clock, sentAt: t, clockAt: frames ? frames.reference(t) : frameReference(t, null), audio: place(), devices };
    carrier.send(encoder.message(header, dream, withActs));
  };
  let lastGreet = -Infinity;
  let greetTimer: ReturnType<typeof setTimeout> | null = null;
  /** Send soon for a device that just arrived; many arriving at once share one state. */
  const greet = () => {
    if (greetTimer) return;
    const wait = Math.max(0, lastGreet + GREET_MIN_MS - now());
    greetTimer = setTimeout(() => {
      greetTimer = null;
      lastGreet = now();
      send(true);
    }, wait);
  };
  const arrived = (id: string, timeout: number): boolean => {
    const before = place();
    const isNew = !seen.has(id) || (seen.get(id) ?? 0) < now();
    seen.set(id, now() + timeout);
    if (place() !== before) {
      send();
      notify();
    }
    return isNew;
  };
  const unsubscribeStore = store.subscribe((s, prev) => {
    if (s.revision !== prev.revision) send();
  });
  const unsubscribeCarrier = carrier.onMessage((m) => {
    if (m.kind === 'hello' || m.kind === 'presence') {
      if (m.kind === 'presence' && m.leaving) {
        const before = place();
        seen.delete(m.id);
        if (place() !== before) {
          send();
          notify();
        }
        return;
      }
      arrived(m.id, PRESENCE_TIMEOUT_MS);
      if (m.kind === 'hello') send(true);
    }
  });
  const stopAnswering = carrier.answerClock?.((request): ClockReply => {
    const reply: ClockReply = { kind: 'clock', protocol: PROTOCOL, t: now() };
    if (arrived(request.id, RELAY_PRESENCE_TIMEOUT_MS)) greet();
    return reply;
  });
  let linkState = carrier.link.get().state;
  const unsubscribeLink = carrier.link.subscribe(() => {
    const s = carrier.link.get().state;
    if (s === 'connected' && linkState !== 'connected') send(true);
    linkState = s;
  });
  let lastPlace = place();
  const timer = setInterval(() => {
    send(true);
    const p = place();
    if (p !== lastPlace) {
      lastPlace = p;
      notify();
    }
  }, HEARTBEAT_MS);
  send(true);
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
    audioDevices: () => devices,
    setAudioDevices: (d) => {
      devices = d === 'all' ? 'all' : [...new Set(d.map((x) => x.trim()).filter((x) => x !== ''))];
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
      if (greetTimer) clearTimeout(greetTimer);
      unsubscribeStore();
      unsubscribeCarrier();
      unsubscribeLink();
      stopAnswering?.();
      listeners.clear();
    },
  };
};
