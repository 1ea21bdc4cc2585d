// A star: a soft point 0.16 of a lattice cell in radius.
varying vec3 vLight;

void main() {
  float d = length((gl_PointCoord - 0.5) * STAR_SPRITE) / STAR_CELL;
  gl_FragColor = vec4(vLight * smoothstep(0.16, 0.0, d), 1.0);
}
