// One particle's shape on its quad (vQuad: -1..1; for streaks y runs along the motion). Light
// kinds (dust, fireflies, embers, rain) add their light; ash and petals are drawn over what is
// behind them (premultiplied), so they hide a little of it. KIND as in particles.vert.
#include display.glsl;

varying vec2 vQuad;
varying vec3 vColour;
varying float vAlpha;
varying float vShape;

void main() {
  vec2 q = vQuad;
  float r2 = dot(q, q);
  vec3 colour = gammaOf(vColour);
#if KIND == 1
  // A soft mote.
  float a = exp(-r2 * 4.5) * vAlpha;
  gl_FragColor = vec4(colour * a * 0.55, 1.0);
#elif KIND == 2
  // A cold green light: a hot heart in a wide, soft glow.
  float core = exp(-r2 * 70.0);
  float glow = exp(-r2 * 9.0) * 0.6 + exp(-r2 * 2.5) * 0.18;
  vec3 c = colour * (core * 0.75 + glow) + vec3(0.75, 1.0, 0.4) * core * 0.15;
  gl_FragColor = vec4(c * vAlpha, 1.0);
#elif KIND == 3
  // A ragged flake; a few keep a dull glow at the heart.
  float angle = atan(q.y, q.x);
  float edge = sqrt(r2) * (1.0 + 0.22 * sin(angle * 3.0 + vShape * 20.0) + 0.12 * sin(angle * 7.0 + vShape * 41.0));
  float a = (1.0 - smoothstep(0.55, 0.85, edge)) * vAlpha;
  float ember = step(0.88, vShape) * exp(-r2 * 6.0);
  vec3 c = colour * (0.75 + 0.25 * q.y) + vec3(1.0, 0.35, 0.08) * ember * 1.5;
  gl_FragColor = vec4(c * a, a);
#elif KIND == 4
  // A petal: rounded, narrowing to its base, a notch at its tip, paler toward the base, a vein.
  float y = q.y * 0.5 + 0.5;
  float width = 0.95 * pow(sin(3.1416 * clamp(y * 0.92 + 0.04, 0.0, 1.0)), 0.6) * (0.55 + 0.45 * y);
  float inside = 1.0 - smoothstep(width - 0.12, width, abs(q.x));
  float notch = smoothstep(0.0, 0.2, length(vec2(q.x * 1.3, q.y - 1.05)) - 0.12);
  float a = inside * notch * smoothstep(1.0, 0.9, q.y) * smoothstep(-1.0, -0.92, q.y) * vAlpha;
  float vein = exp(-q.x * q.x * 90.0) * 0.12;
  vec3 c = mix(colour, vec3(1.0, 0.92, 0.9), (1.0 - y) * (1.0 - y) * 0.35) * (0.8 + 0.3 * (1.0 - abs(q.x))) + vein;
  gl_FragColor = vec4(c * a * 0.9, a * 0.9);
#elif KIND == 5
  // A spark, streaked along its flight, white-hot at its heart.
  float spark = exp(-(q.x * q.x * 14.0 + q.y * q.y * 4.0));
  float glow = exp(-(q.x * q.x * 2.5 + q.y * q.y * 1.5)) * 0.25;
  vec3 c = (colour * (spark + glow) + vec3(1.0, 0.85, 0.55) * spark * spark * 0.7) * vAlpha;
  gl_FragColor = vec4(c, 1.0);
#else
  // A streak of rain, brightest toward its leading end.
  float along = 1.0 - q.y * q.y;
  float a = along * (0.55 + 0.45 * (0.5 + 0.5 * q.y)) * (1.0 - q.x * q.x) * vAlpha;
  gl_FragColor = vec4(colour * a, 1.0);
#endif
}
