import { describe, expect, it } from 'vitest';
import { checkRenderOptions, clockText, formatOfFile, parseSize, RenderOptionsError, videoBitrate } from '../../../src/outputs/video/options.ts';

describe('render options', () => {
  it('defaults: 1280x720, 30 fps, medium, audio, as the audience sees; a log renders to its end, a preset 30 s', () => {
    const log = checkRenderOptions({ format: 'mp4' }, 12.5);
    expect(log).toMatchObject({ width: 1280, height: 720, fps: 30, from: 0, to: 12.5, frames: 375, quality: 'medium', audio: true, private: false });
    expect(checkRenderOptions({ format: 'webm' }, null)).toMatchObject({ to: 30, frames: 900 });
  });

  it('frames are t = from + n/fps for every t before the end', () => {
    expect(checkRenderOptions({ format: 'mp4', seconds: 4, fps: 30 }, null).frames).toBe(120);
    expect(checkRenderOptions({ format: 'mp4', from: 10, to: 12, fps: 24 }, null)).toMatchObject({ frames: 48, from: 10, to: 12 });
    expect(checkRenderOptions({ format: 'mp4', seconds: 0.01, fps: 60 }, null).frames).toBe(1);
  });

  it('refuses what cannot be rendered, saying what is allowed', () => {
    const bad: [Parameters<typeof checkRenderOptions>[0], RegExp][] = [
      [{ format: 'avi' as never }, /format must be one of mp4, webm, wav/],
      [{ format: 'mp4', fps: 29 }, /fps must be one of 24, 25, 30, 50, 60/],
      [{ format: 'mp4', width: 7680 }, /width .* 16 to 3840/],
      [{ format: 'mp4', height: 361 }, /height must be even/],
      [{ format: 'mp4', quality: 'ultra' as never }, /quality must be one of low, medium, high/],
      [{ format: 'mp4', from: 5, to: 5 }, /nothing to render/],
      [{ format: 'mp4', seconds: 2, to: 3 }, /seconds or to, not both/],
      [{ format: 'mp4', seconds: -1 }, /seconds must be a number/],
      [{ format: 'mp4', seconds: 5 * 3600 }, /at most 14400 s/],
    ];
    for (const [o, message] of bad) {
      expect(() => checkRenderOptions(o, null)).toThrow(RenderOptionsError);
      expect(() => checkRenderOptions(o, null)).toThrow(message);
    }
  });

  it('wav is audio whatever audio says; --no-audio is picture only', () => {
    expect(checkRenderOptions({ format: 'wav', audio: false }, null).audio).toBe(true);
    expect(checkRenderOptions({ format: 'mp4', audio: false }, null).audio).toBe(false);
  });

  it('bitrate scales with pixels a second from the 720p30 figure', () => {
    expect(videoBitrate('medium', 1280, 720, 30)).toBe(5_000_000);
    expect(videoBitrate('high', 1920, 1080, 60)).toBe(45_000_000);
    expect(videoBitrate('low', 640, 360, 24)).toBe(400_000);
    expect(videoBitrate('low', 16, 16, 24)).toBe(250_000);
  });

  it('the file name chooses the format; sizes and times read and print', () => {
    expect(formatOfFile('show.MP4')).toBe('mp4');
    expect(formatOfFile('a/b.webm')).toBe('webm');
    expect(formatOfFile('x.wav')).toBe('wav');
    expect(formatOfFile('x.mov')).toBeNull();
    expect(parseSize('1920x1080')).toEqual({ width: 1920, height: 1080 });
    expect(parseSize('1920*1080')).toBeNull();
    expect(clockText(75)).toBe('1:15');
    expect(clockText(3725)).toBe('1:02:05');
    expect(clockText(Infinity)).toBe('--:--');
  });
});
