import type { SceneFrame } from './scene-frame.ts';
import type { KindFade, SceneLayers } from './scene-layers.ts';
import { mix32, unit } from '../model/hash.ts';
import { MOSAIC_SHAPES } from '../model/index.ts';
import type { MosaicShape } from '../model/index.ts';
import { mosaicExtent, mosaicPlacement } from './layout/mosaic-shape.ts';
import type { MosaicPlacement } from './layout/mosaic-shape.ts';

/**
 * The camera: where it stands and looks this frame, a pure function of dream time, seed and the
 * scene's layers (two windows at the same dream time see from the same place). Each motion of
 * CAMERA_MOTIONS gives a pose; a change of motion blends the two poses; the framing then fits
 * the mosaic's extent to the screen's aspect.
 */

/** The landscape screen `scene.camera.distance` and `fov` are set for. */
export const REFERENCE_ASPECT = 16 / 9;
/** A narrow screen widens the view up to this vertical angle (degrees) before the camera steps back. */
export const MAX_FIT_FOV = 75;
/** How much further than covering the screen the framing may step back to show the whole mosaic (a 4:3 projector: about as far as it always did). */
export const FIT_SLACK = 1.12;
/**
 * A screen down to this aspect shows the whole mosaic at the reference framing (its margins at
 * the sides are narrower): where today's block began to need a wider view.
 */
export const CONTAIN_ASPECT = 1.475;
/** The distance of today's drift: `scene.camera.distance` scales the framing relative to it. */
const DEFAULT_DISTANCE = 12.5;
/** Orbit: radians per second of dream time at speed 0.5 (a turn in about three minutes). */
const ORBIT_RATE = 0.035;
/** Reduced motion: what remains of an orbit's pace and of a dolly's travel. */
const REDUCED_ORBIT = 0.05;
const REDUCED_AMPLITUDE = 0.25;

/** The mosaic's extent in world units for a shape on a screen of an aspect (layout/mosaic-shape.ts's `mosaicExtent`). */
export interface MosaicExtent {
  halfWidth: number;
  halfHeight: number;
  depth: number;
}
export type ExtentOf = (shape: MosaicShape, aspect: number) => MosaicExtent;

let extentOf: ExtentOf = mosaicExtent;
/** Use another extent function (tests), or the mosaic's own again (null). */
export const setExtentOf = (fn: ExtentOf | null): void => {
  extentOf = fn ?? mosaicExtent;
  extentCache.aspect = NaN;
};

/** One motion's pose in world units: position, target, roll (radians) and the sky's parallax (today's drift x, y). */
export interface MotionPose {
  x: number;
  y: number;
  z: number;
  lookX: number;
  lookY: number;
  lookZ: number;
  roll: number;
  skyX: number;
  skyY: number;
}

const createPose = (): MotionPose => ({ x: 0, y: 0, z: DEFAULT_DISTANCE, lookX: 0, lookY: 0, lookZ: 0, roll: 0, skyX: 0, skyY: 0 });

/** The camera this frame (module-level scratch: written each frame, never allocated), with its tilt (radians, + down) and vertical field of view (degrees). */
export const cameraPose: MotionPose & { tilt: number; fov: number } = { ...createPose(), tilt: 0, fov: 38 };

/** What every motion reads this frame. */
export interface MotionInput {
  /** Dream time scaled by the speed (0.5 = 1:1). */
  t: number;
  seed: number;
  /** 1, or REDUCED_AMPLITUDE with reduced motion. */
  amp: number;
  reduced: boolean;
  /** distance / 12.5: scales today's drift. */
  k: number;
  /** How much of the sideways wander a screen of this aspect takes: 1 down to CONTAIN_ASPECT, less on a narrower screen (an upright phone shows a third as much width). */
  sway: number;
  depth: number;
  height: number;
  /** The mosaic's centre (world x). */
  centreX: number;
  /** How much the mosaic is a vault seen from inside (the dome: 1), where an orbit is a small gyre under it. */
  vault: number;
  actProgress: number;
  actIndex: number;
}
const input: MotionInput = { t: 0, seed: 0, amp: 1, reduced: false, k: 1, sway: 1, depth: 0.5, height: 0, centreX: 0, vault: 0, actProgress: 0, actIndex: 0 };

