/**
 * Render a show log (or a preset playing by itself) to a file: every frame drawn at exactly
 * t = from + n / fps of dream time on a picture of its own (picture.tsx), the symphony rendered
 * offline from the same log in chunks (audio-track.ts), both encoded by WebCodecs and muxed by
 * mediabunny into MP4 (H.264 + AAC or Opus), WebM (VP9 + Opus) or WAV. The file streams out as it
 * is made: into a Blob a few megabytes at a time in the page (blob-writer.ts), or through `write`
 * (the command line writes each chunk to disk at its position).
 *
 * Drawing and encoding overlap: a frame is handed to the encoder (its own thread) and the next one
 * drawn at once; only when four frames wait does the loop wait for one (mediabunny's backpressure).
 */
import { AudioBufferSource, CanvasSource, Mp4OutputFormat, Output, Quality, StreamTarget, WavOutputFormat, WebMOutputFormat } from 'mediabunny';
import { logDuration, resolvePreset, SHOW_LOG_FORMAT, SHOW_LOG_VERSION, validatePreset, validateShowLog } from '../../model/index.ts';
import type { ShowLog } from '../../model/index.ts';
import { bundledPreset, bundledPresetIds } from '../../store/bundled-presets.ts';
import { ShowLogProblemsError } from '../../log/show-log-module.ts';
import { checkRenderOptions, MIME } from './options.ts';
import type { CheckedRender, RenderProgress, RenderVideoOptions } from './options.ts';
import { chooseCodecs } from './codecs.ts';
import type { RenderCodecs } from './codecs.ts';
import { RenderPicture } from './picture.tsx';
import { AudioTrackRenderer } from './audio-track.ts';
import { BlobWriter, positionalStream } from './blob-writer.ts';

export interface RenderVideoResult {
  frames: number;
  seconds: number;
  bytes: number;
  /** The file (null when it was streamed elsewhere through `write`). */
  blob: Blob | null;
  mimeType: string;
  codecs: RenderCodecs;
  width: number;
  height: number;
  fps: number;
  /** Wall-clock seconds the render took, and frames drawn and encoded a second. */
  renderSeconds: number;
  framesPerSecond: number;
  /** With `inspect.hashes`: each frame's SHA-256 of its pixels before encoding (hex). */
  frameHashes?: string[];
  /** With `inspect.keep`: those frames' pixels before encoding (RGBA, rows from the bottom, base64). */
  kept?: Record<number, string>;
}

/** What the command line and the tests add (not for scripts). */
export interface RenderHooks {
  /** Write the file's chunks here (at their byte positions) instead of into a Blob. */
  write?: (position: number, data: Uint8Array) => void | Promise<void>;
  inspect?: { hashes?: boolean; keep?: number[] };
  signal?: AbortSignal;
  /** The bench's reference: the same pipeline encoding a plain 2D canvas (a moving gradient) instead of the dream. */
  plainCanvas?: boolean;
}

/** What the loop draws on: the dream's picture, or the bench's plain canvas. */
type Picture = Pick<RenderPicture, 'canvas' | 'drawAt' | 'readPixels' | 'dispose'>;

/** A plain canvas for the bench: a gradient moved each frame (so every frame differs, as the dream's do). */
const plainPicture = (width: number, height: number): Picture => {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const drawAt = (t: number) => {
    const g = ctx.createLinearGradient(0, 0, width, height);
    g.addColorStop(0, `hsl(${(t * 40) % 360} 70% 40%)`);
    g.addColorStop(1, `hsl(${(t * 40 + 180) % 360} 70% 20%)`);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  };
  drawAt(0);
  const readPixels = () => new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer);
  return { canvas, drawAt, readPixels, dispose: () => undefined };
};

export class RenderCancelledError extends Error {
  constructor() {
    super('renderVideo: cancelled (no file was made)');
    this.name = 'RenderCancelledError';
  }
}

