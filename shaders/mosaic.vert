// The Dream Mosaic: every tile of every dreamer in one draw call. Each vertex carries its tile's
// centre, index and dreamer; fracture, glitch and restabilize are computed here from a handful
// of uniforms, so the CPU's work per frame does not grow with the tiles.
//
// MOSAIC_MOTION compiles the fracture and the glitch in. Software WebGL (SwiftShader) runs both
// sides of every branch for every vertex, masking the lanes that did not take it, so a branch on
// a uniform saves nothing there: at rest the scene draws a variant without them instead.
#include hash.glsl;
#include rotate.glsl;
#include display.glsl;

#ifndef FRACTURE
#define FRACTURE 0
#endif

// Per vertex: x, y in mosaic units and the rim weight (0 at the centre, 1 on the edge).
// aTile: the tile's centre x, y, its index and its dreamer's index.
attribute vec4 aTile;

uniform float uTime;
uniform float uMotion;
uniform float uAspect;
uniform float uCell;
uniform float uLayoutSeed;
// Fracture: signed (negative is the restabilizing spring's overshoot), from an epicentre.
uniform float uFracture;
uniform vec2 uEpicentre;
uniform float uFractureSeed;
// Glitch: amount, step on the beat grid and that step's random numbers.
uniform float uGlitch;
uniform float uGlitchStep;
uniform float uGlitchSeed;
uniform vec4 uStepRandom;
uniform float uGuard;
// Relief and grout: 1 as designed (scene.mosaic.relief and .grout at 0.5), 0..2.
uniform float uRelief;
uniform float uGrout;

#if defined(MOSAIC_SHAPE) || defined(MOSAIC_FLAT)
uniform float uShapeMix;
#include mosaic-shape.glsl;
#endif

#ifdef MOSAIC_REGIONS
// The tile's dreamer for each kind of region, 6 bits each (see mosaic-layout.ts); the kinds'
// bit offsets and how far the cross-fade has gone (tile by tile, from the centre out).
attribute float aRegions;
uniform float uRegionFrom;
uniform float uRegionTo;
uniform float uRegionMix;
#endif

uniform vec4 uDreamers[MAX_DREAMERS];
uniform float uVisible[MAX_DREAMERS];
uniform vec3 uUnityColour;
uniform float uUnity;
uniform vec3 uHaze;
uniform vec3 uGlow;
uniform vec3 uAccent;
// The moving light and the half-vector toward the viewer, computed once per frame in JS.
uniform vec3 uLight;
uniform vec3 uHalfway;

// The tile's body and its grout (rgb, and how much of the rim the grout takes), both already in
// saturated display values: the tone curve and gamma run per vertex, not per pixel. The grout is
// the same at every vertex of a tile, so it is not interpolated (flat). vRim is 0 at the tile's
// centre and 1 on its edge.
varying vec3 vBody;
flat varying vec4 vGrout;
varying float vRim;

// Saturate in display space: gems, not pebbles (linear in the colour, so it survives the
// interpolation between vertices).
vec3 gemSaturate(vec3 display) {
  return mix(vec3(dot(display, vec3(0.299, 0.587, 0.114))), display, 1.35);
}

