/**
 * The threads' geometry: every dreamer's thread in one geometry per style (one draw call). A
 * vertex carries only where it is along its thread, which side or corner it is and whose thread
 * it is; the vertex shader weaves the path from dream time and a handful of uniforms.
 *
 * - ribbons, braids, strands: strips, `strands` per dreamer (position: u 0..1, side -1..1,
 *   dreamer; `aStrand`: the strand's index when there are several);
 * - rivers: quads flowing along the path (position: corner x, corner y, dreamer; `aStrand`: the
 *   particle's index along its thread);
 * - lace: strips between pairs of dreamers, LACE_CORDS each (position: u, side, one dreamer;
 *   `aStrand`: the other dreamer + 64 × the cord).
 */
export const THREAD_SEGMENTS = 220;

/** Strips per dreamer and segments per strip of each strip style. */
export const BRAID_STRANDS = 2;
export const BRAID_SEGMENTS = 200;
export const LIQUID_STRANDS = 4;
export const LIQUID_SEGMENTS = 160;
/** Particles per dreamer in a river. */
export const RIVER_PARTICLES = 180;
/** Segments of one lace link; up to LACE_ALL_PAIRS dreamers every pair is linked. */
export const LACE_SEGMENTS = 48;
export const LACE_ALL_PAIRS = 12;
/** Beyond LACE_ALL_PAIRS, each dreamer links to this many that follow it round the ring. */
export const LACE_NEIGHBOURS = 5;
/** Cords each lace link is woven of. */
export const LACE_CORDS = 3;

export interface ThreadArrays {
  position: Float32Array;
  index: Uint32Array;
  /** Per vertex: the strand, particle or other dreamer (absent for plain ribbons). */
  strand?: Float32Array;
}

/** Two triangles between strip vertices a, a+1 (this segment) and a+2, a+3 (the next). */
const quadIndices = (index: Uint32Array, e: number, a: number): number => {
  index[e] = a;
  index[e + 1] = a + 1;
  index[e + 2] = a + 2;
  index[e + 3] = a + 1;
  index[e + 4] = a + 3;
  index[e + 5] = a + 2;
  return e + 6;
};

/**
 * Strips: `strands` per thread, each `segments` long. With one strand (ribbons) the arrays are
 * exactly what the threads were always drawn from.
 */
export const buildThreadArrays = (threads: number, segments = THREAD_SEGMENTS, strands = 1): ThreadArrays => {
  const count = Math.max(0, Math.floor(threads));
  const strips = count * Math.max(1, Math.floor(strands));
  const perStrip = (segments + 1) * 2;
  const position = new Float32Array(strips * perStrip * 3);
  const index = new Uint32Array(strips * segments * 6);
  const strand = strands > 1 ? new Float32Array(strips * perStrip) : undefined;
  let v = 0;
  let e = 0;
  for (let k = 0; k < strips; k++) {
    const base = k * perStrip;
    const who = strand ? Math.floor(k / strands) : k;
    for (let s = 0; s <= segments; s++) {
      const u = s / segments;
      for (let side = -1; side <= 1; side += 2) {
        if (strand) strand[v / 3] = k % strands;
        position[v++] = u;
        position[v++] = side;
        position[v++] = who;
      }
      if (s < segments) e = quadIndices(index, e, base + s * 2);
    }
  }
  return strand ? { position, index, strand } : { position, index };
};

/** Quads flowing along each thread: `particles` per dreamer. */
export const buildRiverArrays = (threads: number, particles = RIVER_PARTICLES): ThreadArrays => {
  const count = Math.max(0, Math.floor(threads));
  const quads = count * particles;
  const position = new Float32Array(quads * 12);
  const strand = new Float32Array(quads * 4);
  const index = new Uint32Array(quads * 6);
  let v = 0;
  for (let q = 0; q < quads; q++) {
    for (let c = 0; c < 4; c++) {
      strand[q * 4 + c] = q % particles;
      position[v++] = c & 1 ? 1 : -1;
      position[v++] = c & 2 ? 1 : -1;
      position[v++] = Math.floor(q / particles);
    }
    quadIndices(index, q * 6, q * 4);
  }
  return { position, index, strand };
};

/**
 * The pairs lace links: every pair up to LACE_ALL_PAIRS dreamers; beyond, each dreamer to the
 * LACE_NEIGHBOURS after it round the ring (every dreamer keeps links, the count stays linear).
 */
export const lacePairs = (threads: number): Array<[number, number]> => {
  const count = Math.max(0, Math.floor(threads));
  const pairs: Array<[number, number]> = [];
  if (count <= LACE_ALL_PAIRS) {
    for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) pairs.push([i, j]);
    return pairs;
  }
  for (let i = 0; i < count; i++) for (let n = 1; n <= LACE_NEIGHBOURS; n++) pairs.push([i, (i + n) % count]);
  return pairs;
};

/** LACE_CORDS strips for every lace link. */
export const buildLaceArrays = (threads: number, segments = LACE_SEGMENTS, cords = LACE_CORDS): ThreadArrays => {
  const pairs = lacePairs(threads);
  const strips = pairs.length * cords;
  const perStrip = (segments + 1) * 2;
  const position = new Float32Array(strips * perStrip * 3);
  const strand = new Float32Array(strips * perStrip);
  const index = new Uint32Array(strips * segments * 6);
  let v = 0;
  let e = 0;
  for (let p = 0; p < strips; p++) {
    const [a, b] = pairs[Math.floor(p / cords)]!;
    for (let s = 0; s <= segments; s++) {
      for (let side = -1; side <= 1; side += 2) {
        strand[v / 3] = b + 64 * (p % cords);
        position[v++] = s / segments;
        position[v++] = side;
        position[v++] = a;
      }
      if (s < segments) e = quadIndices(index, e, p * perStrip + s * 2);
    }
  }
  return { position, index, strand };
};

/** The arrays of a thread style (an index into THREAD_STYLES). */
export const buildStyleArrays = (style: number, threads: number): ThreadArrays => {
  switch (style) {
    case 1:
      return buildThreadArrays(threads, BRAID_SEGMENTS, BRAID_STRANDS);
    case 2:
      return buildRiverArrays(threads);
    case 3:
      return buildThreadArrays(threads, LIQUID_SEGMENTS, LIQUID_STRANDS);
    case 4:
      return buildLaceArrays(threads);
    default:
      return buildThreadArrays(threads);
  }
};
