// Far stars, one point each (the lit cells of an 11-pixel lattice, found on the CPU once per
// picture size), drawn into the scene target before the mosaic, which covers those behind it.
// position: the star's lattice cell, and 1 for the deep field's stars (scene.sky.kind stars:
// drawn only while that sky shows, at uDeepField); aSeed: where in the cell, twinkle rate and
// phase, size.
attribute vec4 aSeed;

uniform vec2 uResolution;
uniform vec2 uDrift;
uniform float uTime;
uniform vec3 uStarColour;
uniform sampler2D uSky;
/** How much the deep field shows (0 for the other skies; up to 2 with a bright stars sky). */
uniform float uDeepField;
/** How much the sky's own light hides the stars (fog, water; 0 for the others). */
uniform float uVeil;

varying vec3 vLight;

void main() {
  // The lattice moves with the camera's drift, a fraction of a cell.
  vec2 pixel = (position.xy + 0.2 + 0.6 * aSeed.xy - uDrift * 6.0) * STAR_CELL;
  vec2 uv = pixel / uResolution;
  float twinkle = 0.55 + 0.45 * sin(uTime * (0.3 + aSeed.z) + aSeed.w * 6.2832);
  // Fainter on a blue sky.
  vec3 sky = texture2D(uSky, uv).rgb;
  vLight = uStarColour * twinkle * (0.25 + 0.6 * aSeed.z * aSeed.z) * (1.0 - sky.b * 0.5);
  // A veiling sky hides them by its light (exactly 1 without a veil).
  vLight *= 1.0 - uVeil * min(1.0, dot(sky, vec3(1.4)));
  // The deep field: its own stars fainter, every sky's a little brighter (exactly 1 without it).
  vLight *= position.z > 0.5 ? 0.75 * uDeepField : 1.0 + 0.35 * uDeepField;
  gl_PointSize = STAR_SPRITE;
  gl_Position = vec4(uv * 2.0 - 1.0, 0.0, 1.0);
}
