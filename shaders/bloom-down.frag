// Bloom, downsampling: four bilinear taps (sixteen texels). The first level keeps only what is
// brighter than the threshold (a soft knee), so only the grout, threads and glints glow; it reads
// the scene over transparent black, so it lays the sky behind it first, as the composite does.
uniform sampler2D uInput;
uniform sampler2D uSky;
uniform vec2 uTexel;
uniform float uThreshold;
uniform float uKnee;

varying vec2 vUv;

void main() {
  vec4 s = texture2D(uInput, vUv + uTexel * vec2(-1.0, -1.0));
  s += texture2D(uInput, vUv + uTexel * vec2(1.0, -1.0));
  s += texture2D(uInput, vUv + uTexel * vec2(-1.0, 1.0));
  s += texture2D(uInput, vUv + uTexel * vec2(1.0, 1.0));
  s *= 0.25;
  vec3 c = s.rgb;
#ifdef THRESHOLD
  c = min(c + (1.0 - s.a) * texture2D(uSky, vUv).rgb, 1.0);
  float l = max(c.r, max(c.g, c.b));
  float soft = clamp(l - uThreshold + uKnee, 0.0, 2.0 * uKnee);
  soft = soft * soft / (4.0 * uKnee + 1e-4);
  c *= max(soft, l - uThreshold) / max(l, 1e-4);
#endif
  gl_FragColor = vec4(c, 1.0);
}
