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