const phase = (seed: number, salt: number): number => unit(mix32(seed ^ salt)) * 6.2832;

/** The distance the camera keeps from the mosaic: deeper sleep draws it closer. */
const restDistance = (m: MotionInput): number => 12.6 * m.k - 1.4 * m.depth * m.k;

/**
 * drift, today's slow wander around the mosaic (with distance 12.5, height 0 and speed 0.5 the
 * very numbers it always drew). Reduced motion keeps it nearly still.
 */
const drift = (p: MotionPose, m: MotionInput): void => {
  const t = m.t;
  const p1 = phase(m.seed, 0x1234567);
  const p2 = phase(m.seed, 0x7654321);
  const p3 = phase(m.seed, 0x0badf00d);
  const a = m.k * m.amp;
  const across = a * m.sway;
  p.skyX = p.x = across * (1.3 * Math.sin(t * 0.043 + p1) + 0.35 * Math.sin(t * 0.11 + p2));
  p.skyY = a * (0.55 * Math.sin(t * 0.037 + p2) + 0.2 * Math.sin(t * 0.09 + p3)) - 0.25 * m.k;
  p.y = p.skyY + m.height;
  p.z = 12.6 * m.k - 1.4 * m.depth * m.k + a * 0.7 * Math.sin(t * 0.029 + p3);
  p.lookX = across * 0.35 * Math.sin(t * 0.031 + p3);
  p.lookY = a * 0.2 * Math.sin(t * 0.027 + p1) + m.height;
  p.lookZ = 0;
  p.roll = m.amp * 0.025 * Math.sin(t * 0.021 + p2);
};

/** still: where the drift wanders around, held. */
const still = (p: MotionPose, m: MotionInput): void => {
  p.skyX = p.x = 0;
  p.skyY = -0.25 * m.k;
  p.y = p.skyY + m.height;
  p.z = restDistance(m);
  p.lookX = 0;
  p.lookY = m.height;
  p.lookZ = 0;
  p.roll = 0;
};

/** A gyre under a vault: the orbit's radius as a fraction of the distance (round the camera's place). */
const GYRE = 0.2;

/**
 * orbit: circling the mosaic's centre at the distance and height (in front of it at dream time 0),
 * breathing a little up and down, always looking at the centre. Under a dome (seen from inside: a
 * full circle would leave the vault and then look away from it) the circle is a small gyre round
 * the camera's place, still looking at the vault's middle.
 */
const orbit = (p: MotionPose, m: MotionInput): void => {
  const angle = m.t * ORBIT_RATE * (m.reduced ? REDUCED_ORBIT : 1);
  const d = restDistance(m);
  const radius = d + (GYRE * d - d) * m.vault;
  const pivot = m.vault * d;
  const sin = Math.sin(angle);
  p.skyX = radius * sin;
  p.x = m.centreX + p.skyX;
  p.z = pivot + radius * Math.cos(angle);
  p.skyY = m.k * (m.amp * 0.3 * Math.sin(m.t * 0.05 + phase(m.seed, 0x7654321)) - 0.25);
  p.y = p.skyY + m.height;
  p.lookX = m.centreX;
  p.lookY = m.height;
  p.lookZ = 0;
  p.roll = 0;
};

/** The side (+1 right, -1 left) a dolly's arc swings to in an act: alternating act by act, the first act's side from the seed. */
export const dollySide = (seed: number, actIndex: number): number => (((mix32(seed ^ 0x0d0114) & 1) + actIndex) % 2 === 0 ? 1 : -1);

/**
 * dolly: travels in along a path through the act, from 1.25x to 0.7x the distance as the act
 * goes on (eased), in an arc to one side that comes back to the centre, banking into it.
 */
const dolly = (p: MotionPose, m: MotionInput): void => {
  const q = Math.min(1, Math.max(0, m.actProgress));
  const e = q * q * (3 - 2 * q);
  const travel = m.reduced ? REDUCED_AMPLITUDE : 1;
  const side = dollySide(m.seed, m.actIndex);
  const r = restDistance(m);
  const bow = Math.sin(Math.PI * e);
  const breathe = m.k * m.amp * 0.15;
  const arc = side * 0.28 * r * travel * bow * m.sway;
  p.skyX = arc + breathe * m.sway * Math.sin(m.t * 0.05 + phase(m.seed, 0x1234567));
  p.x = m.centreX + p.skyX;
  p.z = r * (1 + travel * (0.25 - 0.55 * e));
  p.skyY = 0.05 * r * travel * bow + breathe * Math.sin(m.t * 0.041 + phase(m.seed, 0x0badf00d)) - 0.25 * m.k;
  p.y = p.skyY + m.height;
  p.lookX = m.centreX + 0.25 * arc;
  p.lookY = m.height;
  p.lookZ = 0;
  p.roll = -side * 0.03 * travel * bow;
};

