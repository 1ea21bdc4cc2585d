/**
 * Adaptive quality: when frames stay slow the picture's pixel ratio steps down before the frame
 * rate falls under 30, then its detail, and both step back up when there is headroom; or, with
 * quality locked to 'full', pixel ratio 1 and full detail whatever the frame rate. Pure:
 * frame times in, the pixel ratio and detail out, so it is tested in Node.
 */
export const PIXEL_RATIOS = [1.5, 1.25, 1, 0.85, 0.7, 0.6, 0.5] as const;

/**
 * The window's quality choice: 'auto' adapts as below; 'full' locks pixel ratio 1 and full detail
 * whatever the frame rate (a projector that must show every pixel, picture comparisons).
 */
export type Quality = 'auto' | 'full';
export const QUALITIES: readonly Quality[] = ['auto', 'full'];
export const isQuality = (v: unknown): v is Quality => v === 'auto' || v === 'full';

/**
 * The picture's detail: 'full', or 'reduced' once the pixel ratio is at its floor and frames are
 * still slow: the glow (bloom, five of the frame's ten passes) is left out.
 */
export type Detail = 'full' | 'reduced';

export interface QualityStep {
  ratio: number;
  detail: Detail;
}

/** The ladder, best first: every pixel ratio at full detail, then the lowest one with reduced detail. */
export const QUALITY_STEPS: readonly QualityStep[] = [...PIXEL_RATIOS.map((ratio): QualityStep => ({ ratio, detail: 'full' })), { ratio: PIXEL_RATIOS[PIXEL_RATIOS.length - 1]!, detail: 'reduced' }];

/** What quality 'full' shows, whatever the device's ratio and the frame rate. */
export const FULL_QUALITY: QualityStep = { ratio: 1, detail: 'full' };

export interface AdaptiveOptions {
  /** Step down when the average frame rate is below this (a margin above 30 fps). */
  lowFps: number;
  /** Step up when it stays above this. */
  highFps: number;
  /** Seconds of frames averaged before a decision, and the wait after a change. */
  windowSeconds: number;
  /** Seconds the frame rate must stay high before stepping up (stepping up is the cautious way). */
  upSeconds: number;
  /** The largest ratio allowed (the device's, at most 1.5). */
  maxRatio: number;
  /** 'full' locks FULL_QUALITY; 'auto' (the default) adapts. */
  quality: Quality;
}

/** Seconds between frames beyond which the gap is a pause, not a slow frame (2 fps still counts). */
export const MAX_FRAME_GAP = 2;

export const ADAPTIVE_DEFAULTS: AdaptiveOptions = { lowFps: 36, highFps: 55, windowSeconds: 1.5, upSeconds: 4, maxRatio: 1.5, quality: 'auto' };

/** How much more than highFps a reduced-detail view must draw before it goes back to full detail. */
export const REDUCED_UP_FACTOR = 2;

export class AdaptiveQuality {
  readonly options: AdaptiveOptions;
  private level: number;
  private windowStart = -1;
  private frames = 0;
  private highSince = -1;
  private readonly top: number;
  private locked: boolean;

  constructor(options: Partial<AdaptiveOptions> = {}) {
    this.options = { ...ADAPTIVE_DEFAULTS, ...options };
    const i = QUALITY_STEPS.findIndex((q) => q.ratio <= this.options.maxRatio + 1e-9);
    this.top = i < 0 ? PIXEL_RATIOS.length - 1 : i;
    this.level = this.top;
    this.locked = this.options.quality === 'full';
  }

  quality(): Quality {
    return this.locked ? 'full' : 'auto';
  }

  /**
   * Lock full quality, or adapt again. Back to 'auto' it starts where a fresh page starts (the
   * device's ratio, full detail) and measures anew: frames drawn while locked say nothing about
   * the ladder's other steps. Returns the step to show now.
   */
  setQuality(quality: Quality): QualityStep {
    this.locked = quality === 'full';
    this.level = this.top;
    this.windowStart = -1;
    this.frames = 0;
    this.highSince = -1;
    return this.step();
  }

  ratio(): number {
    return this.step().ratio;
  }

  detail(): Detail {
    return this.step().detail;
  }

  step(): QualityStep {
    return this.locked ? FULL_QUALITY : QUALITY_STEPS[this.level]!;
  }

  /**
   * A frame was drawn at `nowSeconds`. Gaps over MAX_FRAME_GAP seconds (a hidden tab, a stalled
   * page) are not slowness and restart the window; a frame every half second is, and is exactly
   * when the ratio must fall. Returns the new step when it changes, else null (always null while
   * quality is locked to 'full').
   */
  frame(nowSeconds: number, lastSeconds: number | null): QualityStep | null {
    if (this.locked) return null;
    if (lastSeconds === null || nowSeconds - lastSeconds > MAX_FRAME_GAP) {
      this.windowStart = nowSeconds;
      this.frames = 0;
      return null;
    }
    this.frames++;
    const span = nowSeconds - this.windowStart;
    if (span < this.options.windowSeconds) return null;
    const fps = this.frames / span;
    this.windowStart = nowSeconds;
    this.frames = 0;
    if (fps < this.options.lowFps && this.level < QUALITY_STEPS.length - 1) {
      this.level++;
      this.highSince = -1;
      return this.step();
    }
    // Leaving reduced detail costs more than a pixel-ratio step (the glow's five passes, and the
    // resting mosaic's triangles every frame instead of a picture of them: about twice the frame
    // under software WebGL), so it needs that much more headroom, or the view would swing between
    // the two every few seconds.
    const high = this.detail() === 'reduced' ? this.options.highFps * REDUCED_UP_FACTOR : this.options.highFps;
    if (fps > high && this.level > this.top) {
      if (this.highSince < 0) this.highSince = nowSeconds - span;
      if (nowSeconds - this.highSince >= this.options.upSeconds) {
        this.level--;
        this.highSince = -1;
        return this.step();
      }
    } else this.highSince = -1;
    return null;
  }
}
