import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import glsl from 'vite-plugin-glsl';
import { createHash } from 'node:crypto';
import { serviceWorkerSource, splitBuild } from './scripts/service-worker.ts';

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

/**
 * Emit sw.js: it precaches the page's shell (entry, static imports, CSS) and caches the rest of
 * this build as it is fetched (scripts/service-worker.ts), so a served show also runs offline.
 */
const offlineServiceWorker = (): Plugin => ({
  name: 'dreamscape-service-worker',
  apply: 'build',
  generateBundle(_options, bundle) {
    const build = splitBuild(bundle, (facade) => facade.endsWith('/index.html'));
    const version = createHash('sha256').update([...build.shell, ...build.rest].sort().join('\n')).digest('hex').slice(0, 12);
    this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(build, version) });
  },
});

// Shaders live in shaders/ as .vert/.frag/.glsl files; vite-plugin-glsl inlines them as strings
// and resolves our `#include chunk.glsl;` lines (three's own `#include <common>` is left alone).
export default defineConfig({
  plugins: [react(), glsl({ include: ['**/*.glsl', '**/*.vert', '**/*.frag'], warnDuplicatedImports: false }), contentSecurityPolicy(), offlineServiceWorker()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
