import type { Pattern } from '../../model/index.ts';
import { hash2, mix32, unit } from '../../model/hash.ts';
import { valueNoise } from './value-noise.ts';

/**
 * The Dream Mosaic's layout: an exact number of tiles inside a rounded window (a superellipse
 * wider than tall), each tile a polygon fanned from its centre, each belonging to one dreamer's
 * region. Built once per (tiles, pattern, seed, dreamers) into flat typed arrays that become one
 * merged BufferGeometry: every vertex carries its tile's centre, index and dreamer, so all
 * per-tile motion happens in the vertex shader and the whole mosaic is one draw call.
 *
 * 'voronoi' shards come from the centroid dual of a jittered square lattice whose quads are split
 * along a seeded diagonal: around each lattice point sit 4 to 8 triangles, and the polygon
 * through their centroids is an irregular 4- to 8-sided shard. Neighbouring shards share their
 * corners exactly, so the tessellation has no gaps or overlaps, and it costs O(n), unlike a true
 * Voronoi diagram of 262,144 points.
 */

export interface MosaicLayoutOptions {
  tiles: number;
  pattern: Pattern;
  seed: number;
  /** Number of dreamers whose regions share the mosaic (at least one region is made). */
  dreamers: number;
  /** The window's aspect (half-width over half-height): MOSAIC_ASPECT unless the screen asks otherwise (mosaic-shape.ts). */
  aspect?: number;
}

export interface MosaicLayout {
  tiles: number;
  pattern: Pattern;
  vertexCount: number;
  /** Per vertex: x, y in mosaic units, and the rim weight (0 at the tile's centre, 1 on its edge). */
  position: Float32Array;
  /** Per vertex: the tile's centre x, y, its index and its dreamer's index (today's sectors). */
  tile: Float32Array;
  /**
   * Per vertex: the tile's dreamer for each kind of region, packed 6 bits each (exact in a float):
   * sectors + 64 bands + 4096 islands + 262144 interleaved (REGION_KINDS' order).
   */
  regions: Float32Array;
  index: Uint32Array;
  /** Per tile: centre x, y. */
  centres: Float32Array;
  /** Per tile: the dreamer whose region it belongs to. */
  dreamer: Uint8Array;
  /** The lattice spacing in mosaic units (about one tile across). */
  cell: number;
  /** The window's aspect the tiles were laid in. */
  aspect: number;
}

/** Half-extents of the mosaic's window in mosaic units (y spans -1..1). */
export const MOSAIC_ASPECT = 1.55;
/** A superellipse of the third degree: a rounded window, and cheap (no fractional powers). */
export const MOSAIC_EXPONENT = 3;
/** Voronoi lattice jitter, as a fraction of the spacing: irregular shards that stay valid. */
const JITTER = 0.3;

/** The window metric cubed (monotonic in the metric, so it sorts the same): 1 on the rim. */
export const windowMetric3 = (x: number, y: number, aspect: number = MOSAIC_ASPECT): number => {
  const ax = Math.abs(x) / aspect;
  const ay = Math.abs(y);
  return ax * ax * ax + ay * ay * ay;
};

/** Superellipse "radius": 1 on the window's rim. */
export const windowMetric = (x: number, y: number, aspect: number = MOSAIC_ASPECT): number => Math.cbrt(windowMetric3(x, y, aspect));

/** Area of the window, integrated once. */
const WINDOW_AREA = (() => {
  const steps = 4096;
  let sum = 0;
  for (let k = 0; k < steps; k++) {
    const x = (k + 0.5) / steps;
    sum += Math.pow(1 - Math.pow(x, MOSAIC_EXPONENT), 1 / MOSAIC_EXPONENT);
  }
  return (4 * MOSAIC_ASPECT * sum) / steps;
})();

const SQRT3 = Math.sqrt(3);
/** Pointy-top hexagon corners, counter-clockwise from the bottom. */
const HEX_COS = Float64Array.from({ length: 6 }, (_, a) => Math.cos((Math.PI / 180) * (-90 + 60 * a)));
const HEX_SIN = Float64Array.from({ length: 6 }, (_, a) => Math.sin((Math.PI / 180) * (-90 + 60 * a)));

interface Lattice {
  /** Lattice index range (inclusive) and stride. */
  i0: number;
  j0: number;
  cols: number;
  rows: number;
  h: number;
  hex: boolean;
}

