// The resting mosaic at reduced detail, as one quad over the tiles (a unit square the mesh scales to
// their extent in mosaic units), moved as the tile geometry is: its picture is the tiles drawn
// flat into a map (see src/scene/mosaic-impostor.ts). A curved shape's picture lies on a grid put
// through the shape's own surface map (MOSAIC_SURFACE: the grid spans ±uReach mosaic units).
varying vec2 vUv;

#ifdef MOSAIC_SURFACE
uniform float uAspect;
uniform vec2 uReach;
#include mosaic-shape.glsl;
#endif

void main() {
  vUv = position.xy * 0.5 + 0.5;
#ifdef MOSAIC_SURFACE
  Surface surface = shapeSurface(position.xy * uReach, 1.0);
  gl_Position = projectionMatrix * modelViewMatrix * vec4(surface.p, 1.0);
#else
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position.xy, 0.0, 1.0);
#endif
}
