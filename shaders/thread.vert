// The dreamers' threads, woven here from dream time, so they cost no CPU per frame. Unity pulls
// every thread toward one shape; as it falls each drifts back to its own path.
//
// Compile-time variants (software WebGL pays for both sides of a branch):
// STYLE       0 ribbons (a strip facing the camera), 1 braids (two strands twisting round the
//             path), 2 rivers (drops of light flowing along it), 3 strands (thin liquid
//             filaments parting and meeting), 4 lace (links between pairs of dreamers);
// ROUTE_FROM  0 across (lanes across the dream), 1 radial (to the dream's centre), 2 knot (a knot
// ROUTE_TO    at the centre that draws the threads in as unity rises); ROUTE_FADE while the
//             routing cross-fades (the path glides from one to the other by uRouteMix).
#include hash.glsl;

// Strips: position = (u along the thread 0..1, side -1..1, dreamer); rivers: (corner x, corner y,
// dreamer); lace: (u, side, one dreamer). aStrand: the strand, the drop or the other dreamer.
#if STYLE != 0
attribute float aStrand;
#endif

uniform float uTime;
uniform float uUnity;
uniform float uCount;
uniform float uSeed;
uniform float uSpan;
uniform float uMotion;
uniform vec4 uDreamers[MAX_DREAMERS];
uniform float uVisible[MAX_DREAMERS];
// This variant's share of the picture (a style cross-fade) times the threads' brightness.
uniform float uGain;
// The mosaic's half-width and half-height (radial, knot and lace fit it).
uniform vec2 uReach;
uniform float uRouteMix;
// How far the rivers have flowed (integrated in JS: arousal speeds them without jumps).
uniform float uFlow;
uniform float uArousal;
uniform float uGlitch;
uniform float uGlitchStep;
uniform float uGlitchSeed;
uniform float uGuard;

varying vec3 vColour;
varying float vSide;
varying float vAlong;
varying float vGlow;
#if STYLE != 0 || ROUTE_FROM != 0 || ROUTE_TO != 0
// How much the inner end fades (across: fully; radial: a little, the threads meet there).
varying float vInner;
#endif
#if STYLE != 0
// Strands: how far in front (1) or behind (0) the strand is; rivers: the drop's quad (-1..1).
varying float vFront;
varying vec2 vQuad;
#endif

vec3 braidPath(float x, float t) {
  return vec3(
    x,
    0.85 * sin(x * 0.26 + t * 0.11 + 1.3) + 0.35 * sin(x * 0.63 - t * 0.07),
    1.6 + 0.7 * sin(x * 0.37 + t * 0.09));
}

vec3 acrossPoint(float u, float k, vec4 hk, float t) {
  float x = (u * 2.0 - 1.0) * uSpan;
  // Its own path: a lane of its own, waving on its own frequencies.
  float lane = uCount > 1.0 ? (k + 0.5) / uCount * 2.0 - 1.0 : 0.0;
  vec3 own = vec3(
    x,
    lane * 3.1 + (0.5 + 0.5 * hk.x) * sin(x * (0.3 + 0.35 * hk.y) + t * (0.08 + 0.1 * hk.z) + hk.w * 6.2832)
      + 0.25 * sin(x * (0.9 + hk.z) - t * 0.13),
    0.9 + 1.8 * hk.z + 0.6 * sin(x * (0.25 + 0.2 * hk.x) + t * 0.07 + hk.y * 6.2832));
  // The braid: a helix around the shared path, each thread a strand of it.
  float turn = x * 1.7 + t * 0.3 + 6.2832 * k / max(uCount, 1.0);
  vec3 braid = braidPath(x, t) + 0.2 * vec3(0.0, cos(turn), sin(turn));
  float pull = smoothstep(0.0, 1.0, uUnity);
  return mix(own, braid, pull);
}

