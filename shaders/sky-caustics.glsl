// Caustics (scene.sky.kind caustics): light through liquid. The sky is seen from under a slowly
// rippling surface: webs of focused light (the edges between wandering cells, a second finer web
// over the first) over a deep that brightens toward the surface above; the webs in the glow,
// their knots in the accent. Arousal quickens the ripples and tightens the webs; deeper sleep
// sinks the dreamers further under: a darker deep, softer webs.
#define HALO 0.9

// How far s is from the web of cells around it: 0 on the lines between neighbouring cells.
// Each cell's light point wanders on a small circle at its own pace.
float web(vec2 s, float t) {
  vec2 cell = floor(s);
  vec2 f = s - cell;
  float d1 = 8.0;
  float d2 = 8.0;
  for (int j = -1; j <= 1; j++) {
    for (int i = -1; i <= 1; i++) {
      vec2 o = vec2(float(i), float(j));
      vec2 h = fract(sin(vec2(dot(cell + o, vec2(127.1, 311.7)), dot(cell + o, vec2(269.5, 183.3)))) * 43758.5453);
      vec2 pt = o + 0.5 + 0.38 * sin(t * (0.6 + 0.5 * h.y) + 6.2832 * h);
      vec2 r = pt - f;
      float d = dot(r, r);
      d2 = min(d2, max(d1, d));
      d1 = min(d1, d);
    }
  }
  return sqrt(d2) - sqrt(d1);
}

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.05 + 0.12 * uArousal);
  // Toward the surface (up) the water is lighter.
  float surface = smoothstep(-1.2, 1.1, p.y);
  vec3 col = mix(uDeep, uHaze * 0.85, surface * 0.6 * dark);
  // The ripples bend the webs (the water's surface bending the light).
  vec4 ripple = texture2D(uNoise, q * 0.8 + vec2(t * 0.02, t * 0.013));
  vec2 s = (q - uSeedShift) * 16.0 + uSeedShift + (ripple.rg - 0.5) * 1.6;
  float width = mix(9.0, 6.0, uDepth) * (0.8 + 0.5 * uArousal);
  float ea = web(s, t);
  float eb = web(s * 1.9 + 3.7, t * 1.3);
  // Sharp lines with a soft glow about them.
  float a = exp(-ea * width);
  float b = exp(-eb * width * 1.3);
  float haloA = exp(-ea * width * 0.25);
  float fall = 0.4 + 0.6 * surface;
  vec3 light = mix(uHaze * 1.8, glowTint, 0.55);
  col += light * (a * 0.34 + b * 0.13 + haloA * 0.07) * fall * dark;
  col += uAccent * a * b * 0.35 * fall * dark;
  return col;
}