/** Position of lattice point (i, j) on the un-jittered lattice. */
const latticeX = (l: Lattice, i: number, j: number): number => (l.hex ? (i + (j & 1) * 0.5) * l.h : i * l.h);
const latticeY = (l: Lattice, j: number): number => (l.hex ? (j * l.h * SQRT3) / 2 : j * l.h);

const makeLattice = (h: number, hex: boolean, aspect: number): Lattice => {
  const rowStep = hex ? (h * SQRT3) / 2 : h;
  const ni = Math.ceil((aspect * 1.2) / h) + 2;
  const nj = Math.ceil(1.2 / rowStep) + 2;
  return { i0: -ni, j0: -nj, cols: 2 * ni + 1, rows: 2 * nj + 1, h, hex };
};

/**
 * Pick exactly `tiles` lattice sites, the ones nearest the window's centre by the window metric
 * (so the mosaic is the window, with a ragged rim for shards). Returns site indices into the
 * lattice box, sorted row-major, and the jittered positions of every site in the box.
 */
/** Histogram bins for picking the nearest sites in O(n). */
const BINS = 8192;
/** Sites are considered out to this cubed metric (1.2 times the window's radius). */
const MAX_M3 = 1.2 ** 3;

const pickSites = (tiles: number, pattern: Pattern, seed: number, aspect: number): { lattice: Lattice; sites: Uint32Array; px: Float32Array; py: Float32Array } => {
  const hex = pattern === 'hex';
  // The window's area scales with its aspect (today's exactly at MOSAIC_ASPECT).
  const windowArea = aspect === MOSAIC_ASPECT ? WINDOW_AREA : (WINDOW_AREA * aspect) / MOSAIC_ASPECT;
  // Spacing for the wanted density; shrink until the box holds enough sites inside the margin.
  let h = hex ? Math.sqrt((2 * windowArea) / (SQRT3 * tiles)) : Math.sqrt(windowArea / tiles);
  const hist = new Uint32Array(BINS);
  for (let attempt = 0; attempt < 40; attempt++, h *= 0.93) {
    const lattice = makeLattice(h, hex, aspect);
    const { cols, rows } = lattice;
    const n = cols * rows;
    const px = new Float32Array(n);
    const py = new Float32Array(n);
    const bin = new Int16Array(n);
    const metric = new Float32Array(n);
    hist.fill(0);
    const jitter = pattern === 'voronoi' ? JITTER * h : 0;
    let inside = 0;
    for (let r = 0; r < rows; r++) {
      const j = lattice.j0 + r;
      const y0 = latticeY(lattice, j);
      for (let c = 0; c < cols; c++) {
        const i = lattice.i0 + c;
        const k = r * cols + c;
        let x = latticeX(lattice, i, j);
        let y = y0;
        if (jitter > 0) {
          const hh = hash2(i, j, seed);
          x += (unit(hh) * 2 - 1) * jitter;
          y += (unit(mix32(hh ^ 0x5bd1e995)) * 2 - 1) * jitter;
        }
        px[k] = x;
        py[k] = y;
        // The outermost ring of the box is never picked: shards need their neighbours.
        const edge = r === 0 || c === 0 || r === rows - 1 || c === cols - 1;
        const m = windowMetric3(x, y, aspect);
        metric[k] = m;
        if (edge || m >= MAX_M3) bin[k] = -1;
        else {
          const b = Math.floor((m / MAX_M3) * BINS);
          bin[k] = b;
          hist[b]!++;
          inside++;
        }
      }
    }
    if (inside < tiles) continue;
    // The bin where the count reaches `tiles`: every site below it is in, and the nearest of
    // that bin's sites (ties broken by position) fill the rest.
    let below = 0;
    let edgeBin = 0;
    while (below + hist[edgeBin]! < tiles) below += hist[edgeBin++]!;
    const need = tiles - below;
    const boundary: number[] = [];
    for (let k = 0; k < n; k++) if (bin[k] === edgeBin) boundary.push(k);
    boundary.sort((a, b) => metric[a]! - metric[b]! || a - b);
    const chosen = new Uint8Array(n);
    for (let q = 0; q < need; q++) chosen[boundary[q]!] = 1;
    const sites = new Uint32Array(tiles);
    let t = 0;
    for (let k = 0; k < n; k++) {
      const b = bin[k]!;
      if ((b >= 0 && b < edgeBin) || chosen[k]) sites[t++] = k;
    }
    return { lattice, sites, px, py };
  }
  throw new Error(`mosaic layout: could not place ${tiles} tiles`);
};

