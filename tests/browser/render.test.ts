import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, openView } from './browser.ts';
import { validatePreset, validateShowLog } from '../../src/model/index.ts';
import type { ShowLog } from '../../src/model/index.ts';
import type { SceneStats } from '../../src/scene/scene-runtime.ts';
import type { RenderProgress } from '../../src/outputs/video/options.ts';

/**
 * Keep the show (issue 17): 4 s of dream-temple with a fracture at 1 s and a glitch at 2 s rendered
 * to MP4 at 640x360, 30 fps, in a performer page; the file decoded in the page by mediabunny's
 * input side; its frame at 2.5 s compared with what a second page replaying the same log (quality
 * locked) shows when stepped there at 1/30 s; the same log rendered twice compared pixel for pixel
 * before encoding; a cancelled render, a bad log and a refused codec.
 */

const VIEWPORT = { width: 640, height: 360 };
const PARAMS = { view: 'performer', quality: 'full', preset: 'dream-temple', seed: 4242 };
const OUT = '.artifacts/render-test';
const MEDIABUNNY = readFileSync('node_modules/mediabunny/dist/bundles/mediabunny.min.mjs');

const showLog = (): ShowLog => {
  const preset = validatePreset(JSON.parse(readFileSync('presets/dream-temple.json', 'utf8')));
  if (!preset.ok) throw new Error('dream-temple does not validate');
  const log = {
    format: 'dreamscape-show',
    version: 1,
    preset: preset.preset,
    seed: 4242,
    entries: [
      { t: 1, source: 'key', action: { type: 'fracture', amount: 0.9 } },
      { t: 2, source: 'key', action: { type: 'glitch', amount: 0.7 } },
    ],
  };
  const r = validateShowLog(log);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.log;
};
const LOG = showLog();

let browser: Browser;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const newContext = async (): Promise<BrowserContext> => {
  const c = await browser.newContext({ deviceScaleFactor: 1, reducedMotion: 'no-preference' });
  // tsx/esbuild keepNames wraps named functions in __name(), which the page does not have.
  await c.addInitScript(() => ((window as unknown as { __name: unknown }).__name = (f: unknown) => f));
  // mediabunny's input side for the tests, served from the page's own origin (the CSP allows 'self').
  await c.route('**/__test/mediabunny.mjs', (route) => route.fulfill({ body: MEDIABUNNY, contentType: 'text/javascript' }));
  return c;
};

const ready = (page: Page) => page.waitForFunction(() => (window.dreamscape.stats as (() => SceneStats) | undefined)?.().ready === true, undefined, { timeout: 60_000 });

const openPaused = async (room: string): Promise<Page> => {
  const { page } = await openView(await newContext(), { ...PARAMS, room }, VIEWPORT);
  await ready(page);
  await page.evaluate(() => window.dreamscape.clock.pause());
  await page.waitForFunction(() => typeof window.dreamscape.renderVideo === 'function');
  return page;
};

const pixels = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

/** WebGL rows run from the bottom; a decoded picture's from the top. */
const flipRows = (px: Uint8Array, width: number, height: number): Uint8Array => {
  const out = new Uint8Array(px.length);
  const row = width * 4;
  for (let y = 0; y < height; y++) out.set(px.subarray(y * row, (y + 1) * row), (height - 1 - y) * row);
  return out;
};

/** Mean absolute difference per RGB channel (of 255), and PSNR over RGB (dB). */
const compare = (a: Uint8Array, b: Uint8Array) => {
  let abs = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = a[i + c]! - b[i + c]!;
      abs += Math.abs(d);
      sq += d * d;
      n++;
    }
  }
  const mse = sq / n;
  const signed = [0, 1, 2].map((c) => {
    let d = 0;
    for (let i = c; i < a.length; i += 4) d += a[i]! - b[i]!;
    return +(d / (a.length / 4)).toFixed(2);
  });
  return { signed, meanAbs: abs / n, psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse) };
};

/** Mean absolute difference (of 255) of 8x8 block means of RGB: the picture's content, without the encoder's fine-detail loss. */
const blockDiff = (a: Uint8Array, b: Uint8Array, width: number, height: number, block = 8): number => {
  let sum = 0;
  let n = 0;
  for (let by = 0; by + block <= height; by += block)
    for (let bx = 0; bx + block <= width; bx += block)
      for (let c = 0; c < 3; c++) {
        let d = 0;
        for (let y = by; y < by + block; y++) for (let x = bx; x < bx + block; x++) d += a[(y * width + x) * 4 + c]! - b[(y * width + x) * 4 + c]!;
        sum += Math.abs(d / (block * block));
        n++;
      }
  return sum / n;
};

