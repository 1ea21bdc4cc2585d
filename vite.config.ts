import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import glsl from 'vite-plugin-glsl';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceWorkerSource, splitBuild } from './scripts/service-worker.ts';
import { PRESET_FILE_EVENT } from './src/inputs/preset-files/event.ts';
import type { PresetFileMessage } from './src/inputs/preset-files/event.ts';

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

/**
 * Authoring live (npm start): a saved presets/*.json goes to the page as its text, on its own event,
 * instead of as a module update. A JSON module accepts no update, so Vite would reload the page
 * (the show lost) through the glob that imports it, and a broken file would only show Vite's overlay;
 * as text the page checks it as an imported file is checked (JSON errors with line and column,
 * schema problems with their paths) and revises the running show. DREAMSCAPE_PRESETS_DIR reads the
 * preset files from a copy of the folder instead (the same file names: tests edit a copy, never presets/).
 */
const presetFiles = (folder = process.env.DREAMSCAPE_PRESETS_DIR): Plugin => {
  const own = resolve(dirname(fileURLToPath(import.meta.url)), 'presets');
  const dir = folder ? resolve(folder) : own;
  const isPreset = (file: string) => dirname(file) === dir && file.endsWith('.json') && basename(file) !== 'schema.json';
  /** Per file, the text last sent. */
  const sent = new Map<string, string>();
  return {
    name: 'dreamscape-preset-files',
    apply: 'serve',
    configureServer: (server) => {
      if (dir !== own) server.watcher.add(dir);
    },
    load: (id) => {
      const file = id.split('?')[0]!;
      if (dir === own || dirname(file) !== own || !file.endsWith('.json')) return null;
      return readFileSync(join(dir, basename(file)), 'utf8');
    },
    async hotUpdate({ file, type, read }) {
      if (this.environment.name !== 'client' || type === 'delete' || !isPreset(file)) return;
      const { hot } = this.environment;
      const send = (text: string) => {
        sent.set(file, text);
        const message: PresetFileMessage = { file: `presets/${basename(file)}`, text };
        hot.send(PRESET_FILE_EVENT, message);
      };
      send(await read());
      // The watcher drops a change that follows another within 50 ms (chokidar's throttle): an
      // editor that truncates, then writes, or two quick saves, would leave the page with the first.
      setTimeout(() => {
        readFile(file, 'utf8').then((text) => text !== sent.get(file) && send(text), () => undefined);
      }, 120);
      // A reload reads the file anew (the module read from a copy is not the file that changed).
      for (const mod of this.environment.moduleGraph.getModulesByFile(join(own, basename(file))) ?? []) this.environment.moduleGraph.invalidateModule(mod);
      return [];
    },
  };
};

// Shaders live in shaders/ as .vert/.frag/.glsl files; vite-plugin-glsl inlines them as strings
// and resolves our `#include chunk.glsl;` lines (three's own `#include <common>` is left alone).
export default defineConfig({
  plugins: [react(), glsl({ include: ['**/*.glsl', '**/*.vert', '**/*.frag'], warnDuplicatedImports: false }), contentSecurityPolicy(), offlineServiceWorker(), presetFiles()],
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
