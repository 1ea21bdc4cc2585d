import { describe, expect, it } from 'vitest';
import type { BuiltFile } from '../../scripts/service-worker.ts';
import { serviceWorkerSource, splitBuild } from '../../scripts/service-worker.ts';

const chunk = (fileName: string, more: Partial<BuiltFile> = {}): BuiltFile => ({ type: 'chunk', fileName, imports: [], viteMetadata: { importedCss: new Set(), importedAssets: new Set() }, ...more });
const asset = (fileName: string): BuiltFile => ({ type: 'asset', fileName });

/** A build like the bench's: the page and a reference page sharing a chunk, lazy chunks, CSS, a map, the manifest. */
const bundle: Record<string, BuiltFile> = Object.fromEntries(
  [
    chunk('assets/main.js', { isEntry: true, facadeModuleId: '/app/index.html', imports: ['assets/shared.js'], viteMetadata: { importedCss: new Set(['assets/main.css']), importedAssets: new Set(['assets/noise.png']) } }),
    chunk('assets/shared.js', { imports: ['assets/tiny.js'] }),
    chunk('assets/tiny.js', { imports: ['assets/shared.js'] }),
    chunk('assets/reference.js', { isEntry: true, facadeModuleId: '/app/scripts/bench/reference.html', imports: ['assets/shared.js'] }),
    chunk('assets/PerformerView.js', { imports: ['assets/main.js'], viteMetadata: { importedCss: new Set(['assets/PerformerView.css']), importedAssets: new Set() } }),
    chunk('assets/engine.js', { imports: ['assets/main.js'] }),
    asset('assets/main.css'),
    asset('assets/PerformerView.css'),
    asset('assets/noise.png'),
    asset('assets/main.js.map'),
    asset('.vite/manifest.json'),
    asset('scripts/bench/reference.html'),
  ].map((f) => [f.fileName, f]),
);

describe("the service worker's shell", () => {
  it("is the page's entry, its static imports (through cycles) and what they import; the rest is everything else served", () => {
    const { shell, rest } = splitBuild(bundle, (facade) => facade.endsWith('/index.html'));
    expect(shell).toEqual(['assets/main.css', 'assets/main.js', 'assets/noise.png', 'assets/shared.js', 'assets/tiny.js']);
    expect(rest).toEqual(['assets/PerformerView.css', 'assets/PerformerView.js', 'assets/engine.js', 'assets/reference.js']);
  });

  it('refuses a build without exactly one page entry', () => {
    expect(() => splitBuild(bundle, () => false)).toThrow(/found 0/);
    expect(() => splitBuild(bundle, () => true)).toThrow(/found 2/);
  });

  it('precaches the shell on install and names the rest only as files it may keep', () => {
    const source = serviceWorkerSource({ shell: ['assets/main.js'], rest: ['assets/engine.js'] }, 'abc');
    expect(source).toContain(`const SHELL = ["./","./assets/main.js"];`);
    expect(source).toContain(`const REST = ["./assets/engine.js"];`);
    expect(source).toContain('cache.addAll(SHELL)');
    expect(source).not.toContain('cache.addAll(REST)');
  });
});
