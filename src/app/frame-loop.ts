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
  /**
   * Where animation frames stop (a hidden tab: the performer looking at the projector window),
   * frames from a timer instead, so the dream keeps the wall clock's pace and its audiences are
   * not pulled back when it returns: `every` ms, given the page's clock in ms. Optional.
   */
  fallback?: { every: number; now: () => number; set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

export const startFrameLoop = (options: FrameLoopOptions): (() => void) => {
  let handle = 0;
  let stopped = false;
  let last = -Infinity;
  const run = (now: number) => {
    last = now;
    try {
      options.frame(now);
    } catch (error) {
      options.report(error);
    }
  };
  const loop = (now: number) => {
    if (stopped) return;
    handle = options.request(loop);
    run(now);
  };
  handle = options.request(loop);
  const fb = options.fallback;
  // A frame from the timer only when no animation frame came for longer than its period.
  const timer = fb ? fb.set(() => {
    const now = fb.now();
    if (!stopped && now - last > fb.every) run(now);
  }, fb.every) : null;
  return () => {
    stopped = true;
    options.cancel(handle);
    if (fb) fb.clear(timer);
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