#if ROUTE_FROM == 1 || ROUTE_TO == 1
// From the rim (u = 0) to the centre (u = 1), winding in: unity tightens it into a vortex.
vec3 radialPoint(float u, float k, vec4 hk, float t) {
  float pull = smoothstep(0.0, 1.0, uUnity);
  float inward = 1.0 - u;
  float angle = 6.2832 * (k + 0.5 + 0.35 * (hk.w - 0.5)) / max(uCount, 1.0) + 0.4;
  angle += (0.5 + 2.4 * pull) * u * u + 0.3 * inward * sin(u * (3.0 + 2.0 * hk.x) + t * 0.11 + hk.y * 6.2832);
  float r = inward * (1.0 - 0.12 * sin(u * 5.0 + t * 0.09 + hk.z * 6.2832) * (1.0 - pull));
  vec3 p = vec3(cos(angle) * r * uReach.x * 1.57, sin(angle) * r * uReach.y * 1.5, 0.9 + 1.6 * hk.z * inward + 0.7 * u);
  p.z += 0.25 * sin(u * 7.0 + t * 0.13 + hk.x * 6.2832) * inward;
  return p;
}
#endif

#if ROUTE_FROM == 2 || ROUTE_TO == 2
// Lanes across the dream whose middles are drawn into a trefoil at the centre as unity rises.
vec3 knotPoint(float u, float k, vec4 hk, float t) {
  float x = (u * 2.0 - 1.0) * uSpan;
  float lane = uCount > 1.0 ? (k + 0.5) / uCount * 2.0 - 1.0 : 0.0;
  vec3 own = vec3(
    x,
    lane * 3.1 + (0.5 + 0.5 * hk.x) * sin(x * (0.3 + 0.35 * hk.y) + t * (0.08 + 0.1 * hk.z) + hk.w * 6.2832),
    0.9 + 1.8 * hk.z);
  float s = u * 2.0 - 1.0;
  float phi = u * 12.566 + 6.2832 * k / max(uCount, 1.0) + t * 0.12;
  vec3 trefoil = vec3(sin(phi) + 2.0 * sin(2.0 * phi), cos(phi) - 2.0 * cos(2.0 * phi), -sin(3.0 * phi));
  vec3 tail = vec3(x, 0.3 * sin(x * 0.4 + t * 0.1), 1.6);
  float inKnot = exp(-s * s * 6.0);
  vec3 knotted = mix(tail, vec3(0.0, 0.0, 1.6) + trefoil * vec3(0.22 * uReach.y, 0.22 * uReach.y, 0.45), inKnot);
  float pull = smoothstep(0.1, 0.95, uUnity);
  return mix(own, knotted, pull);
}
#endif

vec3 routePoint(float u, float k, vec4 hk, float t) {
#if ROUTE_FROM == 0
  vec3 p = acrossPoint(u, k, hk, t);
#elif ROUTE_FROM == 1
  vec3 p = radialPoint(u, k, hk, t);
#else
  vec3 p = knotPoint(u, k, hk, t);
#endif
#ifdef ROUTE_FADE
#if ROUTE_TO == 0
  vec3 q = acrossPoint(u, k, hk, t);
#elif ROUTE_TO == 1
  vec3 q = radialPoint(u, k, hk, t);
#else
  vec3 q = knotPoint(u, k, hk, t);
#endif
  p = mix(p, q, smoothstep(0.0, 1.0, uRouteMix));
#endif
  return p;
}

