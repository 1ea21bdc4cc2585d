// A thread of light: a hot core in a soft halo, pulses running along it. Added onto the picture
// (display values), so its colour is taken to display gamma first.
#include display.glsl;

uniform float uTime;
uniform float uSeed;

varying vec3 vColour;
varying float vSide;
varying float vAlong;
varying float vGlow;

void main() {
  float d = abs(vSide);
  float core = exp(-d * d * 30.0);
  float halo = exp(-d * d * 5.0) * 0.22;
  float ends = smoothstep(0.0, 0.12, vAlong) * smoothstep(1.0, 0.88, vAlong);
  float pulse = 0.8 + 0.2 * sin(vAlong * 38.0 - uTime * 0.9 + uSeed);
  vec3 colour = gammaOf(vColour);
  vec3 col = colour * (core * 0.95 + halo) + vec3(core * core * 0.35);
  gl_FragColor = vec4(col * vGlow * ends * pulse, 1.0);
}
