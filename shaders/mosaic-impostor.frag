// See mosaic-impostor.vert. Outside the tiles the map is clear (alpha 0): nothing is drawn there.
uniform sampler2D uPicture;
varying vec2 vUv;

void main() {
  vec4 c = texture2D(uPicture, vUv);
  if (c.a < 0.5) discard;
  gl_FragColor = vec4(c.rgb, 1.0);
}
