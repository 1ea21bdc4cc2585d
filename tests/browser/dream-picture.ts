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
