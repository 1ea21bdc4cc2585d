import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import glsl from 'vite-plugin-glsl';

/**
 * The production page's Content-Security-Policy: our own origin only, plus what the app needs —
 * blob: for Tone's audio worklets and workers, ws:/wss: for the show's relay, inline styles for
 * leva. No eval, nothing from other origins. Dev mode has none (Vite injects inline scripts).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "connect-src 'self' ws: wss: blob: data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const contentSecurityPolicy = (): Plugin => ({
  name: 'dreamscape-csp',
  apply: 'build',
  transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
});

// Shaders live in shaders/ as .vert/.frag/.glsl files; vite-plugin-glsl inlines them as strings
// and resolves our `#include chunk.glsl;` lines (three's own `#include <common>` is left alone).
export default defineConfig({
  plugins: [react(), glsl({ include: ['**/*.glsl', '**/*.vert', '**/*.frag'], warnDuplicatedImports: false }), contentSecurityPolicy()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
