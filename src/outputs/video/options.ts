/**
 * What a render to a file is asked for, checked: pure (no DOM, no WebCodecs), tested in Node.
 * The renderer (render.ts), the dialog and the command line all go through `checkRenderOptions`.
 */

export const FORMATS = ['mp4', 'webm', 'wav'] as const;
export type VideoFormat = (typeof FORMATS)[number];
export const FRAME_RATES = [24, 25, 30, 50, 60] as const;
export const QUALITIES = ['low', 'medium', 'high'] as const;
export type RenderQuality = (typeof QUALITIES)[number];

export const DEFAULT_SIZE = { width: 1280, height: 720 } as const;
export const MAX_SIZE = { width: 3840, height: 2160 } as const;
export const DEFAULT_FPS = 30;
/** A preset rendered without a log plays this long unless told. */
export const DEFAULT_PRESET_SECONDS = 30;
/** The longest render: a show log's own limit is a day, a file of that is not what this is for. */
export const MAX_RENDER_SECONDS = 4 * 3600;
/** The audio's sample rate: Opus is 48 kHz. */
export const SAMPLE_RATE = 48_000;

/** Video bits per second at 1280x720, 30 fps; scaled by pixels per second for other sizes and rates. */
export const BITRATE_720P30: Record<RenderQuality, number> = { low: 2_000_000, medium: 5_000_000, high: 10_000_000 };
/** Audio bits per second (Opus or AAC). */
export const AUDIO_BITRATE: Record<RenderQuality, number> = { low: 96_000, medium: 160_000, high: 256_000 };

export interface RenderVideoOptions {
  /** A show log (checked: a bad one is refused with its problems); without it, `preset` plays by itself. */
  log?: unknown;
  /** A bundled preset id (or a preset object) whose own acts play, when there is no log. */
  preset?: unknown;
  /** Seconds to render (from `from`); default: to the log's end, or 30 s of a preset. */
  seconds?: number;
  /** Dream time to start at (s, default 0) and to stop at (default from + seconds). */
  from?: number;
  to?: number;
  width?: number;
  height?: number;
  fps?: number;
  format: VideoFormat;
  /** The performer's own render: private dreamers seen and heard. Default: as the audience sees them. */
  private?: boolean;
  /** Bitrate: low, medium (default) or high. */
  quality?: RenderQuality;
  /** false: picture only (no audio track). wav is audio only. */
  audio?: boolean;
  onProgress?: (progress: RenderProgress) => void;
}

export interface RenderProgress {
  frames: number;
  totalFrames: number;
  /** Frames a second so far (wall clock). */
  fps: number;
  /** Seconds left at this speed. */
  secondsLeft: number;
  /** 'audio': rendering the symphony's next chunk; 'video': drawing and encoding; 'finishing'. */
  stage: 'audio' | 'video' | 'finishing';
  bytes: number;
}

export interface CheckedRender {
  format: VideoFormat;
  from: number;
  to: number;
  width: number;
  height: number;
  fps: number;
  frames: number;
  quality: RenderQuality;
  private: boolean;
  audio: boolean;
  videoBitrate: number;
  audioBitrate: number;
}

export class RenderOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderOptionsError';
  }
}

/** A value as a message shows it. */
const shown = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? typeof v));

const fail = (message: string): never => {
  throw new RenderOptionsError(`renderVideo: ${message}`);
};

const finite = (name: string, v: unknown, min: number): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(`${name} must be a number ≥ ${min}, got ${shown(v)}`);
  return v as number;
};

const dimension = (name: 'width' | 'height', v: unknown): number => {
  const d = v ?? DEFAULT_SIZE[name];
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 16 || d > MAX_SIZE[name]) fail(`${name} must be a whole number of pixels from 16 to ${MAX_SIZE[name]}, got ${shown(d)}`);
  // H.264 and VP9 in 4:2:0 want even sizes.
  if ((d as number) % 2 !== 0) fail(`${name} must be even (the encoders take 4:2:0 pictures), got ${shown(d)}`);
  return d as number;
};

