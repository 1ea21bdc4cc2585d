import { describe, expect, it } from 'vitest';
import { MOSAIC_SHAPES } from '../../src/model/index.ts';
import { MOSAIC_ASPECT } from '../../src/scene/layout/mosaic-layout.ts';
import { aspectNeedsRebuild, mosaicAspect, mosaicExtent, mosaicPlacement, mosaicRotation, MOSAIC_SCALE, surfacePoint, tileStage } from '../../src/scene/layout/mosaic-shape.ts';

describe('mosaic shape', () => {
  it('keeps today\'s window on landscape screens and follows a portrait one', () => {
    expect(mosaicAspect(16 / 9)).toBe(MOSAIC_ASPECT);
    expect(mosaicAspect(1280 / 720)).toBe(1.55);
    expect(mosaicAspect(16 / 10)).toBe(1.55);
    expect(mosaicAspect(390 / 844)).toBeCloseTo(0.4775, 3);
    expect(mosaicAspect(0.2)).toBe(0.45);
    expect(mosaicAspect(4)).toBe(2.2);
    expect(mosaicAspect(Number.NaN)).toBe(1.55);
    // Continuous: no jump where the plateau begins or ends.
    expect(mosaicAspect(1.4999)).toBeCloseTo(1.55, 3);
    expect(mosaicAspect(2.0001)).toBeCloseTo(1.55, 3);
    expect(aspectNeedsRebuild(1.55, 1.6)).toBe(false);
    expect(aspectNeedsRebuild(1.55, 1.2)).toBe(true);
  });

  it('the block is today\'s window: its extent is the window times MOSAIC_SCALE, flat', () => {
    const e = mosaicExtent('block', 16 / 9);
    expect(e.halfWidth).toBeCloseTo(MOSAIC_ASPECT * MOSAIC_SCALE, 1);
    expect(e.halfHeight).toBeCloseTo(MOSAIC_SCALE, 1);
    expect(e.depth).toBe(0);
    expect(surfacePoint('block', 0.3, -0.7, 1.55)).toEqual([0.3, -0.7, 0]);
    expect(tileStage('block', 1.2, 0.4, 1.55)).toEqual([0, 0, 1]);
  });

  it('portrait: the block is taller than wide, the wall too', () => {
    for (const shape of ['block', 'wall', 'islands'] as const) {
      const e = mosaicExtent(shape, 390 / 844);
      expect(e.halfHeight).toBeGreaterThan(e.halfWidth * 1.5);
    }
  });

  it('every shape has a finite extent, each as its name says', () => {
    for (const shape of MOSAIC_SHAPES) {
      const e = mosaicExtent(shape, 16 / 9);
      expect(Number.isFinite(e.halfWidth) && e.halfWidth > 1).toBe(true);
      expect(Number.isFinite(e.halfHeight) && e.halfHeight > 1).toBe(true);
      expect(e.depth).toBeGreaterThanOrEqual(0);
    }
    const disc = mosaicExtent('disc', 16 / 9);
    expect(disc.halfWidth).toBeCloseTo(disc.halfHeight, 0);
    expect(mosaicExtent('wall', 16 / 9).halfWidth).toBeGreaterThan(9);
    expect(mosaicExtent('sphere', 16 / 9).depth).toBeGreaterThan(6);
    expect(mosaicExtent('islands', 16 / 9).halfWidth).toBeGreaterThan(mosaicExtent('block', 16 / 9).halfWidth * 1.15);
    // The floor lies back: deep, and lower than it is high.
    const floor = mosaicExtent('floor', 16 / 9);
    expect(floor.depth).toBeGreaterThan(10);
    // The dome stands round the default camera (12.5 in front of the centre).
    const dome = mosaicExtent('dome', 16 / 9);
    expect(dome.depth).toBeGreaterThan(4);
  });

  it('disc and ring hide the tiles outside their outline', () => {
    expect(tileStage('disc', 1.2, 0, 1.55)[2]).toBe(0);
    expect(tileStage('disc', 0.5, 0.5, 1.55)[2]).toBe(1);
    expect(tileStage('ring', 0.1, 0.1, 1.55)[2]).toBe(0);
    expect(tileStage('ring', 0.8, 0, 1.55)[2]).toBe(1);
  });

  it('places and leans the mosaic as today at the defaults', () => {
    expect(mosaicPlacement({ mosaicX: 0, mosaicY: 0, mosaicScale: 1 })).toEqual({ x: 0, y: 0, scale: MOSAIC_SCALE });
    expect(mosaicPlacement({ mosaicX: 0.5, mosaicY: -1, mosaicScale: 2 })).toEqual({ x: 3.5, y: -7, scale: 7 });
    const r = mosaicRotation({ from: 0, to: 0, mix: 1 }, 12.3);
    expect(r.x).toBe(-0.2 + 0.04 * Math.sin(12.3 * 0.05));
    expect(r.y).toBe(0.06 * Math.sin(12.3 * 0.037));
    expect(mosaicRotation({ from: 4, to: 4, mix: 1 }, 12.3)).toEqual({ x: -0, y: 0 });
  });
});
