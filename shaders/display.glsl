// Scene colour (linear, may exceed 1) to what the 8-bit buffers hold: a soft shoulder for the
// highlights, then a display gamma, so the dark nebulae do not band. Software WebGL writes
// 8-bit targets three times faster than half-float ones.
vec3 toDisplay(vec3 c) {
  c = max(c, 0.0);
  c = c * (1.0 + c / 9.0) / (1.0 + c);
  return pow(c, vec3(1.0 / 2.2));
}

// Linear colour to display gamma without the shoulder (for colours already in range).
vec3 gammaOf(vec3 c) {
  return pow(max(c, 0.0), vec3(1.0 / 2.2));
}
