    // ---- peel (a statement chunk of mosaic.vert's fracture): a front runs out from the epicentre
    // and behind it the tiles lift like the corner of a page, each turning on the hinge of its
    // outer edge, over and away, fluttering ----
    vec2 epicentre = uEpicentre * vec2(uAspect, 1.0);
    float s = uFracture;
    vec4 crack = hash4(hash2u(tile, uint(uFractureSeed)));
    vec2 away = centre - epicentre;
    float dist = length(away * vec2(1.0 / uAspect, 1.0));
    a = s >= 0.0 ? clamp((s * 2.4 - dist) * 2.2 - crack.x * 0.35, 0.0, 1.0) : s;
    float travel = uMotion;
    vec2 dir = normalize(away + 1e-4);
    vec3 hinge = vec3(-dir.y, dir.x, 0.0);
    vec3 pivot = vec3(dir * uCell * 0.55, 0.0);
    float angle = a * (1.7 + 0.9 * crack.y) * travel + a * sin(uTime * (0.7 + 0.5 * crack.z) + crack.w * 6.2832) * 0.25 * travel;
    p = rotateAxis(vec3(position.xy - centre, 0.0) - pivot, hinge, angle) + pivot;
    n = rotateAxis(n, hinge, angle);
    float a2 = a * abs(a);
    p += vec3(centre + dir * a2 * travel * (0.04 + 0.12 * crack.z), a2 * travel * (0.06 + 0.3 * crack.w));
