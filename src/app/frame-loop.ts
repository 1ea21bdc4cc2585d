/**
 * The page's one animation loop: tick the dream, then let the renderers draw. It never dies: the
 * next frame is asked for before this one runs, and an exception in a frame is reported (it
 * counts in stats().pageErrors, and the console says what, at most once every few seconds while
 * it repeats) instead of ending the show.
 */
export interface FrameLoopOptions {
  /** One frame: `now` in ms on the page's clock (requestAnimationFrame's time). */
  frame(now: number): void;
  request(fn: (now: number) => void): number;
  cancel(handle: number): void;
  /** Called for every exception thrown by a frame. */
  report(error: unknown): void;
}

export const startFrameLoop = (options: FrameLoopOptions): (() => void) => {
  let handle = 0;
  let stopped = false;
  const loop = (now: number) => {
    if (stopped) return;
    handle = options.request(loop);
    try {
      options.frame(now);
    } catch (error) {
      options.report(error);
    }
  };
  handle = options.request(loop);
  return () => {
    stopped = true;
    options.cancel(handle);
  };
};

/**
 * A console line for a repeated failure: the first at once, then one line with the count every
 * `everyMs` while it goes on (an error in every frame must not write sixty lines a second).
 */
export const throttledConsole = (prefix: string, everyMs = 5000, now: () => number = () => Date.now(), write: (line: string) => void = (l) => console.error(l)) => {
  let last = -Infinity;
  let quiet = 0;
  return (error: unknown): void => {
    const t = now();
    if (t - last < everyMs) {
      quiet++;
      return;
    }
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    write(`${prefix}: ${what}${quiet ? ` (and ${quiet} more since the last report)` : ''}`);
    last = t;
    quiet = 0;
  };
};
