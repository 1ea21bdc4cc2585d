// Caustics (scene.sky.kind caustics): light through liquid. The sky is seen from under a slowly
// rippling surface: webs of focused light (the lines where two warped ripple fields agree) drift
// over a deep that brightens toward the surface above, the webs in the glow, their knots in the
// accent. Arousal quickens the ripples and tightens the webs; deeper sleep sinks the dreamers
// further under: a darker deep, softer webs.
#define HALO 0.9

// A web: the lines where a warped noise crosses its middle, thin and bright.
float web(vec2 s, vec2 flow, float width) {
  float n = fbm(s + flow);
  return exp(-abs(n - 0.5) * width);
}

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.005 + 0.01 * uArousal);
  // Toward the surface (up) the water is lighter.
  float surface = smoothstep(-1.2, 1.1, p.y);
  vec3 col = mix(uDeep, uHaze * 0.8, surface * 0.55 * dark);
  // The ripples warp the webs (the water's surface bending the light).
  vec4 ripple = texture2D(uNoise, q * 0.9 + vec2(t * 0.7, t * 0.45));
  vec2 s = q * 2.4 + (ripple.rg - 0.5) * 0.22;
  float width = mix(26.0, 16.0, uDepth) * (0.85 + 0.4 * uArousal);
  float a = web(s, vec2(t, -t * 0.6), width);
  float b = web(s * 1.37 + vec2(0.31, 0.77), vec2(-t * 0.8, t * 0.5), width);
  float lines = a + b;
  float knots = a * b;
  float fall = 0.45 + 0.55 * surface;
  col += mix(uHaze * 1.4, glowTint, 0.55) * lines * 0.28 * fall * dark;
  col += uAccent * knots * 0.35 * fall * dark;
  return col;
}
