// The final picture: the sky behind the scene, the scene, its glow, the glitch, a vignette and
// the output fade. The scene target holds the stars, the mosaic and the threads over transparent
// black (alpha is the mosaic's coverage); the sky (a quarter-size target, stretched smooth) is
// laid behind it here rather than drawn in a full-size pass of its own that the mosaic would
// then mostly cover.
//
// The glitch changes only on its steps (uStepRandom), which lock to the beat: bands of rows tear
// sideways, the colour channels split along the step's direction and rows drop out. With the
// flash guard on, dropped rows are refilled from a nearby row instead of going dark, so the
// frame's brightness holds.
//
// GLITCH compiles the glitch in: software WebGL runs both sides of a branch for every pixel, so
// the calm picture is drawn by a variant without it (the scene picks it when uGlitch is 0).
// NO_GLOW leaves the glow out (reduced detail draws no bloom: one texture read a pixel fewer).
//
// The finish (scene.finish, src/scene/post/finish.ts): the vignette and the bloom's strength are
// uniforms of every variant; FINISH compiles in the grain and the chromatic split toward the
// edges, chosen only when either is on, so the picture without them costs what it did.
#ifdef FINISH
#include hash.glsl;
#endif
uniform sampler2D uScene;
uniform sampler2D uSky;
uniform sampler2D uBloom;
uniform float uBloomStrength;
uniform float uGlitch;
uniform vec4 uStepRandom;
uniform float uStep;
uniform float uGuard;
uniform vec3 uDeep;
uniform float uFade;
uniform float uVignette;
uniform float uGrain;
uniform float uGrainStep;
uniform float uChroma;

varying vec2 vUv;

float rowHash(float row, float salt) {
  return fract(sin(row * 12.9898 + salt * 78.233 + uStep * 0.618) * 43758.5453);
}

// The scene over the sky (the stars and threads add their light to whatever is behind them).
vec3 over(vec4 scene, vec3 sky) {
  return min(scene.rgb + (1.0 - scene.a) * sky, 1.0);
}

void main() {
  vec2 uv = vUv;
  vec3 c;
#ifdef GLITCH
  {
    float rows = 18.0 + floor(uStepRandom.x * 30.0);
    float row = floor(uv.y * rows);
    float torn = step(rowHash(row, uStepRandom.y * 17.0), uGlitch * 0.28);
    uv.x += torn * (rowHash(row, 3.1) - 0.5) * 0.12 * uGlitch;
    float band = step(abs(uv.y - uStepRandom.z), 0.04 * uGlitch);
    uv.x += band * (uStepRandom.w - 0.5) * 0.2 * uGlitch;
    // The channels split a little everywhere and hard where the picture tears.
    float angle = uStepRandom.w * 6.2832;
    float tear = max(torn, band);
    vec2 split = vec2(cos(angle), sin(angle) * 0.25) * uGlitch * (0.0008 + 0.0012 * uStepRandom.y + 0.008 * tear);
#ifdef FINISH
    split += (vUv - 0.5) * uChroma;
#endif
    // The soft sky is torn with the picture but not split (one sample serves the three channels).
    vec3 back = texture2D(uSky, uv).rgb;
    c = vec3(over(texture2D(uScene, uv + split), back).r, over(texture2D(uScene, uv), back).g, over(texture2D(uScene, uv - split), back).b);
    // Rows drop out: fine lines of the picture vanish for a step.
    float gone = step(rowHash(floor(uv.y * 160.0), 9.7), uGlitch * 0.06);
    vec3 refill = over(texture2D(uScene, vec2(uv.x, uv.y + 0.012)), back);
    c = mix(c, mix(uDeep, refill, uGuard), gone);
  }
#elif defined(FINISH)
  {
    // Red and blue part along the line from the centre, more toward the edges, like an old lens.
    vec3 back = texture2D(uSky, uv).rgb;
    vec2 split = (uv - 0.5) * uChroma;
    c = vec3(over(texture2D(uScene, uv + split), back).r, over(texture2D(uScene, uv), back).g, over(texture2D(uScene, uv - split), back).b);
  }
#else
  c = over(texture2D(uScene, uv), texture2D(uSky, uv).rgb);
#endif
#ifndef NO_GLOW
  vec3 glow = texture2D(uBloom, uv).rgb * uBloomStrength;
  // Screen blend: glow lifts the dark without burning the bright.
  c = 1.0 - (1.0 - c) * (1.0 - min(glow, 1.0));
#endif
  vec2 p = vUv - 0.5;
  c *= 1.0 - dot(p, p) * uVignette;
#ifdef FINISH
  // Film grain: a new pattern GRAIN_RATE times a dream-second, strongest in the mid-tones.
  float grain = unitOf(hash2u(uint(gl_FragCoord.x) + uint(uGrainStep) * 8192u, uint(gl_FragCoord.y))) - 0.5;
  c = max(c + grain * uGrain * (0.35 + c * (1.0 - c) * 2.6), 0.0);
#endif
  gl_FragColor = vec4(c * uFade, 1.0);
}