#if STYLE == 4
// Where a dreamer's knot of the lace sits: across, spread over the dream from left to right;
// radial, on a ring round the centre; knot, drawn into the centre as unity rises.
vec3 laceNode(float k, vec4 hk, float t, int route) {
  float pull = smoothstep(0.0, 1.0, uUnity);
  float n = max(uCount, 1.0);
  vec3 p;
  if (route == 0) {
    float lane = n > 1.0 ? (k + 0.5) / n * 2.0 - 1.0 : 0.0;
    // Spread along the mosaic's longer side (across a landscape screen, down an upright one).
    float major = max(uReach.x, uReach.y);
    float minor = min(uReach.x, uReach.y);
    vec2 spread = vec2(lane * major * 1.03 + 0.6 * (hk.x - 0.5), (hk.y - 0.5) * minor * 1.31 * (1.0 - 0.5 * pull));
    p = vec3(uReach.x >= uReach.y ? spread : spread.yx, 1.2 + 1.2 * hk.z);
  } else {
    float angle = 6.2832 * (k + 0.5 + 0.3 * (hk.w - 0.5)) / n + 0.4;
    float r = route == 1 ? 1.0 - 0.35 * hk.x : (1.0 - 0.6 * pull) * (0.7 + 0.3 * hk.x);
    p = vec3(cos(angle) * r * uReach.x, sin(angle) * r * uReach.y * 0.91, 1.2 + 1.2 * hk.z);
  }
  p.xy += 0.3 * vec2(sin(t * (0.07 + 0.05 * hk.y) + hk.z * 6.2832), cos(t * (0.06 + 0.05 * hk.x) + hk.w * 6.2832));
  return p;
}

vec3 laceRoute(float k, vec4 hk, float t) {
  vec3 p = laceNode(k, hk, t, ROUTE_FROM);
#ifdef ROUTE_FADE
  p = mix(p, laceNode(k, hk, t, ROUTE_TO), smoothstep(0.0, 1.0, uRouteMix));
#endif
  return p;
}
#endif

// The glitch tears a thread into pieces that jump on each step (positions); with the guard off
// the pieces also flare or go dark (w: a brightness factor), with it on their brightness holds.
// Today's picture (ribbons across) leaves the threads whole, as they always were.
vec4 glitchOffset(float u, float k) {
  vec4 o = vec4(0.0, 0.0, 0.0, 1.0);
#if STYLE != 0 || ROUTE_FROM != 0 || ROUTE_TO != 0
  if (uGlitch > 0.001) {
    uint stepId = uint(int(uGlitchStep) & 0xffffff);
    vec4 g = hash4(hash2u(uint(floor(u * 14.0)) * 67u + uint(k), mix32(stepId) ^ uint(uGlitchSeed)));
    float jump = step(g.x, uGlitch * 0.4);
    o.xyz = jump * vec3((g.y - 0.5) * 1.4, (g.z - 0.5) * 0.9, 0.0) * uGlitch * uMotion;
    o.w = 1.0 + (1.0 - uGuard) * jump * (g.w * 3.0 - 1.0);
  }
#endif
  return o;
}

float innerFade() {
  float w = 1.0;
#if ROUTE_FROM == 1
  w = 0.35;
#endif
#ifdef ROUTE_FADE
  w = mix(w, ROUTE_TO == 1 ? 0.35 : 1.0, smoothstep(0.0, 1.0, uRouteMix));
#endif
  return w;
}

