import { listeners } from './listeners.ts';

/** A value that says when it changes (for React's useSyncExternalStore and for modules). */
export interface Observable<T> {
  get(): T;
  subscribe(fn: () => void): () => void;
}

export const observable = <T,>(initial: T): Observable<T> & { set(next: T): void } => {
  let value = initial;
  const fns = listeners<[]>();
  return {
    get: () => value,
    set: (next) => {
      value = next;
      fns.emit((e) => console.error(e));
    },
    subscribe: fns.add,
  };
};
