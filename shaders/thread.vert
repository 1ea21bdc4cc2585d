// One luminous thread per dreamer, weaving across the dream. Unity pulls every thread into one
// braid around a shared path; as it falls each drifts back to its own path. The ribbon faces
// the camera; its centreline is computed here from dream time, so it costs no CPU per frame.
#include hash.glsl;

// position: u along the thread (0..1), side (-1..1), dreamer index.
uniform float uTime;
uniform float uUnity;
uniform float uCount;
uniform float uSeed;
uniform float uSpan;
uniform float uMotion;
uniform vec4 uDreamers[MAX_DREAMERS];
uniform float uVisible[MAX_DREAMERS];

varying vec3 vColour;
varying float vSide;
varying float vAlong;
varying float vGlow;

vec3 braidPath(float x, float t) {
  return vec3(
    x,
    0.85 * sin(x * 0.26 + t * 0.11 + 1.3) + 0.35 * sin(x * 0.63 - t * 0.07),
    1.6 + 0.7 * sin(x * 0.37 + t * 0.09));
}

vec3 threadPoint(float u, float k, vec4 hk, float t) {
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

void main() {
  float u = position.x;
  float side = position.y;
  int who = int(position.z);
  float k = position.z;
  vec4 dreamer = uDreamers[who];
  float shown = uVisible[who];
  vec4 hk = hash4(hash2u(uint(who) + 1u, uint(uSeed)));
  float t = uTime * (0.35 + 0.65 * uMotion);

  vec3 c = threadPoint(u, k, hk, t);
  vec3 c2 = threadPoint(u + 0.002, k, hk, t);
  vec4 view = modelViewMatrix * vec4(c, 1.0);
  vec4 view2 = modelViewMatrix * vec4(c2, 1.0);
  vec3 tangent = normalize(view2.xyz - view.xyz + 1e-6);
  vec3 across = normalize(cross(tangent, normalize(-view.xyz)));
  float width = 0.05 + 0.1 * dreamer.a;
  view.xyz += across * side * width;

  vColour = dreamer.rgb;
  vSide = side;
  vAlong = u;
  vGlow = dreamer.a * shown;
  gl_Position = shown < 0.002 ? vec4(2.0, 2.0, 2.0, 1.0) : projectionMatrix * view;
}
