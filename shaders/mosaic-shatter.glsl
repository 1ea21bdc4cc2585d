    // ---- shatter (a statement chunk of mosaic.vert's fracture): every tile is blown from the
    // epicentre on its own, spinning, the nearest first and farthest, some toward the dreamer ----
    vec2 epicentre = uEpicentre * vec2(uAspect, 1.0);
    float s = uFracture;
    vec4 crack = hash4(hash2u(tile, uint(uFractureSeed)));
    vec2 away = centre - epicentre;
    float dist = length(away * vec2(1.0 / uAspect, 1.0));
    a = s >= 0.0 ? clamp(s * 1.8 - dist * 0.7 * (1.0 - s) - crack.x * 0.3 * (1.0 - s), 0.0, 1.0) : s;
    float a2 = a * abs(a);
    float travel = uMotion;
    vec2 local = (position.xy - centre) * (1.0 - 0.3 * clamp(a, 0.0, 1.0));
    vec3 axis = normalize(crack.xyz - 0.5 + vec3(0.0, 0.0, 1e-3));
    float spin = a * (crack.w - 0.5) * 7.0 * travel + a2 * sin(uTime * (0.2 + 0.3 * crack.y) + crack.z * 6.2832) * 0.8 * travel;
    p = rotateAxis(vec3(local, 0.0), axis, spin);
    n = rotateAxis(n, axis, spin);
    vec2 dir = normalize(away + (crack.yz - 0.5) * 0.35 + 1e-4);
    float blast = a2 * travel / (0.5 + dist);
    p += vec3(centre + dir * blast * (0.18 + 0.5 * crack.y), blast * (0.1 + 0.7 * crack.z));
    // Drifting while broken, each shard on its own orbit.
    p += a * travel * vec3(0.02 * sin(uTime * (0.3 + 0.3 * crack.x) + crack.z * 6.2832), 0.02 * cos(uTime * (0.25 + 0.3 * crack.w) + crack.y * 6.2832), 0.0);