/**
 * Diagonal of the quad whose lower-left corner is box site k: 0 splits it ll–ur, 1 splits it
 * lr–ul. Seeded, but flipped when the seeded split would fold a triangle over (a strongly jittered
 * quad that is not convex).
 */
const area = (px: Float32Array, py: Float32Array, a: number, b: number, d: number): number =>
  (px[b]! - px[a]!) * (py[d]! - py[a]!) - (py[b]! - py[a]!) * (px[d]! - px[a]!);

const quadDiagonal = (lattice: Lattice, px: Float32Array, py: Float32Array, k: number, seed: number): number => {
  const { cols } = lattice;
  const ll = k;
  const lr = k + 1;
  const ul = k + cols;
  const ur = k + cols + 1;
  const c = k % cols;
  const r = (k - c) / cols;
  const want = unit(hash2(lattice.i0 + c, lattice.j0 + r, seed ^ 0x68e31da4)) < 0.5 ? 0 : 1;
  const ok0 = area(px, py, ll, lr, ur) > 0 && area(px, py, ll, ur, ul) > 0;
  const ok1 = area(px, py, ll, lr, ul) > 0 && area(px, py, lr, ur, ul) > 0;
  if (want === 0) return ok0 || !ok1 ? 0 : 1;
  return ok1 || !ok0 ? 1 : 0;
};

const centroid = (px: Float32Array, py: Float32Array, a: number, b: number, c: number, rimX: Float64Array, rimY: Float64Array, m: number): number => {
  rimX[m] = (px[a]! + px[b]! + px[c]!) / 3;
  rimY[m] = (py[a]! + py[b]! + py[c]!) / 3;
  return m + 1;
};

/**
 * A shard's rim: the centroids of the triangles around site k, counter-clockwise from east. The
 * quad with lower-left corner q has corners ll = q, lr = q+1, ul = q+cols, ur = q+cols+1; its
 * diagonal 0 makes triangles (ll,lr,ur) and (ll,ur,ul), diagonal 1 makes (ll,lr,ul) and (lr,ur,ul).
 */
const shardRim = (k: number, cols: number, px: Float32Array, py: Float32Array, d: Uint8Array, rimX: Float64Array, rimY: Float64Array): number => {
  let m = 0;
  // NE quad: the site is its lower-left corner.
  let q = k;
  if (d[q] === 0) {
    m = centroid(px, py, q, q + 1, q + cols + 1, rimX, rimY, m);
    m = centroid(px, py, q, q + cols + 1, q + cols, rimX, rimY, m);
  } else m = centroid(px, py, q, q + 1, q + cols, rimX, rimY, m);
  // NW quad: the site is its lower-right corner.
  q = k - 1;
  if (d[q] === 0) m = centroid(px, py, q, q + 1, q + cols + 1, rimX, rimY, m);
  else {
    m = centroid(px, py, q + 1, q + cols + 1, q + cols, rimX, rimY, m);
    m = centroid(px, py, q, q + 1, q + cols, rimX, rimY, m);
  }
  // SW quad: the site is its upper-right corner.
  q = k - 1 - cols;
  if (d[q] === 0) {
    m = centroid(px, py, q, q + cols + 1, q + cols, rimX, rimY, m);
    m = centroid(px, py, q, q + 1, q + cols + 1, rimX, rimY, m);
  } else m = centroid(px, py, q + 1, q + cols + 1, q + cols, rimX, rimY, m);
  // SE quad: the site is its upper-left corner.
  q = k - cols;
  if (d[q] === 0) m = centroid(px, py, q, q + cols + 1, q + cols, rimX, rimY, m);
  else {
    m = centroid(px, py, q, q + 1, q + cols, rimX, rimY, m);
    m = centroid(px, py, q + 1, q + cols + 1, q + cols, rimX, rimY, m);
  }
  return m;
};