void main() {
  vec2 centre = aTile.xy;
  uint tile = uint(aTile.z);
  int who = int(aTile.w);
  vec4 own = hash4(tile ^ uint(uLayoutSeed));
#ifdef MOSAIC_REGIONS
  uint regions = uint(aRegions);
  float turn = 0.7 * unitOf(mix32(tile ^ 0x2c1b3c6du)) + 0.3 * min(1.0, length(centre / vec2(uAspect, 1.0)));
  who = int((regions >> uint(turn < uRegionMix ? uRegionTo : uRegionFrom)) & 63u);
#endif

  // A cabochon: at the rim the surface turns outward (lit per vertex: tiles are a few pixels).
  vec2 outward = position.z * (position.xy - centre) / max(length(position.xy - centre), 1e-6);
  vec3 n = normalize(vec3(((own.zw - 0.5) * 0.5 + outward * 0.7) * uRelief, 1.0));
  vec3 p = vec3(position.xy, 0.0);
  float a = 0.0;
#ifdef MOSAIC_MOTION
  if (abs(uFracture) > 1e-5) {
#if FRACTURE == 1
#include mosaic-shatter.glsl;
#elif FRACTURE == 2
#include mosaic-peel.glsl;
#elif FRACTURE == 3
#include mosaic-dissolve.glsl;
#else
    // ---- fracture: the mosaic cracks into plates from the epicentre outward; plates part along
    // their edges, drift and turn in depth, and a few loose shards fly toward the dreamer ----
    vec2 epicentre = uEpicentre * vec2(uAspect, 1.0);
    float s = uFracture;
    vec4 crack = hash4(hash2u(tile, uint(uFractureSeed)));
    // Plates: a warped coarse lattice, shifted by the fracture's seed (new cracks each time).
    vec2 shift = vec2(unitOf(mix32(uint(uFractureSeed))), unitOf(mix32(uint(uFractureSeed) ^ 0x5bd1e995u))) * 7.0;
    vec2 pc = (centre + shift) / PLATE;
    pc += 0.38 * vec2(sin(pc.y * 2.3 + shift.x), sin(pc.x * 2.9 + shift.y));
    vec2 plateCell = floor(pc);
    vec4 plate = hash4(hash2u(uint(int(plateCell.x) + 4096) * 8191u + uint(int(plateCell.y) + 4096), uint(uFractureSeed)));
    vec2 plateCentre = (plateCell + 0.5) * PLATE - shift;
    vec2 away = plateCentre - epicentre;
    float dist = length(away * vec2(1.0 / uAspect, 1.0));
    // A light fracture moves only the plates near the epicentre; a full one moves them all.
    a = s >= 0.0 ? clamp(s * 1.8 - dist * 0.6 * (1.0 - s) - plate.x * 0.25 * (1.0 - s), 0.0, 1.0) : s;
    float a2 = a * abs(a);
    float travel = uMotion;
    // Loose shards: one tile in twelve breaks free of its plate.
    float loose = step(0.92, crack.z);

    vec2 local = (position.xy - centre) * (1.0 - 0.12 * clamp(a, 0.0, 1.0));
    vec3 tileAxis = normalize(crack.xyz - 0.5 + vec3(0.0, 0.0, 1e-3));
    float tileSpin = a * (crack.w - 0.5) * (0.5 + 2.5 * loose) * travel;
    vec3 q = rotateAxis(vec3(local, 0.0), tileAxis, tileSpin);
    // The plate turns about its own centre, slowly swaying while it is broken.
    vec3 plateAxis = normalize(vec3(plate.yz - 0.5, 0.35 * (plate.w - 0.5)));
    float plateSpin = a * (plate.w - 0.5) * 1.1 * travel
      + a2 * sin(uTime * (0.11 + 0.2 * plate.y) + plate.z * 6.2832) * 0.2 * travel;
    vec3 fromPlate = vec3(centre - plateCentre, 0.0) + q;
    p = rotateAxis(fromPlate, plateAxis, plateSpin);

    n = rotateAxis(rotateAxis(n, tileAxis, tileSpin), plateAxis, plateSpin);

    vec2 dir = normalize(away + (plate.yz - 0.5) * 0.7 + 1e-4);
    float push = a2 * (0.025 + 0.07 * plate.y) * travel;
    vec3 offset = vec3(dir * push, a2 * travel * (0.12 * plate.z - 0.02));
    // Loose shards fly out toward the dreamer, tumbling.
    offset += loose * a2 * travel * vec3((crack.xy - 0.5) * 0.35 + dir * 0.1, 0.25 + 0.6 * crack.w);
    // Drifting while broken: slow, each plate on its own orbit.
    offset += a * travel * vec3(
      0.012 * sin(uTime * (0.21 + 0.2 * plate.x) + plate.z * 6.2832),
      0.012 * cos(uTime * (0.17 + 0.2 * plate.y) + plate.w * 6.2832),
      0.05 * sin(uTime * (0.13 + 0.1 * plate.z) + plate.x * 6.2832));
    p += vec3(plateCentre, 0.0) + offset;
#endif
  }

  // ---- glitch: on each step of the beat grid some tiles jump, bands tear, rows drop out ----
  float tear = 0.0;
  float drop = 0.0;
  if (uGlitch > 0.001) {
    uint stepId = uint(int(uGlitchStep) & 0xffffff);
    vec4 g = hash4(hash2u(tile ^ mix32(stepId), uint(uGlitchSeed)));
    float jump = step(g.x, uGlitch * 0.08);
    p.xy += jump * floor((g.yz - 0.5) * 7.0) * uCell * (0.6 + uGlitch);
    p.z += jump * g.w * 0.25;
    // Two torn bands per step, shifted sideways.
    float band1 = step(abs(centre.y - (uStepRandom.x * 2.0 - 1.0)), 0.03 + 0.16 * uGlitch * uStepRandom.y);
    float band2 = step(abs(centre.y - (uStepRandom.z * 2.0 - 1.0)), 0.02 + 0.08 * uGlitch);
    p.x += (band1 * (uStepRandom.w - 0.5) * 0.9 + band2 * (uStepRandom.y - 0.5) * 0.5) * uGlitch;
    tear = jump;
    // Rows of tiles drop out for a step (a thin line of them: little change in brightness).
    float row = floor(centre.y / (uCell * 1.5));
    float rowHash = unitOf(hash2u(uint(int(row) + 100000), stepId ^ uint(uGlitchSeed)));
    drop = step(rowHash, uGlitch * 0.07);
  }
  if (drop > 0.5) p = vec3(centre, 0.0);
#else
  float tear = 0.0;
#endif

#ifdef MOSAIC_SHAPE
  // ---- the shape: the tile's place in the plane, then the surface it lies on (its lift, from
  // the fracture and the glitch, along the surface's normal; its cabochon turned with it) ----
  vec3 stage = shapeStage(centre, uShapeMix);
  vec2 flatXY = centre + stage.xy + (p.xy - centre) * stage.z;
  Surface surface = shapeSurface(flatXY, uShapeMix);
  p = surface.p + surface.n * (p.z * stage.z);
  n = normalize(surface.t * n.x + surface.b * n.y + surface.n * n.z);
#elif defined(MOSAIC_FLAT)
  // The resting picture of a shape: its tile stage only (the picture's mesh takes the surface).
  vec3 stage = shapeStage(centre, 1.0);
  p = vec3(centre + stage.xy + (p.xy - centre) * stage.z, 0.0);
#endif

  // ---- colour: the dreamer's jewel tone, drawn toward one colour as unity rises ----
  vec4 dreamer = uDreamers[who];
  float shown = uVisible[who];
  vec3 hue = mix(dreamer.rgb, uUnityColour, uUnity * 0.35);
  // Deepen and saturate: a gem, not a pastel.
  float grey = dot(hue, vec3(0.2126, 0.7152, 0.0722));
  vec3 gem = max(mix(vec3(grey), hue, 1.7), 0.0);
  // A private dream is veiled: its region shows only the haze.
  gem = mix(uHaze * 1.3 + 0.01, gem, shown);
  float shade = 0.25 + 0.95 * own.x * own.x;
  vec3 jewel = gem * shade * (0.1 + 0.24 * dreamer.a * shown + 0.06 * (1.0 - shown));
  // A few tiles of the accent and of the glow, set among the rest.
  jewel = mix(jewel, uAccent * 0.45, step(0.955, own.y));
  jewel = mix(jewel, uGlow * 0.5, step(0.975, own.z) * (1.0 - step(0.955, own.y)));

  float lift = clamp(a, 0.0, 1.0);
  float diffuse = 0.5 + 0.7 * max(dot(n, uLight), 0.0);
  float glint = pow(max(dot(n, uHalfway), 0.0), 40.0) * (0.5 + 0.4 * lift);
  vec3 colour = jewel * diffuse;
  // A colour tear without the guard flips the channels; with it, hue only (brightness kept).
  if (tear > 0.5) colour = mix(colour.brg * 1.6, colour.gbr, uGuard);
  // Light through the gem: brighter toward its heart (1.25 at the centre, 0.75 on the rim).
  float rim = position.z;
  vec3 body = colour * (1.25 - 0.5 * uRelief * rim * rim) + vec3(1.0, 0.97, 0.9) * glint;
  // The grout glows, brighter where a tile tears, dimmer where the tiles lift apart.
  float groutWeight = 0.95 - 0.4 * lift;
  vec3 grout = mix(uGlow, gem, 0.45) * (1.5 + tear) * (1.0 - 0.5 * lift) + uAccent * (0.6 * tear / groutWeight);
  vBody = gemSaturate(toDisplay(body));
  vGrout = vec4(gemSaturate(toDisplay(grout * min(uGrout, 1.5))), groutWeight * min(uGrout, 1.0));
  vRim = rim;

  gl_Position = projectionMatrix * modelViewMatrix * vec4(p, 1.0);
}