/** The motions in CAMERA_MOTIONS' order. */
const MOTIONS = [drift, still, orbit, dolly] as const;

/** One motion's pose (an index into CAMERA_MOTIONS). */
export const motionPose = (p: MotionPose, motion: number, m: MotionInput): void => (MOTIONS[motion] ?? drift)(p, m);

const wrapAngle = (a: number): number => a - 2 * Math.PI * Math.round(a / (2 * Math.PI));

/**
 * Blend two poses (`w` of the way from `a` to `b`) into `out` (which may be either). The position
 * is blended around the mosaic's centre (angle, radius and height), so that going from a pose in
 * front to one behind swings round instead of passing through the mosaic; the rest linearly.
 */
export const blendPoses = (out: MotionPose, a: MotionPose, b: MotionPose, w: number, centreX: number): void => {
  if (w <= 0 || w >= 1) {
    if (out !== (w <= 0 ? a : b)) Object.assign(out, w <= 0 ? a : b);
    return;
  }
  const ax = a.x - centreX;
  const bx = b.x - centreX;
  const angleA = Math.atan2(ax, a.z);
  const angle = angleA + wrapAngle(Math.atan2(bx, b.z) - angleA) * w;
  const ra = Math.hypot(ax, a.z);
  const r = ra + (Math.hypot(bx, b.z) - ra) * w;
  out.x = centreX + r * Math.sin(angle);
  out.z = r * Math.cos(angle);
  out.y = a.y + (b.y - a.y) * w;
  out.lookX = a.lookX + (b.lookX - a.lookX) * w;
  out.lookY = a.lookY + (b.lookY - a.lookY) * w;
  out.lookZ = a.lookZ + (b.lookZ - a.lookZ) * w;
  out.roll = a.roll + (b.roll - a.roll) * w;
  out.skyX = a.skyX + (b.skyX - a.skyX) * w;
  out.skyY = a.skyY + (b.skyY - a.skyY) * w;
};

// The mosaic's extent for each shape on this screen and on the reference screen, worked out when a
// shape is first drawn on this screen and kept until the screen changes (no allocation per frame).
const extentCache = { aspect: NaN, w: new Float64Array(MOSAIC_SHAPES.length * 2), h: new Float64Array(MOSAIC_SHAPES.length * 2) };
const cached = (list: Float64Array, shape: number, ref: number): number => {
  const i = Math.min(MOSAIC_SHAPES.length - 1, Math.max(0, shape));
  if (Number.isNaN(extentCache.w[2 * i]!)) {
    const here = extentOf(MOSAIC_SHAPES[i]!, extentCache.aspect);
    const there = extentOf(MOSAIC_SHAPES[i]!, REFERENCE_ASPECT);
    extentCache.w[2 * i] = here.halfWidth;
    extentCache.h[2 * i] = here.halfHeight;
    extentCache.w[2 * i + 1] = there.halfWidth;
    extentCache.h[2 * i + 1] = there.halfHeight;
  }
  return list[2 * i + ref]!;
};
const cacheExtents = (aspect: number): void => {
  if (extentCache.aspect === aspect) return;
  extentCache.aspect = aspect;
  extentCache.w.fill(NaN);
};
/** The half-extent (w or h) of the mosaic as it stands (shapes cross-fading, scaled, moved), around the world's centre. */
const hullOf = (list: Float64Array, shape: KindFade, ref: number, scale: number, offset: number): number => {
  const a = cached(list, shape.from, ref);
  const b = cached(list, shape.to, ref);
  return (a + (b - a) * shape.mix) * scale + Math.abs(offset);
};

const placement: MosaicPlacement = { x: 0, y: 0, scale: 0 };

