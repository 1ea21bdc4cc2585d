import type { Page } from 'playwright-core';
import type { Picture } from './png.ts';

/**
 * In the page (performer view): quality locked to full, the clock paused and stepped to dream time
 * 100 s, the preset loaded there at once, the clock stepped on `at` - 3 seconds from the load, `setup` run there (dispatches), the clock
 * stepped on 3 seconds more, then the WebGL canvas's pixels read (rows top first). The
 * same dream time draws the same picture, so two builds can be compared pixel by pixel.
 */
export const dreamPicture = async (page: Page, preset: unknown, at: number, setup: string = ''): Promise<Picture> => {
  const out = await page.evaluate(`(async () => {
    const d = window.dreamscape;
    d.setQuality('full');
    d.clock.pause();
    // Load at a fixed dream time, so every run draws the same picture.
    d.clock.step(Math.max(0, 100 - d.clock.time()));
    await d.loadPreset(${JSON.stringify(preset)});
    d.clock.step(Math.max(0, ${at} - 3));
    ${setup}
    d.clock.step(Math.min(3, ${at}));
    d.clock.step(0);
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
  })()`) as { width: number; height: number; b64: string };
  return { width: out.width, height: out.height, rgba: new Uint8Array(Buffer.from(out.b64, 'base64')) };
};

/**
 * In the page, with the clock paused: `frames` steps of 1/`fps` s, each frame's mean relative
 * luminance per screen cell (a `grid` x `grid` split of the canvas), as the flash guard's measure
 * wants it (sRGB decoded to linear light). Returns one series per cell.
 */
export const cellLuminance = async (page: Page, frames: number, fps = 30, grid = 4): Promise<number[][]> =>
  (await page.evaluate(`(() => {
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
  })()`)) as number[][];
