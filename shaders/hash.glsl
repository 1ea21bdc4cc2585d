// Integer hashes (lowbias32), the same mixer as src/model/hash.ts: seeded, never random.
uint mix32(uint x) {
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

uint hash2u(uint a, uint b) {
  return mix32(a * 0x27d4eb2du ^ mix32(b * 0x165667b1u));
}

// 0..1 from a hash (24 bits: exact in a float).
float unitOf(uint h) {
  return float(h >> 8u) * (1.0 / 16777216.0);
}

vec4 hash4(uint h) {
  uint a = mix32(h ^ 0x68bc21ebu);
  uint b = mix32(a ^ 0x02e5be93u);
  uint c = mix32(b ^ 0x967a889bu);
  uint d = mix32(c ^ 0x1b873593u);
  return vec4(unitOf(a), unitOf(b), unitOf(c), unitOf(d));
}
