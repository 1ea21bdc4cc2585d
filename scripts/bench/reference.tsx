// The benchmark's reference: a minimal r3f canvas drawing one full-screen shader quad, so every
// frame figure of the dreamscape can be given as a ratio to what a bare frame costs here.
import { createRoot } from 'react-dom/client';
import { Canvas, useFrame } from '@react-three/fiber';
import { useRef } from 'react';
import type { ShaderMaterial } from 'three';

const Quad = () => {
  const mat = useRef<ShaderMaterial>(null);
  useFrame((_, dt) => {
    if (mat.current) mat.current.uniforms.uTime!.value += dt;
  });
  return (
    <mesh frustumCulled={false}>
      <planeGeometry args={[2, 2]} />
      <shaderMaterial
        ref={mat}
        uniforms={{ uTime: { value: 0 } }}
        vertexShader="varying vec2 vUv; void main() { vUv = uv; gl_Position = vec4(position.xy, 0.0, 1.0); }"
        fragmentShader="uniform float uTime; varying vec2 vUv; void main() { gl_FragColor = vec4(0.5 + 0.5 * sin(uTime + vUv.xyx * 3.0 + vec3(0.0, 2.0, 4.0)), 1.0); }"
      />
    </mesh>
  );
};

createRoot(document.getElementById('root')!).render(
  <Canvas dpr={1} gl={{ antialias: false }}>
    <Quad />
  </Canvas>,
);