/** The log to render: checked (problems with their paths), or a log of a preset with no entries. */
export const logToRender = (options: RenderVideoOptions): ShowLog => {
  if (options.log !== undefined) {
    const checked = validateShowLog(options.log);
    if (!checked.ok) throw new ShowLogProblemsError(checked.problems);
    return checked.log;
  }
  const raw = typeof options.preset === 'string' ? bundledPreset(options.preset) : (options.preset ?? bundledPreset('dream-temple'));
  if (raw === undefined) throw new Error(`renderVideo: no bundled preset '${String(options.preset)}'; bundled: ${bundledPresetIds().join(', ')}`);
  const r = validatePreset(raw);
  if (!r.ok) throw new ShowLogProblemsError(r.problems.map((p) => ({ ...p, path: p.path.replace(/^\$/, '$.preset') })));
  return { format: SHOW_LOG_FORMAT, version: SHOW_LOG_VERSION, preset: r.preset, seed: resolvePreset(r.preset).seed, entries: [] };
};

const yieldToPage = (): Promise<void> =>
  new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (px: Uint8Array): string => {
  let bin = '';
  for (let i = 0; i < px.length; i += 8192) bin += String.fromCharCode(...px.subarray(i, i + 8192));
  return btoa(bin);
};

interface Pipeline {
  output: Output;
  video: CanvasSource | null;
  audio: AudioBufferSource | null;
  writer: BlobWriter | null;
  bytes: () => number;
}

const openOutput = (r: CheckedRender, codecs: RenderCodecs, canvas: HTMLCanvasElement | null, hooks: RenderHooks): Pipeline => {
  const writer = hooks.write ? null : new BlobWriter(MIME[r.format]);
  let written = 0;
  const stream = positionalStream(async (position, data) => {
    written = Math.max(written, position + data.length);
    if (writer) writer.write(position, data);
    else await hooks.write!(position, data);
  });
  const format = r.format === 'mp4' ? new Mp4OutputFormat({ fastStart: false }) : r.format === 'webm' ? new WebMOutputFormat() : new WavOutputFormat();
  const output = new Output({ format, target: new StreamTarget(stream, { chunked: true, chunkSize: 1 << 20 }) });
  const video = codecs.video && canvas ? new CanvasSource(canvas, { codec: codecs.video, quality: new Quality({ bitrate: r.videoBitrate }), keyFrameInterval: 2, latencyMode: 'quality' }) : null;
  if (video) output.addVideoTrack(video, { frameRate: r.fps });
  const audio = codecs.audio ? new AudioBufferSource(codecs.audio === 'pcm-s16' ? { codec: 'pcm-s16' } : { codec: codecs.audio, quality: new Quality({ bitrate: r.audioBitrate }) }) : null;
  if (audio) output.addAudioTrack(audio);
  return { output, video, audio, writer, bytes: () => (writer ? writer.size : written) };
};

/** Render a show to a file. */
export const renderVideo = async (options: RenderVideoOptions, hooks: RenderHooks = {}): Promise<RenderVideoResult> => {
  const log = logToRender(options);
  const r = checkRenderOptions(options, options.log !== undefined ? logDuration(log) : null);
  const codecs = await chooseCodecs(r);
  const picture: Picture | null = !codecs.video ? null : hooks.plainCanvas ? plainPicture(r.width, r.height) : await RenderPicture.create(log, { width: r.width, height: r.height, audience: !r.private }, r.from);
  const audio = codecs.audio ? new AudioTrackRenderer(log, r.from, r.to, !r.private) : null;
  const t0 = performance.now();
  let pipe: Pipeline | null = null;
  try {
    pipe = openOutput(r, codecs, picture?.canvas ?? null, hooks);
    await pipe.output.start();
    const inspected = await drawAndEncode(r, pipe, picture, audio, hooks, options.onProgress, t0);
    report(options.onProgress, r, r.frames, t0, 'finishing', pipe.bytes());
    await pipe.output.finalize();
    const renderSeconds = (performance.now() - t0) / 1000;
    const blob = pipe.writer ? pipe.writer.finish() : null;
    return {
      frames: picture ? r.frames : 0,
      seconds: r.to - r.from,
      bytes: pipe.bytes(),
      blob,
      mimeType: MIME[r.format],
      codecs,
      width: r.width,
      height: r.height,
      fps: r.fps,
      renderSeconds,
      framesPerSecond: picture ? r.frames / renderSeconds : 0,
      ...inspected,
    };
  } catch (e) {
    if (pipe && pipe.output.state !== 'canceled' && pipe.output.state !== 'finalized') await pipe.output.cancel().catch(() => undefined);
    throw e;
  } finally {
    picture?.dispose();
  }
};

