// Aurora (scene.sky.kind aurora): curtains of light hanging over the dream. Three curtains, far
// to near, each a folded foot line with rays rising from it and fading upward: the foot burns in
// the accent, the rays' heights turn to the haze, the deep shows between the folds. Arousal
// quickens the folding and sharpens the rays; deeper sleep lowers and dims them.
#define HALO 0.7

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.006 + 0.012 * uArousal);
  vec3 col = uDeep;
  // Airglow: the sky lightens a little toward the horizon below the curtains.
  col = mix(col, uHaze * 0.8, smoothstep(0.6, -1.3, p.y) * 0.4 * dark);
  vec3 foot = mix(uAccent, glowTint, 0.15) * 1.25;
  vec3 crown = mix(uHaze * 2.4, uAccent * 0.6, 0.25);
  float sharp = 2.6 + 1.8 * uArousal;
  for (int i = 0; i < 3; i++) {
    float fi = float(i);
    float x = q.x * (1.5 - 0.3 * fi) + fi * 0.37;
    // The foot wanders slowly along the sky and folds (two octaves of the current).
    vec4 n = texture2D(uNoise, vec2(x * 0.5 + t * (0.6 + 0.25 * fi), 0.21 * fi + t * 0.35));
    float base = mix(0.42, 0.12, uDepth) + 0.16 * fi + (n.g - 0.5) * 0.8 + (n.a - 0.5) * 0.3;
    // Rays: streaks along the curtain, bent a little with its fold, drifting slowly along it.
    vec4 rn = texture2D(uNoise, vec2(x * 3.2 + (n.r - 0.5) * 0.08, fi * 0.29 + t * 0.4));
    // Fine rays, gathered in brighter bundles where the curtain folds toward the viewer.
    float rays = (0.2 + 1.4 * smoothstep(0.3, 0.85, rn.a)) * smoothstep(0.2, 0.75, rn.b * 0.6 + n.b * 0.6);
    float h = p.y - base;
    // Sharp below the foot, a long fade above it (further curtains are fainter).
    float body = smoothstep(-0.05, 0.02, h) * exp(-max(h, 0.0) * (sharp - 0.3 * fi));
    float hem = exp(-abs(h) * 14.0) * 0.5;
    float light = (body + hem) * rays * (0.55 - 0.12 * fi);
    col += mix(foot, crown, smoothstep(0.0, 0.5, h)) * light * dark;
  }
  return col;
}
