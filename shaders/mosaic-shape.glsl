// What the Dream Mosaic is laid on: mirrors src/scene/layout/mosaic-shape.ts (whose SHAPE constants
// arrive as the SHAPE_* defines). Two stages: per tile in the plane (hide the tiles outside an
// outline, part them into rafts), then a surface map from the plane to 3D with its frame (t, b
// along the surface, n out of it, toward the viewer). SHAPE_FROM and SHAPE_TO are compile-time
// indices into MOSAIC_SHAPES (0 block, 1 disc, 2 ring, 3 dome, 4 wall, 5 floor, 6 sphere, 7 islands):
// each variant has only the code of its two shapes.

struct Surface {
  vec3 p;
  vec3 t;
  vec3 b;
  vec3 n;
};

// ---- per tile, in the plane: xy offset, z scale (0 hides the tile) ----
vec3 stageFlat(vec2 c) {
  return vec3(0.0, 0.0, 1.0);
}

vec3 stageDisc(vec2 c) {
  return vec3(0.0, 0.0, step(length(c), min(uAspect, 1.0) * SHAPE_DISCRADIUS));
}

vec3 stageRing(vec2 c) {
  float r = length(c);
  float outer = min(uAspect, 1.0) * SHAPE_DISCRADIUS;
  return vec3(0.0, 0.0, step(r, outer) * step(outer * SHAPE_RINGINNER, r));
}

vec3 stageSphere(vec2 c) {
  return vec3(0.0, 0.0, step(length(c) * SHAPE_SPHEREREACH / min(uAspect, 1.0), 1.97));
}

vec3 stageIslands(vec2 c) {
  vec2 w = c / SHAPE_ISLANDCELL + 0.3 * vec2(sin(c.y * 4.7 + 1.3), sin(c.x * 3.9 + 0.4));
  vec2 raft = (floor(w) + 0.5) * SHAPE_ISLANDCELL;
  return vec3(raft * (SHAPE_ISLANDSPREAD - 1.0), 1.0);
}

// ---- the surface map ----
Surface surfaceFlat(vec2 q) {
  return Surface(vec3(q, 0.0), vec3(1.0, 0.0, 0.0), vec3(0.0, 1.0, 0.0), vec3(0.0, 0.0, 1.0));
}

// The rounded window squared up to a rectangle, then enlarged: a tapestry edge to edge.
Surface surfaceWall(vec2 q) {
  vec2 uv = abs(q) / vec2(uAspect, 1.0);
  float c = max(max(uv.x, uv.y), 1e-6);
  float f = pow(uv.x * uv.x * uv.x + uv.y * uv.y * uv.y, 1.0 / 3.0) / c;
  return Surface(vec3(q * f * SHAPE_WALLSCALE, 0.0), vec3(1.0, 0.0, 0.0), vec3(0.0, 1.0, 0.0), vec3(0.0, 0.0, 1.0));
}

// Laid back almost flat, its far edge away from the viewer: a ground in perspective.
Surface surfaceFloor(vec2 q) {
  float ct = cos(SHAPE_FLOORTILT);
  float st = sin(SHAPE_FLOORTILT);
  vec3 p = vec3(q.x * SHAPE_FLOORSCALE, q.y * SHAPE_FLOORSCALE * ct + SHAPE_FLOORY, -q.y * SHAPE_FLOORSCALE * st + SHAPE_FLOORZ);
  return Surface(p, vec3(1.0, 0.0, 0.0), vec3(0.0, ct, -st), vec3(0.0, st, ct));
}

// Lambert's equal-area map, inverted: the window's middle faces the viewer, its rim wraps round to
// the far pole; every tile keeps its area.
Surface surfaceSphere(vec2 q) {
  vec2 u = q * SHAPE_SPHEREREACH / min(uAspect, 1.0);
  float r2 = min(dot(u, u), 4.0);
  vec3 n = vec3(u * sqrt(1.0 - r2 * 0.25), 1.0 - r2 * 0.5);
  vec3 t = normalize(vec3(n.z, 0.0, -n.x) + vec3(1e-4, 0.0, 0.0));
  return Surface(n * SHAPE_SPHERERADIUS, t, cross(n, t), n);
}

// A vault round the default camera, seen from inside: x runs round it, y up it toward the crown.
Surface surfaceDome(vec2 q) {
  float phi = q.x * SHAPE_DOMEARC;
  float theta = q.y * SHAPE_DOMEARC + SHAPE_DOMELIFT;
  vec3 dir = vec3(sin(phi) * cos(theta), sin(theta), -cos(phi) * cos(theta));
  vec3 p = vec3(0.0, 0.0, SHAPE_DOMECENTREZ) + SHAPE_DOMERADIUS * dir;
  return Surface(p, vec3(cos(phi), 0.0, sin(phi)), vec3(-sin(phi) * sin(theta), cos(theta), cos(phi) * sin(theta)), -dir);
}

// ---- the variant's two shapes ----
#if SHAPE_FROM == 1
#define STAGE_FROM stageDisc
#elif SHAPE_FROM == 2
#define STAGE_FROM stageRing
#elif SHAPE_FROM == 6
#define STAGE_FROM stageSphere
#elif SHAPE_FROM == 7
#define STAGE_FROM stageIslands
#else
#define STAGE_FROM stageFlat
#endif

#if SHAPE_TO == 1
#define STAGE_TO stageDisc
#elif SHAPE_TO == 2
#define STAGE_TO stageRing
#elif SHAPE_TO == 6
#define STAGE_TO stageSphere
#elif SHAPE_TO == 7
#define STAGE_TO stageIslands
#else
#define STAGE_TO stageFlat
#endif

#if SHAPE_FROM == 3
#define SURFACE_FROM surfaceDome
#elif SHAPE_FROM == 4
#define SURFACE_FROM surfaceWall
#elif SHAPE_FROM == 5
#define SURFACE_FROM surfaceFloor
#elif SHAPE_FROM == 6
#define SURFACE_FROM surfaceSphere
#else
#define SURFACE_FROM surfaceFlat
#endif

#if SHAPE_TO == 3
#define SURFACE_TO surfaceDome
#elif SHAPE_TO == 4
#define SURFACE_TO surfaceWall
#elif SHAPE_TO == 5
#define SURFACE_TO surfaceFloor
#elif SHAPE_TO == 6
#define SURFACE_TO surfaceSphere
#else
#define SURFACE_TO surfaceFlat
#endif

// The tile stage of this frame (a cross-fade mixes the two shapes').
vec3 shapeStage(vec2 c, float m) {
#if SHAPE_FROM == SHAPE_TO
  return STAGE_TO(c);
#else
  return mix(STAGE_FROM(c), STAGE_TO(c), m);
#endif
}

// The surface of this frame at a point of the plane.
Surface shapeSurface(vec2 q, float m) {
#if SHAPE_FROM == SHAPE_TO
  return SURFACE_TO(q);
#else
  Surface a = SURFACE_FROM(q);
  Surface b = SURFACE_TO(q);
  return Surface(mix(a.p, b.p, m), mix(a.t, b.t, m), mix(a.b, b.b, m), normalize(mix(a.n, b.n, m)));
#endif
}
