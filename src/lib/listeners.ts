/**
 * A set of listeners: add returns the remover; emit calls each, and one that throws is reported
 * and does not stop the others.
 */
export interface Listeners<A extends unknown[]> {
  add: (fn: (...args: A) => void) => () => void;
  emit: (...args: [...A, (error: unknown) => void]) => void;
  size: () => number;
  clear: () => void;
}

export const listeners = <A extends unknown[]>(): Listeners<A> => {
  const set = new Set<(...args: A) => void>();
  return {
    add: (fn) => {
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    emit: (...args) => {
      const report = args[args.length - 1] as (error: unknown) => void;
      const values = args.slice(0, -1) as unknown as A;
      for (const fn of [...set]) {
        try {
          fn(...values);
        } catch (e) {
          report(e);
        }
      }
    },
    size: () => set.size,
    clear: () => set.clear(),
  };
};
