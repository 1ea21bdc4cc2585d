// Fog (scene.sky.kind fog): a low luminous mist. Banks of mist lie over the ground, lit from
// within by a light low behind the dream; three banks drift sideways, the nearer faster, their
// tops rolling, with long wisps above them. The sky above fades to the deep colour. Deeper sleep
// lifts and thickens the mist; arousal stirs it; joy warms the light inside it.
#define HALO 1.2

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.005 + 0.012 * uArousal);
  vec3 col = uDeep;
  // The light behind the mist: low, wide, in the glow.
  vec2 lp = p - vec2(0.0, -0.45);
  float low = exp(-dot(lp * vec2(0.45, 1.3), lp * vec2(0.45, 1.3)));
  vec3 mist = mix(uHaze * 1.7, glowTint, 0.35 * low + 0.12);
  float rise = mix(-0.05, 0.45, uDepth);
  vec2 m = q * 2.2;
  for (int i = 0; i < 3; i++) {
    float fi = float(i);
    float drift = (0.5 + 0.5 * fi) * t;
    float x = m.x * (1.0 + 0.4 * fi) + drift + fi * 0.43;
    // A rolling top: the bank's height wanders along the ground.
    float top = rise - 0.28 * fi + (fbm(vec2(x * 0.6, fi * 0.17 + t * 0.3)) - 0.5) * 0.8;
    float body = smoothstep(top + 0.18, top - 0.3, p.y);
    // Inside the bank: billows stretched along the ground.
    float billow = fbm(vec2(x * 1.3, m.y * 3.0 + fi * 0.31 - drift * 0.5));
    float d = body * mix(0.3, 1.0, smoothstep(0.32, 0.68, billow)) * (0.5 + 0.12 * fi);
    // A wisp drawn out above the bank.
    float wisp = exp(-abs(p.y - top - 0.22 - 0.1 * fi) * 9.0) * smoothstep(0.45, 0.7, fbm(vec2(x * 0.9 + 3.1, fi)));
    col = mix(col, mist * (0.5 + 1.1 * low), min(1.0, (d + wisp * 0.35) * dark * 0.8));
  }
  return col;
}
