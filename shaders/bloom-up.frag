// Bloom, upsampling: a tent of four taps from the level below, added to this level.
uniform sampler2D uLow;
uniform sampler2D uHigh;
uniform vec2 uTexel;
uniform float uSpread;

varying vec2 vUv;

void main() {
  vec2 o = uTexel * uSpread;
  vec3 low = texture2D(uLow, vUv + vec2(-o.x, -o.y)).rgb;
  low += texture2D(uLow, vUv + vec2(o.x, -o.y)).rgb;
  low += texture2D(uLow, vUv + vec2(-o.x, o.y)).rgb;
  low += texture2D(uLow, vUv + vec2(o.x, o.y)).rgb;
  gl_FragColor = vec4(texture2D(uHigh, vUv).rgb + low * 0.25, 1.0);
}
