import { describe, expect, it } from 'vitest';
import { AdaptiveQuality, PIXEL_RATIOS } from '../../src/scene/adaptive-quality.ts';
import type { QualityStep } from '../../src/scene/adaptive-quality.ts';

const label = (q: QualityStep) => (q.detail === 'full' ? String(q.ratio) : `${q.ratio} ${q.detail}`);

const run = (q: AdaptiveQuality, fps: number, seconds: number, t0: number) => {
  const changes: string[] = [];
  let last: number | null = t0 === 0 ? null : t0;
  let t = t0;
  for (let i = 0; i < fps * seconds; i++) {
    t += 1 / fps;
    const r = q.frame(t, last);
    last = t;
    if (r !== null) changes.push(label(r));
  }
  return { changes, t };
};

describe('adaptive quality', () => {
  it('steps the pixel ratio down while frames are slow, down to its floor, then the detail', () => {
    const q = new AdaptiveQuality({ maxRatio: 1 });
    expect(q.ratio()).toBe(1);
    expect(q.detail()).toBe('full');
    const { changes } = run(q, 20, 30, 0);
    expect(changes).toEqual(['0.85', '0.7', '0.6', '0.5', '0.5 reduced']);
    expect(q.ratio()).toBe(PIXEL_RATIOS[PIXEL_RATIOS.length - 1]);
    expect(q.detail()).toBe('reduced');
  });

  it('steps down even at 1.5 frames a second (software WebGL at full size)', () => {
    const q = new AdaptiveQuality({ maxRatio: 1 });
    const { changes } = run(q, 1.5, 20, 0);
    expect(changes).toEqual(['0.85', '0.7', '0.6', '0.5', '0.5 reduced']);
  });

  it('with headroom again, the detail comes back first, then the pixel ratio', () => {
    const q = new AdaptiveQuality({ maxRatio: 1 });
    const slow = run(q, 20, 30, 0);
    expect(q.detail()).toBe('reduced');
    const fast = run(q, 120, 12, slow.t);
    expect(fast.changes.slice(0, 2)).toEqual(['0.5', '0.6']);
  });

  it('leaves reduced detail only with twice the headroom a pixel-ratio step needs', () => {
    const q = new AdaptiveQuality({ maxRatio: 1 });
    const slow = run(q, 20, 30, 0);
    expect(q.detail()).toBe('reduced');
    // Reduced detail draws a picture of the resting mosaic: a frame about half the cost. At 60-100
    // fps the full frame would be back under 36, so the view stays where it is.
    const fair = run(q, 100, 20, slow.t);
    expect(fair.changes).toEqual([]);
    expect(q.detail()).toBe('reduced');
    const fast = run(q, 120, 6, fair.t);
    expect(fast.changes).toEqual(['0.5']);
    expect(q.detail()).toBe('full');
  });

  it('steps back up only after a sustained headroom, never above the device ratio', () => {
    const q = new AdaptiveQuality({ maxRatio: 1.25 });
    const slow = run(q, 25, 4, 0);
    expect(q.ratio()).toBeLessThan(1.25);
    const fast = run(q, 60, 40, slow.t);
    expect(fast.changes.length).toBeGreaterThan(0);
    expect(q.ratio()).toBe(1.25);
    expect(q.detail()).toBe('full');
  });

  it('holds steady at a healthy frame rate and ignores pauses', () => {
    const q = new AdaptiveQuality({ maxRatio: 1 });
    expect(run(q, 45, 10, 0).changes).toEqual([]);
    // a hidden tab: one frame every 3 s is not slowness
    let last: number | null = 100;
    for (let t = 103; t < 130; t += 3) {
      expect(q.frame(t, last)).toBeNull();
      last = t;
    }
  });

  it("locked to 'full': pixel ratio 1 and full detail whatever the frame rate and the device's ratio", () => {
    for (const maxRatio of [1, 1.5, 0.75]) {
      const q = new AdaptiveQuality({ maxRatio, quality: 'full' });
      expect(q.quality()).toBe('full');
      expect(q.step()).toEqual({ ratio: 1, detail: 'full' });
      // 30 s at 2 fps and 30 s at 120 fps: an adaptive view would have stepped both ways.
      const slow = run(q, 2, 30, 0);
      const fast = run(q, 120, 30, slow.t);
      expect([...slow.changes, ...fast.changes]).toEqual([]);
      expect(q.ratio()).toBe(1);
      expect(q.detail()).toBe('full');
    }
  });

  it("switched to 'full' while reduced, shows pixel ratio 1 and full detail at once; back to 'auto' it adapts again from the device's ratio", () => {
    const q = new AdaptiveQuality({ maxRatio: 1 });
    const slow = run(q, 20, 30, 0);
    expect(q.step()).toEqual({ ratio: 0.5, detail: 'reduced' });
    expect(q.setQuality('full')).toEqual({ ratio: 1, detail: 'full' });
    const locked = run(q, 20, 30, slow.t);
    expect(locked.changes).toEqual([]);
    expect(q.setQuality('auto')).toEqual({ ratio: 1, detail: 'full' });
    expect(q.quality()).toBe('auto');
    const again = run(q, 20, 30, locked.t + 10);
    expect(again.changes).toEqual(['0.85', '0.7', '0.6', '0.5', '0.5 reduced']);
    // On a device ratio of 1.5, 'auto' starts at 1.5 as a fresh page does.
    const hi = new AdaptiveQuality({ maxRatio: 1.5, quality: 'full' });
    expect(hi.setQuality('auto')).toEqual({ ratio: 1.5, detail: 'full' });
  });
});
