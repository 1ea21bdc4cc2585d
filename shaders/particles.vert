// Motes in the air, one quad each, all in one draw call. A particle lives in the camera's view
// (its place on screen and its distance), so the air is full on any screen; it moves in world
// units, so nearer ones cross the screen faster (parallax). Everything is computed here from its
// index, the seed and a few uniforms: uFlow is dream time at the mood's pace (arousal speeds it,
// integrated in JS so a change of pace never jumps), valence warms the colours, and the glitch
// throws particles to new places on each of its steps (with the guard on, their brightness holds).
//
// KIND (compile-time): 1 dust, 2 fireflies, 3 ash, 4 petals, 5 embers, 6 rain.
#include hash.glsl;

// position: corner x, corner y (-1 or 1), the particle's index.
uniform float uTime;
uniform float uFlow;
uniform float uSeed;
// Particles shown (fractional: the last one fades in); the rest collapse off screen.
uniform float uCount;
uniform float uGain;
uniform float uValence;
uniform float uArousal;
// The camera: tan of half the vertical field of view, the screen's aspect, the distance to the
// dream, and world units per pixel at distance 1.
uniform float uTanHalf;
uniform float uAspect;
uniform float uDist;
uniform float uPixel;
uniform vec3 uHaze;
uniform vec3 uGlow;
uniform vec3 uAccent;
uniform float uGlitch;
uniform float uGlitchStep;
uniform float uGlitchSeed;
uniform float uGuard;

varying vec2 vQuad;
varying vec3 vColour;
varying float vAlpha;
varying float vShape;

// Valence warms (toward amber) or cools (toward blue) a colour, keeping its brightness.
vec3 temper(vec3 c, float amount) {
  float v = clamp(uValence, -1.0, 1.0) * amount;
  vec3 warm = c * mix(vec3(1.0), v > 0.0 ? vec3(1.25, 0.98, 0.7) : vec3(0.78, 0.95, 1.3), abs(v));
  return warm * dot(c, vec3(0.3, 0.59, 0.11)) / max(dot(warm, vec3(0.3, 0.59, 0.11)), 1e-4);
}

vec2 rotate2(vec2 p, float a) {
  float c = cos(a);
  float s = sin(a);
  return vec2(c * p.x - s * p.y, s * p.x + c * p.y);
}