/** Region (dreamer) of a point: spiral sectors around the window's centre, their borders warped. */
export const regionOf = (x: number, y: number, dreamers: number, seed: number, aspect: number = MOSAIC_ASPECT): number => {
  const k = Math.max(1, Math.floor(dreamers));
  if (k === 1) return 0;
  const rot = unit(mix32(seed ^ 0x3c6ef372));
  const twist = (unit(mix32(seed ^ 0x1b873593)) - 0.5) * 0.9;
  const warp = (valueNoise(x * 1.4 + 11.3, y * 1.4 - 3.7, seed) - 0.5) * 0.55 + (valueNoise(x * 4.1 - 7.1, y * 4.1 + 5.9, seed ^ 0x9e3779b9) - 0.5) * 0.16;
  const angle = Math.atan2(y, x / aspect) / (2 * Math.PI);
  const r = windowMetric(x, y, aspect);
  let s = angle + rot + twist * r + warp * (0.25 + 0.75 * Math.min(1, r * 1.5));
  s -= Math.floor(s);
  return Math.min(k - 1, Math.floor(s * k));
};

/** Bands: stripes across the mosaic, bottom to top, their borders waving. */
export const bandOf = (x: number, y: number, dreamers: number, seed: number): number => {
  const k = Math.max(1, Math.floor(dreamers));
  if (k === 1) return 0;
  const warp = (valueNoise(x * 1.1 + 3.1, y * 0.6 - 8.3, seed ^ 0x2545f491) - 0.5) * 0.5 + (valueNoise(x * 3.7, y * 3.7 + 2.2, seed) - 0.5) * 0.12;
  const s = Math.min(0.9999, Math.max(0, (y + warp * 0.9 + 1) / 2));
  return Math.min(k - 1, Math.floor(s * k));
};

/** Islands: patches (about three per dreamer, by a warped coarse cell), neighbours belonging to different dreamers. */
export const islandOf = (x: number, y: number, dreamers: number, seed: number): number => {
  const k = Math.max(1, Math.floor(dreamers));
  if (k === 1) return 0;
  const size = Math.max(0.35, Math.min(1.1, Math.sqrt(6 / (3 * k))));
  const wx = x / size + (valueNoise(x * 1.7 + 5.3, y * 1.7, seed) - 0.5) * 1.1;
  const wy = y / size + (valueNoise(x * 1.7, y * 1.7 - 4.9, seed ^ 0x7f4a7c15) - 0.5) * 1.1;
  const i = Math.floor(wx);
  const j = Math.floor(wy);
  const offset = mix32(seed ^ 0x61c88647) % k;
  return (((i * 2 + j * 3 + offset) % k) + k) % k;
};

/** Interleaved: woven tile by tile: squares of four lattice rows run as weft (threads two tiles wide), the next as warp. */
export const weaveOf = (i: number, j: number, dreamers: number): number => {
  const k = Math.max(1, Math.floor(dreamers));
  if (k === 1) return 0;
  const warp = (Math.floor(i / 4) + Math.floor(j / 4)) & 1;
  const n = Math.floor((warp ? i : j) / 2);
  return ((n % k) + k) % k;
};

/** Four region indices (6 bits each, < 2^24: exact in a float) in one number. */
export const packRegions = (sectors: number, bands: number, islands: number, interleaved: number): number =>
  Math.min(63, sectors) + 64 * Math.min(63, bands) + 4096 * Math.min(63, islands) + 262144 * Math.min(63, interleaved);

/** Every kind of region of the tile at lattice box site k, centred at (cx, cy), packed. */
const regionsAt = (lattice: Lattice, k: number, cx: number, cy: number, sectors: number, dreamers: number, seed: number): number => {
  const c = k % lattice.cols;
  return packRegions(sectors, bandOf(cx, cy, dreamers, seed), islandOf(cx, cy, dreamers, seed), weaveOf(lattice.i0 + c, lattice.j0 + (k - c) / lattice.cols, dreamers));
};

/** Voronoi: the diagonal of every quad the picked sites touch, computed once. */
const voronoiDiagonals = (lattice: Lattice, sites: Uint32Array, px: Float32Array, py: Float32Array, tiles: number, seed: number): Uint8Array => {
  const { cols } = lattice;
  const diag = new Uint8Array(px.length);
  const done = new Uint8Array(px.length);
  for (let t = 0; t < tiles; t++) {
    const k = sites[t]!;
    // The four quads around the site: NE, NW, SW, SE (by their lower-left corners).
    for (let a = 0; a < 4; a++) {
      const q = a === 0 ? k : a === 1 ? k - 1 : a === 2 ? k - 1 - cols : k - cols;
      if (done[q]) continue;
      done[q] = 1;
      diag[q] = quadDiagonal(lattice, px, py, q, seed);
    }
  }
  return diag;
};