#if STYLE == 2
// ---- rivers: drops of light flowing along the path, streaked along the flow ----
void main() {
  int who = int(position.z);
  float k = position.z;
  vec4 dreamer = uDreamers[who];
  float shown = uVisible[who];
  vec4 hk = hash4(hash2u(uint(who) + 1u, uint(uSeed)));
  float t = uTime * (0.35 + 0.65 * uMotion);
  vec4 q = hash4(hash2u(uint(aStrand) + 7u, uint(who) * 977u + uint(uSeed)));
  float u = fract(q.x + uFlow * (0.035 + 0.045 * q.y));
  vec4 g = glitchOffset(u, k);
  vec3 c = routePoint(u, k, hk, t) + g.xyz;
  vec3 c2 = routePoint(u + 0.004, k, hk, t) + g.xyz;
  vec4 view = modelViewMatrix * vec4(c, 1.0);
  vec4 view2 = modelViewMatrix * vec4(c2, 1.0);
  vec3 tangent = normalize(view2.xyz - view.xyz + 1e-6);
  vec3 across = normalize(cross(tangent, normalize(-view.xyz)));
  // Spread across the stream (more in the middle), each drop on its own slow eddy.
  float lane = (q.z + q.w - 1.0) * 0.3 + 0.05 * sin(t * 0.7 + q.x * 40.0);
  view.xyz += across * lane + normalize(-view.xyz) * (q.w - 0.5) * 0.4;
  float len = 0.16 + 0.16 * q.y + 0.2 * uArousal;
  float width = 0.026 + 0.02 * dreamer.a;
  // The streak trails behind its head.
  view.xyz -= tangent * len * 0.6;
  view.xyz += tangent * position.x * len + across * position.y * width;
  vColour = dreamer.rgb;
  vSide = position.y;
  vAlong = u;
  vInner = innerFade();
  vFront = 0.55 + 0.45 * q.z;
  vQuad = position.xy;
  vGlow = dreamer.a * shown * uGain * g.w;
  gl_Position = shown < 0.002 ? vec4(2.0, 2.0, 2.0, 1.0) : projectionMatrix * view;
}
#elif STYLE == 4
// ---- lace: a link between two dreamers' knots, sagging and weaving over and under ----
void main() {
  float u = position.x;
  float side = position.y;
  int who = int(position.z);
  // aStrand: the other dreamer, plus 64 for each cord of the link after the first.
  float cord = floor(aStrand / 64.0);
  float otherK = aStrand - cord * 64.0;
  int other = int(otherK);
  float k = position.z;
  vec4 da = uDreamers[who];
  vec4 db = uDreamers[other];
  float shown = min(uVisible[who], uVisible[other]);
  vec4 ha = hash4(hash2u(uint(who) + 1u, uint(uSeed)));
  vec4 hb = hash4(hash2u(uint(other) + 1u, uint(uSeed)));
  vec4 hp = hash4(hash2u(uint(who) * 131u + uint(other) + uint(cord) * 8191u, uint(uSeed) ^ 0x9e37u));
  float t = uTime * (0.35 + 0.65 * uMotion);
  vec3 a = laceRoute(k, ha, t);
  vec3 b = laceRoute(otherK, hb, t);
  vec3 ab = b - a;
  vec3 bend = normalize(vec3(-ab.y, ab.x, 0.0) + 1e-5);
  float len = length(ab);
  float weaves = 2.0 + floor(hp.y * 3.0);
  float arch = (hp.x - 0.5) * 0.45 * len + 0.12 * len * sin(t * 0.15 + hp.z * 6.2832);
  vec4 g = glitchOffset(u, k + otherK * 7.0);
  vec3 c = mix(a, b, u) + bend * sin(3.1416 * u) * arch
    + vec3(0.0, -0.06 * len * sin(3.1416 * u), 0.3 * sin(3.1416 * u * weaves + hp.z * 6.2832)) + g.xyz;
  float u2 = u + 0.01;
  vec3 c2 = mix(a, b, u2) + bend * sin(3.1416 * u2) * arch
    + vec3(0.0, -0.06 * len * sin(3.1416 * u2), 0.3 * sin(3.1416 * u2 * weaves + hp.z * 6.2832)) + g.xyz;
  vec4 view = modelViewMatrix * vec4(c, 1.0);
  vec4 view2 = modelViewMatrix * vec4(c2, 1.0);
  vec3 tangent = normalize(view2.xyz - view.xyz + 1e-6);
  vec3 across = normalize(cross(tangent, normalize(-view.xyz)));
  float presence = mix(da.a, db.a, u);
  view.xyz += across * side * (0.022 + 0.03 * presence);
  vColour = mix(da.rgb, db.rgb, smoothstep(0.2, 0.8, u));
  vSide = side;
  vAlong = u;
  vInner = 1.0;
  // Over or under: the thread is brighter where it crosses in front.
  vFront = 0.6 + 0.4 * sin(3.1416 * u * weaves + hp.z * 6.2832);
  vQuad = vec2(side, u);
  vGlow = presence * shown * uGain * g.w;
  gl_Position = shown < 0.002 ? vec4(2.0, 2.0, 2.0, 1.0) : projectionMatrix * view;
}
#else
// ---- strips: ribbons, braids and strands ----
void main() {
  float u = position.x;
  float side = position.y;
  int who = int(position.z);
  float k = position.z;
  vec4 dreamer = uDreamers[who];
  float shown = uVisible[who];
  vec4 hk = hash4(hash2u(uint(who) + 1u, uint(uSeed)));
  float t = uTime * (0.35 + 0.65 * uMotion);

  vec4 g = glitchOffset(u, k);
  vec3 c = routePoint(u, k, hk, t) + g.xyz;
  vec3 c2 = routePoint(u + 0.002, k, hk, t) + g.xyz;
  vec4 view = modelViewMatrix * vec4(c, 1.0);
  vec4 view2 = modelViewMatrix * vec4(c2, 1.0);
  vec3 tangent = normalize(view2.xyz - view.xyz + 1e-6);
  vec3 across = normalize(cross(tangent, normalize(-view.xyz)));
#if STYLE == 0
  float width = 0.05 + 0.1 * dreamer.a;
  view.xyz += across * side * width;
#else
  vec3 toward = normalize(-view.xyz);
#if STYLE == 1
  // Two strands twisting round the path; the one in front is the brighter.
  float turn = u * uSpan * 5.0 + t * 0.45 + aStrand * 3.1416 + hk.x * 6.2832;
  float turn2 = turn + 0.002 * uSpan * 5.0;
  float r = 0.09 + 0.05 * dreamer.a;
  vec3 p = view.xyz + r * (across * cos(turn) + toward * sin(turn));
  vec3 p2 = view2.xyz + r * (across * cos(turn2) + toward * sin(turn2));
  float width = 0.026 + 0.03 * dreamer.a;
  vFront = 0.5 + 0.5 * sin(turn);
#else
  // Filaments of liquid: they part and run together again along the thread.
  float phase = aStrand * 1.9 + hk.y * 6.2832;
  float pull = smoothstep(0.0, 1.0, uUnity);
  float spread = (0.05 + 0.26 * (0.5 + 0.5 * sin(u * 9.0 - t * 0.3 + hk.z * 6.2832))) * (1.0 - 0.5 * pull);
  float lane = (aStrand / 1.5 - 1.0) + 0.6 * sin(u * 19.0 + t * (0.4 + 0.1 * aStrand) + phase);
  float lane2 = (aStrand / 1.5 - 1.0) + 0.6 * sin((u + 0.002) * 19.0 + t * (0.4 + 0.1 * aStrand) + phase);
  float deep = cos(u * 13.0 + t * 0.35 + phase);
  vec3 p = view.xyz + spread * (across * lane + toward * 0.5 * deep);
  vec3 p2 = view2.xyz + spread * (across * lane2 + toward * 0.5 * deep);
  float width = 0.014 + 0.016 * dreamer.a;
  vFront = 0.5 + 0.5 * deep;
#endif
  vec3 strandTangent = normalize(p2 - p + 1e-6);
  vec3 strandAcross = normalize(cross(strandTangent, normalize(-p)));
  view.xyz = p + strandAcross * side * width;
  vQuad = vec2(side, u);
#endif

  vColour = dreamer.rgb;
  vSide = side;
  vAlong = u;
#if STYLE != 0 || ROUTE_FROM != 0 || ROUTE_TO != 0
  vInner = innerFade();
#endif
  vGlow = dreamer.a * shown * uGain * g.w;
  gl_Position = shown < 0.002 ? vec4(2.0, 2.0, 2.0, 1.0) : projectionMatrix * view;
}
#endif
