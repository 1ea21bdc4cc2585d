import type { MosaicShape } from '../../model/index.ts';
import { MOSAIC_SHAPES } from '../../model/index.ts';
import { MOSAIC_ASPECT } from './mosaic-layout.ts';

/**
 * What the Dream Mosaic is laid on (`scene.mosaic.shape`), pure. Tiles are laid out flat in mosaic
 * units (the window: x within ±aspect, y within ±1) and the vertex shader (shaders/mosaic-shape.glsl)
 * puts them on a shape in two stages: a per-tile stage in the plane (disc, ring and sphere hide the
 * tiles outside their outline; islands part the tiles into rafts) and a surface map from the plane to
 * 3D (wall, floor, sphere, dome). This module mirrors both for the extents other layers fit to
 * (the camera's framing, the threads), and its constants are the shader's (materials.ts passes them
 * as defines), so the two cannot drift apart.
 */

/** World units per mosaic unit: the block's window is about 7 units tall. */
export const MOSAIC_SCALE = 3.5;

export const SHAPE = {
  /** disc, ring: the outline's radius as a fraction of the window's half-height (or half-width on a portrait screen). */
  discRadius: 0.98,
  /** ring: the hole's radius as a fraction of the outline's. */
  ringInner: 0.52,
  /** wall: how much larger than the block the squared-up tapestry is (it fills a 16:9 view at the default camera, drift included). */
  wallScale: 1.75,
  /** floor: scale, how far it is laid back from upright (radians), and where it lies (mosaic units). */
  floorScale: 2.1,
  floorTilt: 1.22,
  floorY: -0.62,
  floorZ: 0.2,
  /** sphere: radius (mosaic units); the window's shorter half-extent reaches this far round it (2 = the far pole, Lambert's equal-area map). */
  sphereRadius: 1.0,
  sphereReach: 1.9,
  /** dome: a vault round the default camera (distance 12.5 world units = 3.571 mosaic units), seen from inside. */
  domeRadius: 2.6,
  domeCentreZ: 12.5 / 3.5,
  /** dome: radians of arc per mosaic unit, and how far above the horizon the window's centre stands (radians). */
  domeArc: 0.8,
  domeLift: 0.5,
  /** islands: the rafts' cell (mosaic units) and how far apart they drift (1 = touching). */
  islandCell: 0.8,
  islandSpread: 1.24,
} as const;

/** The index of a shape in MOSAIC_SHAPES (the shader's SHAPE_FROM / SHAPE_TO). */
export const shapeIndex = (shape: MosaicShape): number => Math.max(0, MOSAIC_SHAPES.indexOf(shape));

/**
 * The window's aspect (half-width over half-height) for a screen's aspect: today's 1.55 on every
 * landscape screen from 3:2 to 2:1 (16:9 included, so a version-1 preset looks as it did); narrower
 * on a narrower screen, down to 0.45 (a phone held upright, 390x844, is 0.46: the dream fills it),
 * wider on an ultra-wide one, up to 2.2. A dome keeps today's window on any screen: it is a vault
 * round the viewer, of which a narrow screen sees a slice (a narrowed one became a tower).
 */
export const mosaicAspect = (screenAspect: number, shape: MosaicShape = 'block'): number => {
  if (shape === 'dome') return MOSAIC_ASPECT;
  const s = Number.isFinite(screenAspect) && screenAspect > 0 ? screenAspect : 16 / 9;
  if (s < 1.5) return Math.max(0.45, (s * MOSAIC_ASPECT) / 1.5);
  if (s > 2) return Math.min(2.2, (s * MOSAIC_ASPECT) / 2);
  return MOSAIC_ASPECT;
};

/** Whether a layout built for aspect `built` should be rebuilt for a screen that wants `wanted` (more than 10% off). */
export const aspectNeedsRebuild = (built: number, wanted: number): boolean => Math.abs(wanted - built) > 0.1 * built;

/** Per tile, in the plane: [dx, dy, scale] for a tile centred at (cx, cy) (scale 0 hides it). */
export const tileStage = (shape: MosaicShape, cx: number, cy: number, aspect: number): [number, number, number] => {
  const r = Math.hypot(cx, cy);
  const disc = Math.min(aspect, 1) * SHAPE.discRadius;
  switch (shape) {
    case 'disc':
      return [0, 0, r <= disc ? 1 : 0];
    case 'ring':
      return [0, 0, r <= disc && r >= disc * SHAPE.ringInner ? 1 : 0];
    case 'sphere':
      return [0, 0, r / (Math.min(aspect, 1) / SHAPE.sphereReach) <= 1.97 ? 1 : 0];
    case 'islands': {
      const [px, py] = islandCentre(cx, cy);
      return [px * (SHAPE.islandSpread - 1), py * (SHAPE.islandSpread - 1), 1];
    }
    default:
      return [0, 0, 1];
  }
};

/** The centre of the raft a tile centred at (x, y) belongs to (wavy cell borders). */
export const islandCentre = (x: number, y: number): [number, number] => {
  const c = SHAPE.islandCell;
  const wx = x / c + 0.3 * Math.sin(y * 4.7 + 1.3);
  const wy = y / c + 0.3 * Math.sin(x * 3.9 + 0.4);
  return [(Math.floor(wx) + 0.5) * c, (Math.floor(wy) + 0.5) * c];
};

