// The dream sky, drawn at a quarter of the picture's size (it is all soft light). One kind per
// compiled variant (scene.sky.kind: SKY_AURORA, SKY_STARS, SKY_FOG, SKY_CAUSTICS, or none for the
// nebula), so software WebGL never pays for the kinds it is not drawing; a change of kind draws
// the old variant, then the new one over it at uAlpha (src/scene/post/sky-passes.ts).
//
// Every kind answers the same inputs: sleep depth darkens and weighs it down (`dark`), joy warms
// its glow and sorrow cools it toward the accent (`glowTint`), arousal quickens it, the fracture
// brightens the light behind the mosaic. None reads the glitch: the composite tears the sky with
// the picture, and the sky itself never flashes. Its motion is slow (the fastest light in any
// kind crosses a screen cell in well over a second), so it stays far under the flash guard's
// three swings a second.
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
/** scene.sky.brightness: scales every light over the deep colour (1 as designed, 0 only the deep). */
uniform float uBrightness;
/** How much of this kind is laid over what the target holds (a cross-fade's mix; 1 at rest). */
uniform float uAlpha;

varying vec2 vUv;

// Four octaves from one fetch: the texture's channels are octaves of one seeded noise.
float fbm(vec2 p) {
  return dot(texture2D(uNoise, p), vec4(0.46, 0.28, 0.16, 0.10));
}

#if defined(SKY_AURORA)
#include sky-aurora.glsl;
#elif defined(SKY_STARS)
#include sky-stars.glsl;
#elif defined(SKY_FOG)
#include sky-fog.glsl;
#elif defined(SKY_CAUSTICS)
#include sky-caustics.glsl;
#else
#include sky-nebula.glsl;
#define HALO 1.0
#endif

void main() {
  vec2 p = (vUv - 0.5) * vec2(uAspect, 1.0) * 2.0;
  vec2 q = p * 0.16 + uDrift * 0.16 + uSeedShift;

  // Deeper sleep: a darker, heavier sky; joy warms the glow, sorrow cools it toward the accent.
  float dark = mix(1.1, 0.6, uDepth) * uBrightness;
  vec3 glowTint = mix(uAccent, uGlow, clamp(0.55 + 0.45 * uValence, 0.0, 1.0));
  vec3 col = skyLight(p, q, dark, glowTint);

  // A soft light behind the mosaic's window: the light the dreams are seen by.
  vec2 hp = p * vec2(0.55, 0.85);
  float halo = exp(-dot(hp, hp) * 2.2);
  col += mix(uHaze, uGlow, 0.25) * halo * (0.09 + 0.06 * uFracture) * dark * HALO;

  // The edges of the dream fall away into the deep.
  float edge = smoothstep(2.0, 0.5, length(p * vec2(0.72, 1.0)));
  col = mix(uDeep * 0.4, col, edge);
  gl_FragColor = vec4(toDisplay(col), uAlpha);
}