/** Video bitrate for a size and frame rate: the 720p30 figure scaled by pixels a second, at least 250 kbit/s. */
export const videoBitrate = (quality: RenderQuality, width: number, height: number, fps: number): number =>
  Math.max(250_000, Math.round((BITRATE_720P30[quality] * (width * height * fps)) / (1280 * 720 * 30)));

/** The time range: `from`, and `to` or `seconds`, or the log's end (`duration`), or 30 s of a preset. */
const timeRange = (o: RenderVideoOptions, duration: number | null): { from: number; to: number } => {
  const from = finite('from', o.from, 0) ?? 0;
  const seconds = finite('seconds', o.seconds, 0);
  const to = finite('to', o.to, 0);
  if (seconds !== undefined && to !== undefined && Math.abs(from + seconds - to) > 1e-9) fail(`give seconds or to, not both (from ${from} + seconds ${seconds} is not to ${to})`);
  const end = to ?? (seconds !== undefined ? from + seconds : duration !== null && duration > from ? duration : from + DEFAULT_PRESET_SECONDS);
  if (!(end > from)) fail(`nothing to render: from ${from} s to ${end} s`);
  if (end - from > MAX_RENDER_SECONDS) fail(`at most ${MAX_RENDER_SECONDS} s in one render, asked for ${end - from} s`);
  return { from, to: end };
};

/**
 * Check the options (not the log or the preset: the renderer checks those with the model's own
 * validation). `duration`: the log's last entry (null for a preset alone).
 */
export const checkRenderOptions = (o: RenderVideoOptions, duration: number | null): CheckedRender => {
  if (typeof o !== 'object' || o === null) return fail('pass {format, log? | preset?, seconds?, width?, height?, fps?, ...}');
  if (!FORMATS.includes(o.format)) fail(`format must be one of ${FORMATS.join(', ')}, got ${shown(o.format)}`);
  const fps = o.fps ?? DEFAULT_FPS;
  if (!(FRAME_RATES as readonly number[]).includes(fps)) fail(`fps must be one of ${FRAME_RATES.join(', ')}, got ${shown(o.fps)}`);
  const quality = o.quality ?? 'medium';
  if (!QUALITIES.includes(quality)) fail(`quality must be one of ${QUALITIES.join(', ')}, got ${shown(o.quality)}`);
  const width = dimension('width', o.width);
  const height = dimension('height', o.height);
  const { from, to } = timeRange(o, duration);
  const audio = o.format === 'wav' ? true : o.audio !== false;
  // Frames at t = from + n/fps for every n with t < to (a frame is shown for 1/fps from its time).
  const frames = Math.max(1, Math.round((to - from) * fps - 1e-6));
  return { format: o.format, from, to: from + frames / fps, width, height, fps, frames, quality, private: o.private === true, audio, videoBitrate: videoBitrate(quality, width, height, fps), audioBitrate: AUDIO_BITRATE[quality] };
};

/** The file name's extension for a format, and its MIME type. */
export const MIME: Record<VideoFormat, string> = { mp4: 'video/mp4', webm: 'video/webm', wav: 'audio/wav' };

/** The format a file name asks for by its extension, or null. */
export const formatOfFile = (name: string): VideoFormat | null => {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  const ext = m?.[1]?.toLowerCase();
  return (FORMATS as readonly string[]).includes(ext ?? '') ? (ext as VideoFormat) : null;
};

/** "1280x720" → {width, height}, or null. */
export const parseSize = (text: string): { width: number; height: number } | null => {
  const m = /^(\d{1,5})x(\d{1,5})$/i.exec(text.trim());
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
};

/** m:ss of seconds (progress and time left). */
export const clockText = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(r).padStart(2, '0')}`;
};
