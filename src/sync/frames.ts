/**
 * When the page last drew. The dream clock advances once per animation frame (src/store/clock.ts,
 * driven by requestAnimationFrame), so between frames the dream-state is the dream as it was at
 * the last frame. The sync stamps a state with that frame's time (on the performer) and applies
 * a state as of this page's last frame (on an audience device), so both sides line up to the
 * frame rather than to whenever a message happened to be sent or to arrive.
 *
 * Times are on the wall clock every page shares: performance.timeOrigin + performance.now() (ms).
 */
export interface FrameClock {
  /** The wall time the dream clock refers to now: the last frame, or now when frames stopped. */
  reference(now: number): number;
  stop(): void;
}

/** Frames older than this are taken as stopped (a hidden tab): the dream then refers to now. */
export const STALE_FRAME_MS = 250;

export const frameReference = (now: number, lastFrame: number | null): number => (lastFrame !== null && now - lastFrame >= 0 && now - lastFrame < STALE_FRAME_MS ? lastFrame : now);

export const trackFrames = (): FrameClock => {
  if (typeof requestAnimationFrame !== 'function') return { reference: (now) => now, stop: () => undefined };
  let last: number | null = null;
  let handle = 0;
  let stopped = false;
  // rAF passes the frame's start time on performance.now()'s scale: the same value the clock's
  // frame(t) advanced the dream to, in this frame.
  const frame = (t: number) => {
    if (stopped) return;
    last = performance.timeOrigin + t;
    handle = requestAnimationFrame(frame);
  };
  handle = requestAnimationFrame(frame);
  return {
    reference: (now) => frameReference(now, last),
    stop: () => {
      stopped = true;
      cancelAnimationFrame(handle);
    },
  };
};
