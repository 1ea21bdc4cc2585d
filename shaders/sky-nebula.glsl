// The nebula (scene.sky.kind nebula): slow clouds of liquid light from the palette, folded by a
// current that mood and sleep depth set, cut by dust lanes, with thin filaments along the current.
float cloud2(vec2 r, vec4 current) {
  return fbm(r * 3.1 + vec2(1.9, -0.6) + current.ab * 0.08);
}

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.0012 + 0.004 * uArousal);

  // A slow current folds the nebula into itself.
  vec4 current = texture2D(uNoise, q * 0.7 + vec2(t, -t * 0.6));
  vec2 r = q + (current.rg - 0.5) * (0.16 + 0.12 * uDepth) + vec2(-t * 0.8, t * 0.5);
  float cloud = fbm(r) * 0.65 + fbm(r * 2.3 + vec2(0.37, 0.71) + current.ba * 0.05) * 0.35;
  float veil = smoothstep(0.36, 0.66, cloud);
  float bright = smoothstep(0.52, 0.74, cloud * (0.85 + 0.35 * current.r));

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
  return col;
}
