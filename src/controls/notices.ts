import type { BusAction, Runtime, Source } from '../runtime/runtime.ts';

/** A small queue of transient notices for the performer (refused actions, blocked pop-ups). */
type Listener = (notices: readonly string[]) => void;
let notices: string[] = [];
const listeners = new Set<Listener>();

export const showNotice = (message: string, ms = 5000): void => {
  notices = [...notices.slice(-3), message];
  for (const fn of listeners) fn(notices);
  setTimeout(() => {
    notices = notices.filter((n) => n !== message);
    for (const fn of listeners) fn(notices);
  }, ms);
};

export const subscribeNotices = (fn: Listener): (() => void) => {
  listeners.add(fn);
  return () => listeners.delete(fn);
};

/** Put a performer's action on the bus; a refusal (a bad value, a log playing) becomes a notice. */
export const actOrSay = (bus: Runtime, action: BusAction, source: Source): void => {
  try {
    bus.act(action, source);
  } catch (err) {
    showNotice(err instanceof Error ? err.message : String(err));
  }
};