void main() {
  float index = position.z;
  float shown = clamp(uCount - index, 0.0, 1.0);
  vec4 h = hash4(hash2u(uint(index) + 1u, uint(uSeed)));
  vec4 h2 = hash4(hash2u(uint(index) + 1u, uint(uSeed) ^ 0x51ed27u));
  float f = uFlow;
  // Per kind: depth (a share of the distance to the dream), motion in world units, size (world
  // units at the dream's distance 12.6), stretch along the motion, spin, colour and alpha.
  vec2 move = vec2(0.0);
  vec2 velocity = vec2(0.0, -1.0);
  vec2 size = vec2(0.02);
  float spin = 0.0;
  float near = 0.3;
  float far = 1.4;
  vec2 home = h.xy * 2.0 - 1.0;
  vec3 colour = vec3(1.0);
  float alpha = 1.0;
  vShape = h2.w;
#if KIND == 1
  // Dust: tiny motes drifting on slow air, catching the light as they turn.
  move = vec2(0.35 * sin(f * (0.11 + 0.1 * h2.x) + h2.y * 6.2832) + 0.06 * f,
    0.25 * sin(f * (0.09 + 0.08 * h2.y) + h2.z * 6.2832) + 0.03 * f);
  size = vec2(0.026 + 0.03 * h2.x * h2.x);
  colour = mix(uHaze, uGlow, h2.z) * 1.6 + vec3(0.33, 0.3, 0.25);
  alpha = 0.3 + 0.5 * pow(0.5 + 0.5 * sin(uTime * (0.3 + 0.5 * h2.w) + h.w * 6.2832), 2.0);
  near = 0.25;
  far = 1.6;
#elif KIND == 2
  // Fireflies: slow wandering loops, low in the air, each lighting up every few seconds.
  home.y = h.y * 1.5 - 1.0;
  move = vec2(1.1 * sin(f * (0.21 + 0.2 * h2.x) + h2.y * 6.2832) + 0.45 * sin(f * (0.57 + 0.3 * h2.z) + h.w * 6.2832),
    0.5 * sin(f * (0.17 + 0.2 * h2.y) + h2.z * 6.2832) + 0.25 * sin(f * (0.71 + 0.3 * h2.x)));
  size = vec2(0.2 + 0.1 * h2.z);
  colour = mix(vec3(0.55, 0.95, 0.12), uGlow, 0.15) * 0.9;
  float period = 2.2 + 2.6 * h2.w;
  float phase = fract(uTime / period + h.w);
  // A glow that swells in about 0.4 s and ebbs over a second, then a long dark.
  float blink = smoothstep(0.0, 0.12, phase) * (1.0 - smoothstep(0.12, 0.45, phase));
  alpha = 0.06 + 0.94 * blink;
  near = 0.42;
  far = 1.15;
#elif KIND == 3
  // Ash: pale flakes sinking and swaying, tumbling as they fall; a few still glow.
  move = vec2(0.5 * sin(f * (0.4 + 0.3 * h2.x) + h2.y * 6.2832) + 0.1 * f, -f * (0.22 + 0.18 * h2.x));
  size = vec2(0.045 + 0.04 * h2.z) * vec2(0.35 + 0.65 * abs(cos(f * (0.7 + h2.y) + h.w * 6.2832)), 1.0);
  spin = f * (0.6 + 1.4 * h2.z) * (h2.y > 0.5 ? 1.0 : -1.0) + h.w * 6.2832;
  colour = mix(vec3(0.62, 0.6, 0.6), uHaze * 2.0 + 0.2, 0.3);
  alpha = 0.75;
#elif KIND == 4
  // Petals: falling slowly, fluttering wide on gusts, turning over as they go.
  move = vec2(0.9 * sin(f * (0.3 + 0.2 * h2.x) + h2.y * 6.2832) + 0.28 * f, -f * (0.16 + 0.1 * h2.x));
  size = vec2(0.085 + 0.04 * h2.z, 0.12 + 0.05 * h2.z) * vec2(0.25 + 0.75 * abs(cos(f * (0.5 + 0.4 * h2.y) + h.w * 6.2832)), 1.0);
  spin = 0.8 * sin(f * (0.35 + 0.3 * h2.z) + h2.x * 6.2832) + h.w * 6.2832;
  colour = mix(vec3(0.95, 0.42, 0.58), uAccent * 1.2 + 0.05, 0.3 * h2.y);
  alpha = 0.9;
  near = 0.35;
  far = 1.3;
#elif KIND == 5
  // Embers: sparks rising on the heat, wavering, cooling from gold to red until they go out.
  move = vec2(0.3 * sin(f * (1.1 + 0.8 * h2.x) + h2.y * 6.2832), f * (0.45 + 0.4 * h2.x));
  velocity = normalize(vec2(0.3 * (1.1 + 0.8 * h2.x) * cos(f * (1.1 + 0.8 * h2.x) + h2.y * 6.2832), 0.45 + 0.4 * h2.x));
  size = vec2(0.04 + 0.025 * h2.z, 0.09 + 0.07 * h2.z);
  near = 0.3;
  far = 1.3;
#else
  // Rain: fast streaks slanting on the wind, the nearer ones longer (the eye's shutter).
  float fall = 7.5 + 3.5 * h2.x;
  move = vec2(-0.2 * fall * f, -fall * f);
  velocity = normalize(vec2(-0.2, -1.0));
  size = vec2(0.006 + 0.004 * h2.z, 0.26 + 0.2 * h2.x + 0.15 * uArousal);
  colour = mix(vec3(0.62, 0.72, 0.9), uHaze * 2.5 + 0.15, 0.35);
  alpha = 0.26 + 0.22 * h2.y;
  near = 0.18;
  far = 1.5;
#endif
  float depth = mix(near, far, h.z * h.z);
  float dist = uDist * depth;
  vec2 span = vec2(uAspect, 1.0) * dist * uTanHalf;
  // Where it is on screen (-1..1), wrapped with a margin so it leaves before it comes back.
  // (Reduced motion slows uFlow itself: scaling the motion too would jump them when it is toggled.)
  vec2 s = home + move / span;
  s = mod(s + 1.2, 2.4) - 1.2;
#if KIND == 5
  // An ember's life is its climb: bright from the bottom, gone before the top.
  float life = clamp((s.y + 1.2) / 2.4, 0.0, 1.0);
  float heat = 1.0 - life;
  colour = mix(vec3(0.8, 0.12, 0.02), vec3(1.0, 0.55, 0.12), heat * heat) * 2.4;
  alpha = pow(heat, 1.2) * (0.8 + 0.2 * sin(uTime * (5.0 + 3.0 * h2.w) + h.w * 6.2832));
#endif
  // The glitch throws a share of the particles to another place for one of its steps.
  if (uGlitch > 0.001) {
    uint stepId = uint(int(uGlitchStep) & 0xffffff);
    vec4 g = hash4(hash2u(uint(index) + 3u, mix32(stepId) ^ uint(uGlitchSeed)));
    float jump = step(g.x, uGlitch * 0.45);
    s += jump * floor((g.yz - 0.5) * 8.0) * 0.07 * uGlitch;
    alpha *= 1.0 + (1.0 - uGuard) * jump * (g.w * 3.0 - 1.2);
  }
  // Sizes hold their share of the screen whatever the distance to the dream; never under a pixel wide.
  vec2 world = size * (uDist / 12.6);
  world.x = max(world.x, uPixel * dist * 0.9);
  vec2 corner = position.xy * world;
#if KIND == 5 || KIND == 6
  corner = vec2(velocity.y * corner.x + velocity.x * corner.y, -velocity.x * corner.x + velocity.y * corner.y);
#else
  corner = rotate2(corner, spin);
#endif
  vec3 view = vec3(s * span + corner, -dist);
  vQuad = position.xy;
  vColour = temper(colour, 0.6);
  // Motes too near the eye fade (they would be blurs), and the far ones thin into the haze.
  vAlpha = alpha * shown * uGain * smoothstep(near * 0.9, near * 1.6, depth) * (1.0 - 0.45 * smoothstep(0.8, far, depth));
  gl_Position = shown <= 0.0 || uGain <= 0.0 ? vec4(2.0, 2.0, 2.0, 1.0) : projectionMatrix * vec4(view, 1.0);
}
