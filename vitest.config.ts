import { defineConfig } from 'vitest/config';
import glsl from 'vite-plugin-glsl';

// Two projects: pure logic in Node, and real headless Chromium (via playwright-core) against a
// production build served on 127.0.0.1 by tests/browser/global-setup.ts.
export default defineConfig({
  plugins: [glsl({ include: ['**/*.glsl', '**/*.vert', '**/*.frag'], warnDuplicatedImports: false })],
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/browser/**'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores and software WebGL: one browser test file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
