// The dream sky, drawn at a quarter of the picture's size (it is all soft light): slow nebulae of
// liquid light from the palette, folded by a current that mood and sleep depth set.
#include display.glsl;

uniform sampler2D uNoise;
uniform float uTime;
uniform float uAspect;
uniform float uDepth;
uniform float uArousal;
uniform float uValence;
uniform float uFracture;
uniform vec2 uDrift;
uniform vec2 uSeedShift;
uniform vec3 uDeep;
uniform vec3 uHaze;
uniform vec3 uGlow;
uniform vec3 uAccent;

varying vec2 vUv;

// Four octaves from one fetch: the texture's channels are octaves of one seeded noise.
float fbm(vec2 p) {
  return dot(texture2D(uNoise, p), vec4(0.46, 0.28, 0.16, 0.10));
}

float cloud2(vec2 r, vec4 current) {
  return fbm(r * 3.1 + vec2(1.9, -0.6) + current.ab * 0.08);
}

void main() {
  vec2 p = (vUv - 0.5) * vec2(uAspect, 1.0) * 2.0;
  vec2 q = p * 0.16 + uDrift * 0.16 + uSeedShift;
  float t = uTime * (0.0012 + 0.004 * uArousal);

  // A slow current folds the nebula into itself.
  vec4 current = texture2D(uNoise, q * 0.7 + vec2(t, -t * 0.6));
  vec2 r = q + (current.rg - 0.5) * (0.16 + 0.12 * uDepth) + vec2(-t * 0.8, t * 0.5);
  float cloud = fbm(r) * 0.65 + fbm(r * 2.3 + vec2(0.37, 0.71) + current.ba * 0.05) * 0.35;
  float veil = smoothstep(0.36, 0.66, cloud);
  float bright = smoothstep(0.52, 0.74, cloud * (0.85 + 0.35 * current.r));

  // Deeper sleep: a darker, heavier sky; joy warms the glow, sorrow cools it toward the accent.
  float dark = mix(1.1, 0.6, uDepth);
  vec3 glowTint = mix(uAccent, uGlow, clamp(0.55 + 0.45 * uValence, 0.0, 1.0));
  // Dust lanes cut the clouds: depth comes from the dark between the lights.
  float dust = smoothstep(0.42, 0.62, fbm(r * 1.6 + vec2(4.1, 2.3) - current.gr * 0.1));
  vec3 col = uDeep;
  col = mix(col, uHaze * 1.25, veil * (1.0 - 0.75 * dust) * dark);
  col += glowTint * bright * bright * (1.0 - dust) * 0.3 * dark;
  col += uAccent * smoothstep(0.62, 0.8, cloud2(r, current)) * 0.12 * dark;

  // Liquid light: thin aurora filaments along the current.
  float band = abs(sin(r.y * 38.0 + current.b * 9.0 + t * 20.0));
  float filament = pow(1.0 - band, 12.0) * smoothstep(0.4, 0.7, current.g);
  col += uAccent * filament * (0.1 + 0.25 * uArousal) * dark;

  // A soft light behind the mosaic's window: the light the dreams are seen by.
  vec2 hp = p * vec2(0.55, 0.85);
  float halo = exp(-dot(hp, hp) * 2.2);
  col += mix(uHaze, uGlow, 0.25) * halo * (0.09 + 0.06 * uFracture) * dark;

  // The edges of the dream fall away into the deep.
  float edge = smoothstep(2.0, 0.5, length(p * vec2(0.72, 1.0)));
  col = mix(uDeep * 0.4, col, edge);
  gl_FragColor = vec4(toDisplay(col), 1.0);
}
