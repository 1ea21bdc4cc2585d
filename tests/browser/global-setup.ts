import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
// DREAMSCAPE_TEST_DIST lets two test runs in one checkout build into separate folders.
const outDir = process.env.DREAMSCAPE_TEST_DIST ?? fileURLToPath(new URL('../../.artifacts/test-dist', import.meta.url));

/** Build the app once and serve the production build on 127.0.0.1 for every browser test. */
export default async function setup(project: TestProject) {
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url.replace(/\/$/, ''));
  project.provide('distDir', outDir);
  return async () => {
    await server.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The served build's folder (tests/browser/first-download.test.ts gzips its files). */
    distDir: string;
  }
}