/** The rim of a grid square or a hexagon of size h around (cx, cy). */
const regularRim = (pattern: Pattern, cx: number, cy: number, h: number, rimX: Float64Array, rimY: Float64Array): void => {
  if (pattern === 'grid') {
    const s = h / 2;
    rimX[0] = cx + s; rimY[0] = cy - s;
    rimX[1] = cx + s; rimY[1] = cy + s;
    rimX[2] = cx - s; rimY[2] = cy + s;
    rimX[3] = cx - s; rimY[3] = cy - s;
    return;
  }
  const R = h / SQRT3;
  for (let a = 0; a < 6; a++) {
    rimX[a] = cx + R * HEX_COS[a]!;
    rimY[a] = cy + R * HEX_SIN[a]!;
  }
};

/** Build the mosaic's layout. Deterministic per options; a few hundred ms at 262,144 tiles. */
export const buildMosaicLayout = (options: MosaicLayoutOptions): MosaicLayout => {
  const tiles = Math.max(1, Math.floor(options.tiles));
  const { pattern, aspect = MOSAIC_ASPECT } = options;
  const seed = options.seed >>> 0;
  const dreamers = Math.max(1, Math.min(255, Math.floor(options.dreamers)));
  const { lattice, sites, px, py } = pickSites(tiles, pattern, seed, aspect);
  const { cols, h } = lattice;
  const diag = pattern === 'voronoi' ? voronoiDiagonals(lattice, sites, px, py, tiles, seed) : null;

  // Sides per tile, then the totals.
  const sides = new Uint8Array(tiles);
  let vertexCount = 0;
  let triangleCount = 0;
  for (let t = 0; t < tiles; t++) {
    let n = pattern === 'grid' ? 4 : 6;
    if (diag) {
      const k = sites[t]!;
      n = 4 + (diag[k] === 0 ? 1 : 0) + (diag[k - 1] === 1 ? 1 : 0) + (diag[k - 1 - cols] === 0 ? 1 : 0) + (diag[k - cols] === 1 ? 1 : 0);
    }
    sides[t] = n;
    vertexCount += n + 1;
    triangleCount += n;
  }

  const position = new Float32Array(vertexCount * 3);
  const tile = new Float32Array(vertexCount * 4);
  const regions = new Float32Array(vertexCount);
  const index = new Uint32Array(triangleCount * 3);
  const centres = new Float32Array(tiles * 2);
  const dreamer = new Uint8Array(tiles);
  const rimX = new Float64Array(8);
  const rimY = new Float64Array(8);

  let v = 0;
  let e = 0;
  for (let t = 0; t < tiles; t++) {
    const k = sites[t]!;
    let cx = px[k]!;
    let cy = py[k]!;
    const n = sides[t]!;
    if (pattern === 'voronoi') shardRim(k, cols, px, py, diag!, rimX, rimY);
    else regularRim(pattern, cx, cy, h, rimX, rimY);
    // Fan from the rim's mean point: a shard's rim is star-shaped about it even where the
    // jittered site sits off to one side.
    if (pattern === 'voronoi') {
      let mx = 0;
      let my = 0;
      for (let a = 0; a < n; a++) {
        mx += rimX[a]!;
        my += rimY[a]!;
      }
      cx = mx / n;
      cy = my / n;
    }
    const who = regionOf(cx, cy, dreamers, seed, aspect);
    const packed = regionsAt(lattice, k, cx, cy, who, dreamers, seed);
    centres[t * 2] = cx;
    centres[t * 2 + 1] = cy;
    dreamer[t] = who;
    const base = v;
    // Centre vertex, then the rim.
    position[v * 3] = cx;
    position[v * 3 + 1] = cy;
    position[v * 3 + 2] = 0;
    for (let a = 0; a < n; a++) {
      const w = v + 1 + a;
      position[w * 3] = rimX[a]!;
      position[w * 3 + 1] = rimY[a]!;
      position[w * 3 + 2] = 1;
    }
    for (let a = 0; a <= n; a++) {
      const w = (v + a) * 4;
      tile[w] = cx;
      tile[w + 1] = cy;
      tile[w + 2] = t;
      tile[w + 3] = who;
    }
    regions.fill(packed, v, v + n + 1);
    for (let a = 0; a < n; a++) {
      index[e++] = base;
      index[e++] = base + 1 + a;
      index[e++] = base + 1 + ((a + 1) % n);
    }
    v += n + 1;
  }
  return { tiles, pattern, vertexCount, position, tile, regions, index, centres, dreamer, cell: h, aspect };
};
