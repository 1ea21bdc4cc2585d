// Aurora (scene.sky.kind aurora): curtains of light hanging over the dream. Three curtains, far
// to near, each a wandering foot line with vertical rays rising from it and fading upward; the
// foot burns in the accent, the rays' heights turn to the glow and the haze. Arousal quickens
// their folding and sharpens the rays; deeper sleep lowers and dims them.
#define HALO 0.8

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.006 + 0.012 * uArousal);
  vec3 col = uDeep;
  // Airglow: the sky lightens a little toward the horizon below the curtains.
  col = mix(col, uHaze * 0.9, smoothstep(0.9, -1.2, p.y) * 0.45 * dark);
  vec3 foot = mix(uAccent, glowTint, 0.2);
  vec3 crown = mix(glowTint, uHaze * 1.6, 0.45);
  float sharp = 1.6 + 2.4 * uArousal;
  for (int i = 0; i < 3; i++) {
    float fi = float(i);
    float x = q.x * (0.9 - 0.18 * fi) + fi * 0.37;
    // The foot wanders slowly along the sky and folds (two octaves of the current).
    vec4 n = texture2D(uNoise, vec2(x * 0.55 + t * (0.6 + 0.25 * fi), 0.21 * fi + t * 0.35));
    float base = mix(0.15, -0.15, uDepth) + 0.22 * fi - 0.1 + (n.g - 0.5) * 0.9 + (n.b - 0.5) * 0.35;
    // Rays: fine vertical streaks along the curtain, bent a little with the fold.
    vec4 rn = texture2D(uNoise, vec2(x * 2.6 + n.r * 0.12, fi * 0.29 + t * 0.5));
    float rays = mix(0.55, 1.0, rn.a) * mix(0.45, 1.0, pow(rn.b, 0.8));
    float h = p.y - base;
    // Sharp below the foot, a long fade above it (further curtains rise less and are fainter).
    float body = smoothstep(-0.05, 0.03, h) * exp(-max(h, 0.0) * (sharp - 0.4 * fi));
    float hem = exp(-abs(h) * 18.0) * 0.7;
    float light = (body * pow(rays, 1.5 - 0.5 * uArousal) + hem * rays) * (0.55 - 0.12 * fi);
    col += mix(foot, crown, smoothstep(0.0, 0.55, h)) * light * dark;
  }
  return col;
}
