// The resting mosaic at reduced detail, as one quad over the tiles (a unit square the mesh scales to
// their extent in mosaic units), moved as the tile geometry is: its picture is the tiles drawn
// flat into a map (see src/scene/mosaic-impostor.ts).
varying vec2 vUv;

void main() {
  vUv = position.xy * 0.5 + 0.5;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position.xy, 0.0, 1.0);
}
