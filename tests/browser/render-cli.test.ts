import { describe, expect, inject, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * npm run render (scripts/render.ts): its exit codes and messages, a tiny render written to disk,
 * and an interrupted one leaving no file. It renders with the build the browser tests serve (the
 * test dist is newer than the sources, so the command does not build again).
 */

const DIR = '.artifacts/render-cli';

const run = (args: string[], options: { interruptWhen?: RegExp } = {}): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const child = spawn('node_modules/.bin/tsx', ['scripts/render.ts', ...args], { env: { ...process.env, DREAMSCAPE_RENDER_DIST: inject('distDir') } });
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (options.interruptWhen && !sent && options.interruptWhen.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });

describe('npm run render', () => {
  mkdirSync(DIR, { recursive: true });

  it('exits 2 on bad arguments, saying how to call it', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/usage: npm run render/);
    const ext = await run(['dream-temple', '--out', `${DIR}/x.mov`]);
    expect(ext.code).toBe(2);
    expect(ext.err).toMatch(/\.mp4, \.webm or \.wav/);
    const fps = await run(['dream-temple', '--out', `${DIR}/x.mp4`, '--fps', '29']);
    expect(fps.code).toBe(2);
    expect(fps.err).toMatch(/fps must be one of 24, 25, 30, 50, 60/);
  });

  it('exits 3 for a missing or bad log, with its problems and their paths', async () => {
    const missing = await run([`${DIR}/nope.show.json`, '--out', `${DIR}/x.mp4`]);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/no such show log file, and not a bundled preset \(.*dream-temple/);
    writeFileSync(`${DIR}/bad.show.json`, JSON.stringify({ format: 'dreamscape-show', version: 1, preset: { version: 1, id: 'x' }, seed: -1, entries: [{ t: 'soon' }] }));
    const bad = await run([`${DIR}/bad.show.json`, '--out', `${DIR}/x.mp4`]);
    console.log(bad.err.trim());
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('$.seed');
    expect(bad.err).toContain('$.entries[0]');
    writeFileSync(`${DIR}/notjson.show.json`, '{ nope');
    const notJson = await run([`${DIR}/notjson.show.json`, '--out', `${DIR}/x.mp4`]);
    expect(notJson.code).toBe(3);
    expect(notJson.err).toMatch(/not valid JSON/);
  });

  it('exits 4 for a path it cannot write', async () => {
    const r = await run(['dream-temple', '--out', '/nonexistent-folder/x.mp4', '--seconds', '1']);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/cannot write \/nonexistent-folder\/x\.mp4: the folder \/nonexistent-folder does not exist/);
  });

  it('renders a tiny MP4 to disk with a progress bar; exit 0', async () => {
    rmSync(`${DIR}/tiny.mp4`, { force: true });
    const r = await run(['dream-temple', '--out', `${DIR}/tiny.mp4`, '--seconds', '0.5', '--size', '320x180', '--fps', '24']);
    console.log(r.out.trim());
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\[#+\] 100% 12\/12 frames/);
    expect(r.out).toMatch(/tiny\.mp4: 12 frames, 320x180 at 24 fps, 0\.50 s/);
    const file = readFileSync(`${DIR}/tiny.mp4`);
    expect(file.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(existsSync(`${DIR}/tiny.mp4.part`)).toBe(false);
  });

  it('interrupted mid-render, exits 130 and leaves no file', async () => {
    rmSync(`${DIR}/stopped.webm`, { force: true });
    const r = await run(['dream-temple', '--out', `${DIR}/stopped.webm`, '--seconds', '30', '--size', '320x180'], { interruptWhen: /\] +\d+% [1-9]\d*\/900 frames/ });
    expect(r.code).toBe(130);
    expect(r.err).toMatch(/interrupted: no file was made/);
    expect(existsSync(`${DIR}/stopped.webm`)).toBe(false);
    expect(existsSync(`${DIR}/stopped.webm.part`)).toBe(false);
  });
});
