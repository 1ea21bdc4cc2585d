// A thread of light added onto the picture (display values), so its colour is taken to display
// gamma first. STYLE and ROUTE_* as in thread.vert: ribbons are a hot core in a soft halo with
// pulses running along; braids two twisting cords; rivers drops streaked along the flow; strands
// fine liquid filaments with beads of light running down them; lace fine cords, brighter where
// they cross in front.
#include display.glsl;

uniform float uTime;
uniform float uSeed;

varying vec3 vColour;
varying float vSide;
varying float vAlong;
varying float vGlow;
#if STYLE != 0 || ROUTE_FROM != 0 || ROUTE_TO != 0
varying float vInner;
#endif
#if STYLE != 0
varying float vFront;
varying vec2 vQuad;
#endif

void main() {
  vec3 colour = gammaOf(vColour);
#if ROUTE_FROM == 0 && ROUTE_TO == 0 && STYLE != 4
  float ends = smoothstep(0.0, 0.12, vAlong) * smoothstep(1.0, 0.88, vAlong);
#elif STYLE == 4
  // Lace: a bead of light where each link is tied to its dreamer's knot.
  float ends = 1.0 + 1.2 * exp(-min(vAlong, 1.0 - vAlong) * 60.0);
#else
  float ends = smoothstep(0.0, 0.12, vAlong) * mix(1.0, smoothstep(1.0, 0.88, vAlong), vInner);
#endif
#if STYLE == 0
  float d = abs(vSide);
  float core = exp(-d * d * 30.0);
  float halo = exp(-d * d * 5.0) * 0.22;
  float pulse = 0.8 + 0.2 * sin(vAlong * 38.0 - uTime * 0.9 + uSeed);
  vec3 col = colour * (core * 0.95 + halo) + vec3(core * core * 0.35);
  gl_FragColor = vec4(col * vGlow * ends * pulse, 1.0);
#elif STYLE == 1
  // A cord: round in section (brighter along its middle), dimmer where it turns away.
  float d = abs(vSide);
  float cord = sqrt(max(0.0, 1.0 - d * d));
  float shade = 0.3 + 0.7 * vFront;
  vec3 col = colour * (cord * 1.1 + 0.15) * shade + vec3(pow(cord, 8.0) * 0.4 * vFront);
  gl_FragColor = vec4(col * vGlow * ends * smoothstep(1.0, 0.7, d), 1.0);
#elif STYLE == 2
  // A drop of light with a comet's tail: round bright head (x = 1), fading and thinning behind.
  float along = vQuad.x * 0.5 + 0.5;
  float thin = 0.25 + 0.75 * along;
  float drop = exp(-vQuad.y * vQuad.y * 3.0 / (thin * thin)) * along * along * smoothstep(1.0, 0.8, vQuad.x);
  vec3 col = colour * drop * 1.5 + vec3(drop * drop * 0.5);
  gl_FragColor = vec4(col * vGlow * vFront * ends, 1.0);
#elif STYLE == 3
  // Liquid: a bright meniscus line, beads running down the filament.
  float d = abs(vSide);
  float core = exp(-d * d * 9.0);
  float bead = smoothstep(0.82, 1.0, fract(vAlong * 7.0 - uTime * 0.22 + vFront * 0.3));
  float shade = 0.45 + 0.55 * vFront;
  vec3 col = colour * core * (1.0 + 1.6 * bead) * shade + vec3(core * core * (0.3 + 0.7 * bead) * shade);
  gl_FragColor = vec4(col * vGlow * ends, 1.0);
#else
  float d = abs(vSide);
  float core = exp(-d * d * 7.0);
  vec3 col = colour * core * (0.45 + 0.75 * vFront) + vec3(core * core * 0.25 * vFront);
  gl_FragColor = vec4(col * vGlow * min(ends, 2.0), 1.0);
#endif
}