/** A PNG of RGBA pixels (rows from the top), made by the page's canvas. */
const savePng = async (page: Page, file: string, px: Uint8Array, width: number, height: number) => {
  const b64 = await page.evaluate(
    ({ b64, width, height }) => {
      const bin = atob(b64);
      const data = new Uint8ClampedArray(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      canvas.getContext('2d')!.putImageData(new ImageData(data, width, height), 0, 0);
      return canvas.toDataURL('image/png').split(',')[1]!;
    },
    { b64: Buffer.from(px).toString('base64'), width, height },
  );
  writeFileSync(`${OUT}/${file}`, Buffer.from(b64, 'base64'));
};

type Rendered = { frames: number; seconds: number; bytes: number; codecs: { video: string; audio: string }; framesPerSecond: number; hashes: string[]; kept: Record<number, string> };

const render = (page: Page, log: ShowLog, keep: number[]): Promise<Rendered> =>
  page.evaluate(
    async ({ log, keep }) => {
      const r = await window.dreamscape.renderVideo!({ log, seconds: 4, width: 640, height: 360, fps: 30, format: 'mp4', quality: 'high' }, { inspect: { hashes: true, keep } });
      (window as unknown as { __file: Blob | null }).__file = r.blob;
      return { frames: r.frames, seconds: r.seconds, bytes: r.bytes, codecs: r.codecs as { video: string; audio: string }, framesPerSecond: r.framesPerSecond, hashes: r.frameHashes!, kept: r.kept! };
    },
    { log, keep },
  );

type Decoded = { duration: number; videoDuration: number; audioDuration: number; frames: number; firstTs: number; lastTs: number; audioPeak: number; audioFirstTs: number; audioSamples: number; audioRms: number; frame: string; frameTs: number; width: number; height: number; videoCodec: string | null; audioCodec: string | null };

/** Decode the last render's file in the page with mediabunny's input side. */
const decode = async (page: Page, at: number): Promise<Decoded> => {
  // A string, so that vitest does not rewrite the page's import().
  await page.evaluate("import('/__test/mediabunny.mjs').then((m) => { window.__mb = m; })");
  return decodeLoaded(page, at);
};

const decodeLoaded = (page: Page, at: number): Promise<Decoded> =>
  page.evaluate(async (at) => {
    const mb = (window as unknown as { __mb: typeof import('mediabunny') }).__mb;
    const input = new mb.Input({ source: new mb.BlobSource((window as unknown as { __file: Blob }).__file), formats: mb.ALL_FORMATS });
    const video = (await input.getPrimaryVideoTrack())!;
    const audio = (await input.getPrimaryAudioTrack())!;
    let frames = 0;
    let firstTs = -1;
    let lastTs = -1;
    for await (const s of new mb.VideoSampleSink(video).samples()) {
      if (firstTs < 0) firstTs = s.timestamp;
      lastTs = s.timestamp;
      frames++;
      s.close();
    }
    let peak = 0;
    let sq = 0;
    let n = 0;
    let audioFirstTs = -1;
    for await (const s of new mb.AudioSampleSink(audio).samples()) {
      if (audioFirstTs < 0) audioFirstTs = s.timestamp;
      const b = s.toAudioBuffer();
      for (let c = 0; c < b.numberOfChannels; c++)
        for (const v of b.getChannelData(c)) {
          peak = Math.max(peak, Math.abs(v));
          sq += v * v;
          n++;
        }
      s.close();
    }
    const wrapped = (await new mb.CanvasSink(video).getCanvas(at))!;
    const ctx = (wrapped.canvas as HTMLCanvasElement).getContext('2d')!;
    const img = ctx.getImageData(0, 0, wrapped.canvas.width, wrapped.canvas.height);
    let bin = '';
    const u8 = new Uint8Array(img.data.buffer);
    for (let i = 0; i < u8.length; i += 8192) bin += String.fromCharCode(...u8.subarray(i, i + 8192));
    return {
      duration: await input.computeDuration(),
      videoDuration: await video.computeDuration(),
      audioDuration: await audio.computeDuration(),
      frames,
      firstTs,
      lastTs,
      audioPeak: peak,
      audioFirstTs,
      audioSamples: n / 2,
      audioRms: Math.sqrt(sq / Math.max(1, n)),
      frame: btoa(bin),
      frameTs: wrapped.timestamp,
      width: wrapped.canvas.width,
      height: wrapped.canvas.height,
      videoCodec: video.codec,
      audioCodec: audio.codec,
    };
  }, at);

/** What a page replaying the log (quality locked) shows stepped to `frames` / 30 s at 1/30 s steps: RGBA rows from the bottom. */
const replayPicture = (page: Page, log: ShowLog, frames: number): Promise<string> =>
  page.evaluate(
    async ({ log, frames }) => {
      const d = window.dreamscape;
      await d.replay!(log, { at: 0 });
      for (let i = 0; i < frames; i++) d.clock.step(1 / 30);
      const gl = document.querySelector<HTMLCanvasElement>('[data-testid="dream-scene"] canvas')!.getContext('webgl2')!;
      const px = new Uint8Array(gl.drawingBufferWidth * gl.drawingBufferHeight * 4);
      gl.readPixels(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight, gl.RGBA, gl.UNSIGNED_BYTE, px);
      let bin = '';
      for (let i = 0; i < px.length; i += 8192) bin += String.fromCharCode(...px.subarray(i, i + 8192));
      return btoa(bin);
    },
    { log, frames },
  );

describe('renderVideo', () => {
  let page: Page;
  let first: Rendered;
  let decoded: Decoded;

  it('renders 4 s of dream-temple (fracture at 1 s, glitch at 2 s) to an MP4 that decodes to 120 frames, 4.00 s, with sound', async () => {
    page = await openPaused('render-a');
    first = await render(page, LOG, [15, 45, 75, 105]);
    decoded = await decode(page, 2.5);
    for (const n of [15, 45, 75, 105]) await savePng(page, `frame-${n}.png`, flipRows(pixels(first.kept[n]!), 640, 360), 640, 360);
    await savePng(page, 'decoded-2.5s.png', pixels(decoded.frame), 640, 360);
    console.log(`render: ${first.frames} frames, ${(first.bytes / 1e6).toFixed(2)} MB, ${first.codecs.video} + ${first.codecs.audio}, ${first.framesPerSecond.toFixed(1)} frames/s; decoded ${decoded.videoCodec} + ${decoded.audioCodec}: ${decoded.frames} frames, ${decoded.duration.toFixed(3)} s (video ${decoded.videoDuration.toFixed(3)}, audio ${decoded.audioDuration.toFixed(3)}), audio from ${decoded.audioFirstTs.toFixed(4)} s, ${decoded.audioSamples} samples, peak ${decoded.audioPeak.toFixed(3)}, rms ${decoded.audioRms.toFixed(4)}`);
    expect(first.frames).toBe(120);
    expect(first.hashes).toHaveLength(120);
    expect(decoded.frames).toBe(120);
    expect(decoded.firstTs).toBeCloseTo(0, 6);
    expect(decoded.lastTs).toBeCloseTo(119 / 30, 4);
    expect(decoded.videoDuration).toBeCloseTo(4, 2);
    // The file ends with the audio's last Opus packet: 20 ms packets, the last one padded past 4.00 s.
    expect(decoded.duration).toBeGreaterThanOrEqual(4 - 1e-6);
    expect(decoded.duration).toBeLessThanOrEqual(4 + 1 / 30);
    expect(Math.abs(decoded.audioDuration - 4)).toBeLessThanOrEqual(1 / 30);
    expect(decoded.audioPeak).toBeGreaterThan(0.01);
    expect(decoded.audioRms).toBeGreaterThan(0.001);
    expect([decoded.width, decoded.height]).toEqual([640, 360]);
  });

  it('its frame at 2.5 s matches, within encoding noise, what a replaying page shows stepped there at 1/30 s', async () => {
    const other = await openPaused('render-b');
    const reference = flipRows(pixels(await replayPicture(other, LOG, 75)), 640, 360);
    await savePng(other, 'replay-2.5s.png', reference, 640, 360);
    await other.context().close();
    const beforeEncoding = flipRows(pixels(first.kept[75]!), 640, 360);
    const exact = compare(beforeEncoding, reference);
    const encoded = compare(pixels(decoded.frame), reference);
    // How far apart two frames half a second apart are, for scale.
    const apart = compare(pixels(decoded.frame), flipRows(pixels(first.kept[105]!), 640, 360));
    const blocks = blockDiff(pixels(decoded.frame), reference, 640, 360);
    const blocksApart = blockDiff(pixels(decoded.frame), flipRows(pixels(first.kept[105]!), 640, 360), 640, 360);
    console.log(`frame 2.5 s, 8x8 block means: decoded vs replayed page ${blocks.toFixed(3)} of 255; decoded 2.5 s vs rendered 3.5 s ${blocksApart.toFixed(3)}`);
    console.log(`frame 2.5 s: rendered vs replayed page, before encoding: mean |diff| ${exact.meanAbs.toFixed(4)}, PSNR ${exact.psnr.toFixed(1)} dB; decoded vs replayed page: mean |diff| ${encoded.meanAbs.toFixed(3)} of 255, PSNR ${encoded.psnr.toFixed(1)} dB (mean signed R,G,B ${encoded.signed.join(', ')}); decoded 2.5 s vs rendered 3.5 s: mean |diff| ${apart.meanAbs.toFixed(2)}, PSNR ${apart.psnr.toFixed(1)} dB`);
    expect(exact.meanAbs).toBeLessThan(0.05);
    expect(encoded.psnr).toBeGreaterThan(22);
    expect(Math.abs(encoded.signed[0]!) + Math.abs(encoded.signed[1]!) + Math.abs(encoded.signed[2]!)).toBeLessThan(4);
    expect(blocks).toBeLessThan(3);
    expect(apart.psnr).toBeLessThan(encoded.psnr - 4);
    expect(blocksApart).toBeGreaterThan(blocks * 3);
  });

  it('renders the same log twice to identical frames before encoding', async () => {
    const again = await render(page, LOG, []);
    const differing = again.hashes.map((h, i) => (h === first.hashes[i] ? -1 : i)).filter((i) => i >= 0);
    console.log(`second render: ${again.framesPerSecond.toFixed(1)} frames/s; frames differing from the first: ${differing.length}`);
    expect(differing).toEqual([]);
    // The frames do change over the show (the hashes are of pictures, not of nothing).
    expect(new Set(first.hashes).size).toBeGreaterThan(100);
  });

  it('a cancelled render rejects and makes no file; a render can start again after it', async () => {
    const out = await page.evaluate(async () => {
      const d = window.dreamscape;
      let seen: RenderProgress | null = null;
      let done = false;
      const p = d.renderVideo!({ preset: 'dream-temple', seconds: 20, width: 640, height: 360, format: 'webm', onProgress: (pr) => (seen = pr) }).then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${e.message}`,
      );
      void p.then(() => (done = true));
      while (((seen as RenderProgress | null)?.frames ?? 0) < 10 && !done) await new Promise((r) => setTimeout(r, 20));
      const cancelled = d.cancelRender!();
      const result = await p;
      return { cancelled, result, framesWhenCancelled: (seen as RenderProgress | null)?.frames ?? 0, again: d.cancelRender!() };
    });
    console.log(`cancel: ${JSON.stringify(out)}`);
    expect(out.cancelled).toBe(true);
    expect(out.result).toMatch(/^RenderCancelledError: renderVideo: cancelled/);
    expect(out.framesWhenCancelled).toBeLessThan(600);
    expect(out.again).toBe(false);
  });

  it('a bad log is refused with its problems, each with its path', async () => {
    const message = await page.evaluate(async (log) => {
      const bad = { ...log, seed: -3, entries: [{ t: 'soon', source: 'key', action: { type: 'fracture' } }] };
      return window.dreamscape.renderVideo!({ log: bad, format: 'mp4' }).then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${e.message}`,
      );
    }, LOG);
    console.log(`bad log: ${message.replace(/\n/g, ' | ')}`);
    expect(message).toMatch(/^ShowLogProblemsError/);
    expect(message).toContain('$.seed');
    expect(message).toContain('$.entries[0].t');
  });

  it('a codec the browser refuses at a size is refused saying what it can encode', async () => {
    const message = await page.evaluate(async () => {
      // As a browser without H.264 would answer (mediabunny asks VideoEncoder.isConfigSupported).
      const real = VideoEncoder.isConfigSupported.bind(VideoEncoder);
      VideoEncoder.isConfigSupported = (config: VideoEncoderConfig) => (config.codec.startsWith('avc') ? Promise.resolve({ supported: false, config }) : real(config));
      try {
        return await window.dreamscape.renderVideo!({ preset: 'dream-temple', seconds: 1, width: 800, height: 450, format: 'mp4' }).then(
          () => 'resolved',
          (e: Error) => `${e.name}: ${e.message}`,
        );
      } finally {
        VideoEncoder.isConfigSupported = real;
      }
    });
    console.log(`refused: ${message}`);
    expect(message).toMatch(/^RenderCodecError: this browser cannot encode H\.264 \(avc\) at 800x450/);
    expect(message).toContain('it can encode VP9');
  });

  it('renders as the audience sees (a private dreamer veiled) unless private: true', async () => {
    page ??= await openPaused('render-a');
    const [audience, own] = await page.evaluate(async () => {
      const one = (priv: boolean) => window.dreamscape.renderVideo!({ preset: 'dream-hub', seconds: 0.5, width: 640, height: 360, format: 'mp4', audio: false, private: priv }, { inspect: { keep: [14] } }).then((r) => r.kept![14]!);
      return [await one(false), await one(true)];
    });
    const d = compare(pixels(audience), pixels(own));
    await savePng(page, 'dream-hub-audience.png', flipRows(pixels(audience), 640, 360), 640, 360);
    await savePng(page, 'dream-hub-private.png', flipRows(pixels(own), 640, 360), 640, 360);
    console.log(`dream-hub at 0.47 s, as the audience sees it vs a private render: mean |diff| ${d.meanAbs.toFixed(2)} of 255`);
    expect(d.meanAbs).toBeGreaterThan(0.5);
  });

  it('the music of a show longer than one chunk (60 s to WAV: two offline renders) joins without a gap or a click', async () => {
    page ??= await openPaused('render-a');
    const b64 = await page.evaluate(async () => {
      const r = await window.dreamscape.renderVideo!({ preset: 'dream-temple', seconds: 60, format: 'wav' });
      const u8 = new Uint8Array(await r.blob!.arrayBuffer());
      let bin = '';
      for (let i = 0; i < u8.length; i += 8192) bin += String.fromCharCode(...u8.subarray(i, i + 8192));
      return btoa(bin);
    });
    const wav = Buffer.from(b64, 'base64');
    const dataAt = wav.indexOf('data');
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + dataAt + 8, wav.byteOffset + wav.length));
    const frames = samples.length / 2;
    const rms = (from: number, n: number) => {
      let sq = 0;
      for (let i = from; i < from + n; i++) sq += (samples[2 * i]! / 32768) ** 2;
      return Math.sqrt(sq / n);
    };
    const jump = (from: number, to: number) => {
      let m = 0;
      for (let i = from; i < to; i++) m = Math.max(m, Math.abs(samples[2 * i]! - samples[2 * i - 2]!) / 32768);
      return m;
    };
    // The chunks' kept parts are 56.98 s (60 s less the 3 s pre-roll and the 20 ms crossfade).
    const boundary = Math.round(56.98 * 48000);
    const around = [-0.2, -0.05, 0, 0.05, 0.2].map((dt) => rms(boundary + Math.round(dt * 48000), 2400));
    const atBoundary = jump(boundary - 480, boundary + 1440);
    const elsewhere = Math.max(jump(20 * 48000, 20 * 48000 + 1920), jump(40 * 48000, 40 * 48000 + 1920));
    console.log(`60 s WAV: ${frames} frames; RMS in 50 ms windows around the join at 56.98 s: ${around.map((v) => v.toFixed(3)).join(', ')}; largest step between samples there ${atBoundary.toFixed(3)}, at 20 s and 40 s ${elsewhere.toFixed(3)}`);
    expect(frames).toBe(60 * 48000);
    for (const v of around) expect(v).toBeGreaterThan(0.3 * Math.max(...around));
    expect(atBoundary).toBeLessThanOrEqual(Math.max(0.05, 2 * elsewhere));
  });

  it('the performer view: Render video… opens a dialog with the options and a progress bar, and the file is saved when done', async () => {
    page ??= await openPaused('render-a');
    // The side column needs more room than 640x360.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: `${OUT}/performer-view.png` });
    await page.getByTestId('render-video').click();
    const dialog = page.getByTestId('render-video-dialog');
    await dialog.getByLabel('size').selectOption('640x360');
    await dialog.getByLabel('to (s)').fill('1');
    await dialog.getByLabel('format').selectOption('webm');
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('render-video-start').click();
    await page.getByTestId('render-video-progress').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${OUT}/dialog-progress.png` });
    const file = await download;
    const saved = `${OUT}/${file.suggestedFilename()}`;
    await file.saveAs(saved);
    const result = await page.getByTestId('render-video-result').textContent();
    await page.screenshot({ path: `${OUT}/dialog-done.png` });
    console.log(`dialog: ${result}; ${saved}, ${readFileSync(saved).length} bytes`);
    expect(file.suggestedFilename()).toMatch(/^dream-temple-\d{4}-\d{2}-\d{2}-\d{4}\.webm$/);
    expect(result).toMatch(/30 frames, 1\.0 s/);
    // WebM's EBML magic.
    expect([...readFileSync(saved).subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  });
});