/**
 * How much more (vertically) a screen of `aspect` shows than the landscape reference, so that the
 * mosaic fills it as it fills a 16:9 screen at the set distance: the whole mosaic with the
 * reference's margins where stepping back at most FIT_SLACK allows it, otherwise the extent
 * covers the screen's width (a landscape block on an upright phone: its sides go past the
 * screen's edges rather than float in a band of sky). Never less than 1: a screen wider than the
 * reference sees what the reference sees, and more of the sky at the sides.
 */
export const fitFactor = (l: Pick<SceneLayers, 'shape' | 'mosaicScale' | 'mosaicX' | 'mosaicY'>, aspect: number): number => {
  cacheExtents(aspect);
  const { w, h } = extentCache;
  const place = mosaicPlacement(l, placement);
  const s = Math.max(1e-3, l.mosaicScale);
  const tall = hullOf(h, l.shape, 0, s, place.y) / hullOf(h, l.shape, 1, s, place.y);
  const wide = (hullOf(w, l.shape, 0, s, place.x) / hullOf(w, l.shape, 1, s, place.x)) * (REFERENCE_ASPECT / aspect);
  const whole = Math.max(tall, wide * (CONTAIN_ASPECT / REFERENCE_ASPECT));
  const f = Math.min(whole, Math.min(tall, wide) * FIT_SLACK);
  return f > 1 + 1e-9 && Number.isFinite(f) ? f : 1;
};

/** The framing on this screen: the vertical field of view (degrees) and how far the camera steps back from what it looks at (1: not at all). */
export const framing = { fov: 38, reach: 1 };

/**
 * Show `cover` times the reference's height: by widening the field of view up to MAX_FIT_FOV
 * (the camera keeps its place, inside a dome too), then by stepping back.
 */
export const fitFraming = (fov: number, cover: number): void => {
  if (cover === 1) {
    framing.fov = fov;
    framing.reach = 1;
    return;
  }
  const t0 = Math.tan((fov * Math.PI) / 360);
  const t = Math.min(t0 * cover, Math.tan((Math.max(fov, MAX_FIT_FOV) * Math.PI) / 360));
  framing.fov = (Math.atan(t) * 360) / Math.PI;
  framing.reach = (t0 * cover) / t;
};

const DOME = MOSAIC_SHAPES.indexOf('dome');
/** How much of the dome is on screen (a shape cross-fade). */
const vaultWeight = (shape: KindFade): number => (shape.from === DOME ? 1 - shape.mix : 0) + (shape.to === DOME ? shape.mix : 0);

const other = createPose();
const ease = (x: number): number => x * x * (3 - 2 * x);

/** The camera's pose this frame into `cameraPose`, for a screen of `aspect` (width / height). */
export const updateCameraPose = (f: SceneFrame, aspect: number): void => {
  const l = f.layers;
  const m = input;
  // The camera's own time, which the model integrates at its speed (at 0.5 it is the clock itself:
  // today's very numbers), so a change of speed never moves the camera by itself.
  m.t = l.cameraTime;
  m.seed = f.seed;
  m.reduced = f.reducedMotion;
  m.amp = f.reducedMotion ? REDUCED_AMPLITUDE : 1;
  m.k = l.cameraDistance / DEFAULT_DISTANCE;
  m.sway = Math.min(1, Math.max(0.05, aspect) / CONTAIN_ASPECT);
  m.depth = f.depth;
  m.height = l.cameraHeight;
  m.centreX = mosaicPlacement(l, placement).x;
  m.vault = vaultWeight(l.shape);
  m.actProgress = l.actProgress;
  m.actIndex = l.actIndex;
  const p = cameraPose;
  const fade = l.cameraMotion;
  motionPose(p, fade.to, m);
  if (fade.from !== fade.to && fade.mix < 1) {
    motionPose(other, fade.from, m);
    blendPoses(p, other, p, ease(Math.max(0, fade.mix)), m.centreX);
  }
  fitFraming(l.cameraFov, fitFactor(l, Math.max(0.05, aspect)));
  if (framing.reach !== 1) {
    p.x = p.lookX + (p.x - p.lookX) * framing.reach;
    p.z = p.lookZ + (p.z - p.lookZ) * framing.reach;
  }
  p.fov = framing.fov;
  p.tilt = (l.cameraTilt * Math.PI) / 180;
};
