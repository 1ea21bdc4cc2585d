// Fog (scene.sky.kind fog): a low luminous mist. Banks of mist lie over the ground, lit from
// within by a light low behind the dream; three layers drift sideways at their own pace, the
// nearer faster, their tops rolling. The sky above fades to the deep colour. Deeper sleep lifts
// and thickens the mist; arousal stirs it; joy warms the light inside it.
#define HALO 1.3

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.004 + 0.01 * uArousal);
  vec3 col = uDeep;
  vec3 mist = mix(uHaze * 1.35, glowTint, 0.18);
  // The light behind the mist: low, wide, in the glow.
  float low = exp(-p.y * p.y * 1.2 - p.x * p.x * 0.12 - p.y * 0.9);
  float rise = mix(-0.1, 0.35, uDepth);
  float cover = 0.0;
  for (int i = 0; i < 3; i++) {
    float fi = float(i);
    float speed = (0.5 + 0.6 * fi) * t;
    vec2 s = vec2(q.x * (1.1 + 0.5 * fi) + speed + fi * 0.43, q.y * 0.55 + fi * 0.31);
    // A rolling top: the bank's height wanders along the ground.
    float top = rise - 0.2 * fi + (fbm(vec2(s.x * 0.7, fi * 0.17 + t * 0.3)) - 0.5) * 0.9;
    float body = smoothstep(top + 0.25, top - 0.35, p.y);
    // Inside the bank: soft billows stretched along the ground.
    float billow = fbm(vec2(s.x * 1.6, s.y * 3.2 - speed * 0.6));
    float d = body * mix(0.45, 1.0, smoothstep(0.3, 0.7, billow)) * (0.55 + 0.15 * fi);
    cover = cover + d * (1.0 - cover);
    col = mix(col, mist * (0.55 + 0.7 * low) + glowTint * low * 0.2 * billow, d * dark * 0.75);
  }
  // Light scattered in the air above the banks.
  col += mist * low * (1.0 - cover) * 0.12 * dark;
  return col;
}
