    // ---- dissolve (a statement chunk of mosaic.vert's fracture): tile by tile, from the epicentre
    // out, the tiles crumble: each shrinks to a speck of dust that drifts down and away ----
    vec2 epicentre = uEpicentre * vec2(uAspect, 1.0);
    float s = uFracture;
    vec4 crack = hash4(hash2u(tile, uint(uFractureSeed)));
    float dist = length((centre - epicentre) * vec2(1.0 / uAspect, 1.0));
    a = s >= 0.0 ? clamp((s - crack.x * 0.8 - dist * 0.5 * (1.0 - s)) * 2.2, 0.0, 1.0) : 0.0;
    float travel = uMotion;
    float a2 = a * a;
    // Crumbling: the tile shrinks (to a speck, not nothing: dust) and turns as it goes.
    vec3 axis = normalize(crack.yzw - 0.5 + vec3(0.0, 0.0, 1e-3));
    float spin = a * (crack.z - 0.5) * 5.0 * travel;
    p = rotateAxis(vec3((position.xy - centre) * (1.0 - 0.88 * a), 0.0), axis, spin);
    n = rotateAxis(n, axis, spin);
    vec2 drift = (crack.yz - 0.5) * 0.3 + vec2(0.06 * sin(uTime * (0.4 + 0.4 * crack.w) + crack.x * 6.2832), -0.35 - 0.5 * crack.w);
    p += vec3(centre + drift * a2 * travel, a * travel * 0.15 * crack.y);
