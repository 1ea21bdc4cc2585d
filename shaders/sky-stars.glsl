// Stars (scene.sky.kind stars): a deep field. A dark sky crossed by the band of a galaxy seen
// edge-on (mottled light in the haze, warming to the glow at its heart, cut by a dark dust lane)
// and a few far nebulae in the accent; the stars themselves are points drawn at full size with
// the scene (shaders/stars.vert: the deep field lights four times as many). Arousal brightens the
// band, deeper sleep narrows and dims it.
#define HALO 0.5

vec3 skyLight(vec2 p, vec2 q, float dark, vec3 glowTint) {
  float t = uTime * (0.0006 + 0.0015 * uArousal);
  vec3 col = uDeep * 0.7;
  // The band: across the sky at a slant, its edge ragged with the clouds.
  vec2 axis = normalize(vec2(1.0, 0.42));
  float across = dot(p, vec2(-axis.y, axis.x)) + 0.1;
  vec2 r = q * 1.4 + vec2(t, -t * 0.5);
  float cloud = fbm(r * 2.0);
  float width = mix(0.48, 0.3, uDepth) * (0.8 + 0.5 * cloud);
  float band = exp(-across * across / (width * width));
  float mottle = fbm(r * 5.3 + vec2(0.4, 1.7));
  float lane = smoothstep(0.12, 0.0, abs(across + (fbm(r * 3.1 + 2.0) - 0.5) * 0.2)) * smoothstep(0.4, 0.6, fbm(r * 2.4 + 5.0));
  float light = band * mix(0.35, 1.0, smoothstep(0.3, 0.75, mottle)) * (1.0 - 0.8 * lane);
  col += uHaze * light * (0.5 + 0.3 * uArousal) * dark;
  col += glowTint * pow(band, 3.0) * smoothstep(0.45, 0.8, mottle) * (0.16 + 0.1 * uArousal) * dark;
  // Far nebulae: small knots of the accent here and there, mostly near the band.
  float knots = smoothstep(0.66, 0.84, fbm(r * 4.2 + vec2(7.3, 1.1)) * (0.75 + 0.4 * band));
  col += uAccent * knots * 0.1 * dark;
  return col;
}
