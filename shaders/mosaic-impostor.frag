// See mosaic-impostor.vert. Outside the tiles the picture is clear (transparent black): nothing
// is drawn there, and at the window's edge, where a filtered read mixes a tile with that black,
// dividing by alpha takes the black back out.
uniform sampler2D uPicture;
varying vec2 vUv;

void main() {
  vec4 c = texture2D(uPicture, vUv);
  if (c.a < 0.5) discard;
  gl_FragColor = vec4(c.rgb / c.a, 1.0);
}
