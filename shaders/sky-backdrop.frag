// The sky behind the scene: the quarter-size sky, stretched smooth, and far stars at full size.
#include hash.glsl;

uniform sampler2D uSky;
uniform float uTime;
uniform vec2 uDrift;
uniform vec3 uStarColour;

varying vec2 vUv;

void main() {
  vec3 col = texture2D(uSky, vUv).rgb;
  // Stars on a lattice of 11-pixel cells, one in sixteen cells lit, each twinkling slowly.
  vec2 sp = gl_FragCoord.xy / 11.0 + uDrift * 6.0;
  vec2 cell = floor(sp);
  uvec2 ci = uvec2(ivec2(cell) + 65536);
  uint h = hash2u(ci.x, ci.y);
  if ((h & 15u) == 0u) {
    vec4 s = hash4(h);
    float d = length(fract(sp) - 0.2 - 0.6 * s.xy);
    float twinkle = 0.55 + 0.45 * sin(uTime * (0.3 + s.z) + s.w * 6.2832);
    float star = smoothstep(0.16, 0.0, d) * twinkle * (0.25 + 0.6 * s.z * s.z);
    col += uStarColour * star * (1.0 - col.b * 0.5);
  }
  gl_FragColor = vec4(col, 1.0);
}
