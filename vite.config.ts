import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import glsl from 'vite-plugin-glsl';

// Shaders live in shaders/ as .vert/.frag/.glsl files; vite-plugin-glsl inlines them as strings
// and resolves our `#include chunk.glsl;` lines (three's own `#include <common>` is left alone).
export default defineConfig({
  plugins: [react(), glsl({ include: ['**/*.glsl', '**/*.vert', '**/*.frag'], warnDuplicatedImports: false })],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