const report = (onProgress: RenderVideoOptions['onProgress'], r: CheckedRender, frames: number, t0: number, stage: RenderProgress['stage'], bytes: number): void => {
  if (!onProgress) return;
  const elapsed = (performance.now() - t0) / 1000;
  const fps = elapsed > 0 ? frames / elapsed : 0;
  try {
    onProgress({ frames, totalFrames: r.frames, fps, secondsLeft: fps > 0 ? (r.frames - frames) / fps : Infinity, stage, bytes });
  } catch {
    /* a progress listener's error is not the render's */
  }
};

/** Audio up to dream time t is in the output (a chunk at a time, ahead of the picture). */
const audioUpTo = async (audio: AudioTrackRenderer | null, source: AudioBufferSource | null, t: number, check: () => void): Promise<void> => {
  if (!audio || !source) return;
  while (audio.renderedTo <= t + 1e-9) {
    const buffer = await audio.nextChunk();
    check();
    if (!buffer) break;
    await source.add(buffer);
  }
};

const drawAndEncode = async (
  r: CheckedRender,
  pipe: Pipeline,
  picture: Picture | null,
  audio: AudioTrackRenderer | null,
  hooks: RenderHooks,
  onProgress: RenderVideoOptions['onProgress'],
  t0: number,
): Promise<Pick<RenderVideoResult, 'frameHashes' | 'kept'>> => {
  const check = () => {
    if (hooks.signal?.aborted) throw new RenderCancelledError();
  };
  const hashes: string[] = [];
  const kept: Record<number, string> = {};
  const keep = new Set(hooks.inspect?.keep ?? []);
  if (!picture || !pipe.video) {
    report(onProgress, r, 0, t0, 'audio', pipe.bytes());
    await audioUpTo(audio, pipe.audio, Infinity, check);
    pipe.audio?.close();
    return {};
  }
  for (let n = 0; n < r.frames; n++) {
    const t = r.from + n / r.fps;
    if (audio && audio.renderedTo <= t + 1e-9) report(onProgress, r, n, t0, 'audio', pipe.bytes());
    await audioUpTo(audio, pipe.audio, t, check);
    if (n > 0) picture.drawAt(t);
    if (hooks.inspect?.hashes || keep.has(n)) {
      const px = picture.readPixels();
      if (hooks.inspect?.hashes) hashes.push(hex(await crypto.subtle.digest('SHA-256', px)));
      if (keep.has(n)) kept[n] = base64(px);
    }
    // Captures the canvas now; waits only while four frames wait for the encoder.
    await pipe.video.add(n / r.fps, 1 / r.fps);
    check();
    report(onProgress, r, n + 1, t0, 'video', pipe.bytes());
    // Let the page draw the live show between two frames of the render.
    await yieldToPage();
  }
  await audioUpTo(audio, pipe.audio, Infinity, check);
  pipe.video.close();
  pipe.audio?.close();
  return { ...(hooks.inspect?.hashes ? { frameHashes: hashes } : {}), ...(keep.size ? { kept } : {}) };
};
