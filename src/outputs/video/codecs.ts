/**
 * Which codecs this browser's WebCodecs will encode for a render, asked of the encoders themselves
 * (mediabunny's canEncode* build the codec string for the size, H.264's level among it, and call
 * VideoEncoder/AudioEncoder.isConfigSupported). A refusal says what was refused and what the
 * browser can do instead.
 */
import { canEncodeAudio, canEncodeVideo, Quality } from 'mediabunny';
import type { AudioCodec, VideoCodec } from 'mediabunny';
import type { CheckedRender } from './options.ts';
import { SAMPLE_RATE } from './options.ts';

export interface RenderCodecs {
  video: VideoCodec | null;
  audio: AudioCodec | null;
}

export class RenderCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderCodecError';
  }
}

const NAMES: Partial<Record<VideoCodec | AudioCodec, string>> = { avc: 'H.264 (avc)', vp9: 'VP9', vp8: 'VP8', av1: 'AV1', aac: 'AAC', opus: 'Opus', 'pcm-s16': '16-bit PCM' };
const name = (c: VideoCodec | AudioCodec): string => NAMES[c] ?? c;

const SIZES = [
  [3840, 2160],
  [2560, 1440],
  [1920, 1080],
  [1280, 720],
  [640, 360],
] as const;

const videoOk = (codec: VideoCodec, width: number, height: number, bitrate: number, fps: number): Promise<boolean> =>
  canEncodeVideo(codec, { width, height, quality: new Quality({ bitrate }), frameRate: fps }).catch(() => false);

/** What the browser can encode instead, for the message: other codecs at this size, this codec at other sizes. */
const whatItCan = async (codec: VideoCodec, r: CheckedRender): Promise<string> => {
  const others: string[] = [];
  for (const c of ['avc', 'vp9', 'vp8', 'av1'] as const) if (c !== codec && (await videoOk(c, r.width, r.height, r.videoBitrate, r.fps))) others.push(name(c));
  const sizes: string[] = [];
  for (const [w, h] of SIZES) if (w * h !== r.width * r.height && (await videoOk(codec, w, h, r.videoBitrate, r.fps))) sizes.push(`${w}x${h}`);
  const a = others.length ? `at ${r.width}x${r.height} it can encode ${others.join(', ')}` : `it can encode no video codec at ${r.width}x${r.height}`;
  const b = sizes.length ? `; ${name(codec)} it encodes at ${sizes.join(', ')}` : `; ${name(codec)} at none of ${SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}`;
  return a + b;
};

/** The video codec for a format: mp4 is H.264, webm VP9. */
export const VIDEO_CODEC: Record<'mp4' | 'webm', VideoCodec> = { mp4: 'avc', webm: 'vp9' };

/** The audio codec: AAC in mp4 where the browser encodes it, else Opus; Opus in webm; PCM in wav. */
const chooseAudio = async (r: CheckedRender): Promise<AudioCodec> => {
  if (r.format === 'wav') return 'pcm-s16';
  const options = { numberOfChannels: 2, sampleRate: SAMPLE_RATE, quality: new Quality({ bitrate: r.audioBitrate }) };
  if (r.format === 'mp4' && (await canEncodeAudio('aac', options).catch(() => false))) return 'aac';
  if (await canEncodeAudio('opus', options).catch(() => false)) return 'opus';
  throw new RenderCodecError(`this browser encodes neither AAC nor Opus audio (AudioEncoder.isConfigSupported refused both at ${SAMPLE_RATE} Hz stereo): render with audio: false (--no-audio) or to .wav`);
};

/** The codecs for a render, or a RenderCodecError saying what was refused and what the browser can. */
export const chooseCodecs = async (r: CheckedRender): Promise<RenderCodecs> => {
  if (typeof VideoEncoder === 'undefined' && r.format !== 'wav') throw new RenderCodecError('this browser has no WebCodecs VideoEncoder: only .wav can be rendered here');
  let video: VideoCodec | null = null;
  if (r.format !== 'wav') {
    video = VIDEO_CODEC[r.format];
    if (!(await videoOk(video, r.width, r.height, r.videoBitrate, r.fps))) {
      throw new RenderCodecError(`this browser cannot encode ${name(video)} at ${r.width}x${r.height}, ${r.fps} fps (VideoEncoder.isConfigSupported refused it); ${await whatItCan(video, r)}`);
    }
  }
  const audio = r.audio ? await chooseAudio(r) : null;
  return { video, audio };
};

export const codecName = name;
