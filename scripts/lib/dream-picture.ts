import type { Page } from 'playwright-core';
import type { Picture } from './png.ts';

/** An action a picture's show takes, `at` seconds in. */
export interface PictureAction {
  at: number;
  action: Record<string, unknown>;
}

/**
 * In the page (performer view): quality locked to full, a show log of `preset` (with its seed) and
 * `actions` replayed and sought to dream time `at`, the clock paused there, then the WebGL
 * canvas's pixels read (rows top first). A replay starts from dream time 0 whatever the page did
 * before, so the same preset, actions and time draw the same picture in any page, any build.
 */
export const dreamPicture = async (page: Page, preset: unknown, at: number, actions: readonly PictureAction[] = []): Promise<Picture> => {
  const log = { format: 'dreamscape-show', version: 1, preset, seed: 1, entries: actions.map((a) => ({ t: a.at, source: 'script', action: a.action })) };
  const out = await page.evaluate<{ width: number; height: number; b64: string }>(`(async () => {
    const d = window.dreamscape;
    d.setQuality('full');
    await d.replay(${JSON.stringify(log)}, { at: ${at} - 0.5 });
    d.clock.pause();
    await d.seek(${at} - 0.5);
    // A paused clock moved by hand more than a jump draws the dream as it is there (no guard's follow).
    d.clock.step(0.5);
    const canvas = document.querySelector('[data-testid="dream-scene"] canvas');
    const gl = canvas.getContext('webgl2');
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    const px = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    const flipped = new Uint8Array(px.length);
    for (let y = 0; y < h; y++) flipped.set(px.subarray((h - 1 - y) * w * 4, (h - y) * w * 4), y * w * 4);
    let bin = '';
    for (let i = 0; i < flipped.length; i += 8192) bin += String.fromCharCode(...flipped.subarray(i, i + 8192));
    return { width: w, height: h, b64: btoa(bin) };
  })()`);
  return { width: out.width, height: out.height, rgba: new Uint8Array(Buffer.from(out.b64, 'base64')) };
};

/**
 * In the page, with the clock paused: `frames` steps of 1/`fps` s, each frame's mean relative
 * luminance per screen cell (a `grid` x `grid` split of the canvas), as the flash guard's measure
 * wants it (sRGB decoded to linear light). Returns one series per cell.
 */
export const cellLuminance = async (page: Page, frames: number, fps = 30, grid = 4): Promise<number[][]> =>
  page.evaluate<number[][]>(`(() => {
    const d = window.dreamscape;
    const canvas = document.querySelector('[data-testid="dream-scene"] canvas');
    const gl = canvas.getContext('webgl2');
    const lin = new Float32Array(256);
    for (let i = 0; i < 256; i++) { const c = i / 255; lin[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }
    const g = ${grid};
    const series = Array.from({ length: g * g }, () => []);
    let px = null;
    for (let f = 0; f < ${frames}; f++) {
      d.clock.step(1 / ${fps});
      const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
      if (!px || px.length !== w * h * 4) px = new Uint8Array(w * h * 4);
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
      const sums = new Float64Array(g * g), counts = new Float64Array(g * g);
      for (let y = 0; y < h; y += 2) {
        const cy = Math.min(g - 1, Math.floor((y * g) / h));
        for (let x = 0; x < w; x += 2) {
          const i = (y * w + x) * 4;
          const c = cy * g + Math.min(g - 1, Math.floor((x * g) / w));
          sums[c] += 0.2126 * lin[px[i]] + 0.7152 * lin[px[i + 1]] + 0.0722 * lin[px[i + 2]];
          counts[c]++;
        }
      }
      for (let c = 0; c < g * g; c++) series[c].push(sums[c] / counts[c]);
    }
    return series;
  })()`);
