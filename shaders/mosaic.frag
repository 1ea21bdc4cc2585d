// A jewel-like tile with glowing grout: the lit body (shaded per vertex), a glint from the moving
// light, and a bright rim that, between neighbours, reads as the glowing grout of the mosaic.
#include display.glsl;

uniform vec3 uAccent;

varying vec3 vColour;
varying vec3 vGrout;
varying float vRim;
varying float vGlint;
varying float vTear;
varying float vLift;

void main() {
  // The rim's width in pixels stays about the same at any tile size; tiny tiles lose their grout.
  float fw = fwidth(vRim);
  float rim = smoothstep(1.0 - 1.0 * fw - 0.03, 1.0 - 0.15 * fw, vRim);
  float groutFade = clamp(1.3 - fw * 2.5, 0.0, 1.0);
  // Light through the gem: brighter toward its heart.
  vec3 body = vColour * (1.25 - 0.5 * vRim * vRim) + vec3(1.0, 0.97, 0.9) * vGlint;
  vec3 grout = vGrout * (1.5 + 1.0 * vTear);
  vec3 col = mix(body, grout * (1.0 - 0.5 * vLift), rim * groutFade * (0.95 - 0.4 * vLift));
  col += uAccent * vTear * rim * 0.6;
  // Saturate in display space: gems, not pebbles.
  vec3 display = toDisplay(col);
  float grey = dot(display, vec3(0.299, 0.587, 0.114));
  gl_FragColor = vec4(clamp(mix(vec3(grey), display, 1.35), 0.0, 1.0), 1.0);
}
