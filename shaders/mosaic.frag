// A jewel-like tile with glowing grout: the lit body (shaded per vertex, glint included), and a
// bright rim that, between neighbours, reads as the glowing grout of the mosaic. Both colours
// arrive in display values, so a pixel costs a blend and no tone curve.

varying vec3 vBody;
flat varying vec4 vGrout;
varying float vRim;
// The grout's width: 1 as designed (scene.mosaic.grout 0.5), wider above.
uniform float uGroutWidth;

void main() {
  // The rim's width in pixels stays about the same at any tile size; tiny tiles lose their grout.
  float fw = fwidth(vRim);
  float rim = smoothstep(1.0 - 1.0 * fw - 0.03 * uGroutWidth, 1.0 - 0.15 * fw, vRim);
  float groutFade = clamp(1.3 - fw * 2.5, 0.0, 1.0);
  // The body's light falls off as (1.25 - 0.5 r^2) in linear light; between the centre and the
  // rim the vertices' display values are joined by a straight line, which this bends back to
  // that curve (within 1%).
  vec3 body = vBody * (1.0 + 0.254 * vRim * (1.0 - vRim));
  // Blending display values, not light: the square root of the weight keeps the grout's edge as
  // bright as a blend in linear light would make it (the gamma is near 1/2).
  float grout = sqrt(rim * groutFade * vGrout.a);
  gl_FragColor = vec4(clamp(mix(body, vGrout.rgb, grout), 0.0, 1.0), 1.0);
}