/** The surface map: a point of the plane (mosaic units, after the tile stage) to 3D (mosaic units, the mosaic's own frame). */
export const surfacePoint = (shape: MosaicShape, x: number, y: number, aspect: number): [number, number, number] => {
  switch (shape) {
    case 'wall': {
      // Squared up: the rounded window is pushed out to a rectangle, then enlarged.
      const u = Math.abs(x) / aspect;
      const v = Math.abs(y);
      const c = Math.max(u, v);
      const f = c > 1e-6 ? Math.cbrt(u * u * u + v * v * v) / c : 1;
      return [x * f * SHAPE.wallScale, y * f * SHAPE.wallScale, 0];
    }
    case 'floor': {
      const s = SHAPE.floorScale;
      return [x * s, y * s * Math.cos(SHAPE.floorTilt) + SHAPE.floorY, -y * s * Math.sin(SHAPE.floorTilt) + SHAPE.floorZ];
    }
    case 'sphere': {
      const rho = Math.min(aspect, 1) / SHAPE.sphereReach;
      const qx = x / rho;
      const qy = y / rho;
      const r2 = Math.min(4, qx * qx + qy * qy);
      const k = Math.sqrt(1 - r2 / 4) * SHAPE.sphereRadius;
      return [qx * k, qy * k, (1 - r2 / 2) * SHAPE.sphereRadius];
    }
    case 'dome': {
      const phi = x * SHAPE.domeArc;
      const theta = y * SHAPE.domeArc + SHAPE.domeLift;
      const R = SHAPE.domeRadius;
      return [R * Math.sin(phi) * Math.cos(theta), R * Math.sin(theta), SHAPE.domeCentreZ - R * Math.cos(phi) * Math.cos(theta)];
    }
    default:
      return [x, y, 0];
  }
};

export interface MosaicBox {
  min: [number, number, number];
  max: [number, number, number];
}

const boxes = new Map<string, MosaicBox>();

/**
 * The resting shape's bounding box in world units (MOSAIC_SCALE applied, before scene.mosaic.scale,
 * its place and the window's lean), sampled over the window (the rim tiles reach about a tile past
 * it). Cached per shape and aspect.
 */
export const mosaicBox = (shape: MosaicShape, screenAspect: number): MosaicBox => {
  const aspect = mosaicAspect(screenAspect, shape);
  const key = `${shape}:${aspect}`;
  const cached = boxes.get(key);
  if (cached) return cached;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  const n = 96;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const x = ((2 * i) / n - 1) * aspect;
      const y = (2 * j) / n - 1;
      if (Math.abs(x / aspect) ** 3 + Math.abs(y) ** 3 > 1) continue;
      const [dx, dy, s] = tileStage(shape, x, y, aspect);
      if (s === 0) continue;
      const p = surfacePoint(shape, x + dx, y + dy, aspect);
      for (let a = 0; a < 3; a++) {
        min[a] = Math.min(min[a]!, p[a]! * MOSAIC_SCALE);
        max[a] = Math.max(max[a]!, p[a]! * MOSAIC_SCALE);
      }
    }
  }
  const box = { min, max };
  boxes.set(key, box);
  return box;
};

/**
 * How far the resting mosaic reaches, in world units (MOSAIC_SCALE applied, before
 * scene.mosaic.scale): halfWidth and halfHeight from the mosaic's centre (its x, y), depth its
 * extent along z. A flat shape (block, disc, ring, wall, islands) has depth 0; a sphere stands
 * `depth` deep in front of and behind its centre halves; the floor and the dome are not centred
 * (see mosaicBox): the dome is a vault round the default camera (12.5 units in front of the
 * mosaic's centre), which a framing should place itself inside of rather than fit.
 */
export const mosaicExtent = (shape: MosaicShape, aspect: number): { halfWidth: number; halfHeight: number; depth: number } => {
  const b = mosaicBox(shape, aspect);
  return {
    halfWidth: Math.max(-b.min[0], b.max[0]),
    halfHeight: Math.max(-b.min[1], b.max[1]),
    depth: b.max[2] - b.min[2],
  };
};

export interface MosaicPlacement {
  /** World position of the mosaic's centre. */
  x: number;
  y: number;
  /** World units per mosaic unit (MOSAIC_SCALE times scene.mosaic.scale). */
  scale: number;
}

/** Where the mosaic stands (scene.mosaic.x/y are in mosaic heights: 2 mosaic units, 7 world units). */
export const mosaicPlacement = (l: { mosaicX: number; mosaicY: number; mosaicScale: number }, out: MosaicPlacement = { x: 0, y: 0, scale: 0 }): MosaicPlacement => {
  out.x = l.mosaicX * 2 * MOSAIC_SCALE;
  out.y = l.mosaicY * 2 * MOSAIC_SCALE;
  out.scale = MOSAIC_SCALE * l.mosaicScale;
  return out;
};

/**
 * How much of the block's lean and sway a shape keeps: a tapestry, a floor and a vault round the
 * camera stand still (their own geometry is their pose); the rest lean back and sway as today.
 */
export const shapeSway = (shape: number): number => {
  const s = MOSAIC_SHAPES[shape];
  return s === 'wall' || s === 'floor' || s === 'dome' ? 0 : 1;
};

/** The window's lean (rotation about x) and sway (about y) at dream time t, for a shape cross-fade. */
export const mosaicRotation = (shape: { from: number; to: number; mix: number }, t: number, out: { x: number; y: number } = { x: 0, y: 0 }): { x: number; y: number } => {
  const w = shapeSway(shape.from) + (shapeSway(shape.to) - shapeSway(shape.from)) * shape.mix;
  if (w === 1) {
    // Today's, exactly.
    out.x = -0.2 + 0.04 * Math.sin(t * 0.05);
    out.y = 0.06 * Math.sin(t * 0.037);
  } else {
    out.x = w * (-0.2 + 0.04 * Math.sin(t * 0.05));
    out.y = w * 0.06 * Math.sin(t * 0.037);
  }
  return out;
};
