import { describe, expect, it } from 'vitest';
import { EXIT, pageFailure, parseArgs, readShow } from '../../scripts/render.ts';

/** npm run render's parts that need no browser: arguments, the show, and what a page's error exits with. */
describe('npm run render, without a browser', () => {
  it('reads its arguments; the extension chooses the format', () => {
    const a = parseArgs(['show.json', '--out', 'x.webm', '--seconds', '10', '--size', '1920x1080', '--fps', '60', '--from', '5', '--quality', 'high', '--no-audio', '--private']);
    expect(a.input).toBe('show.json');
    expect(a.out).toMatch(/\/x\.webm$/);
    expect(a.options).toEqual({ format: 'webm', seconds: 10, width: 1920, height: 1080, fps: 60, from: 5, quality: 'high', audio: false, private: true });
    for (const bad of [['x'], ['x', '--out', 'y.mkv'], ['x', '--out', 'y.mp4', '--size', 'big'], ['x', '--out', 'y.mp4', '--quality', 'best'], ['x', '--out', 'y.mp4', '--seconds'], ['x', 'y', '--out', 'y.mp4'], ['x', '--out', 'y.mp4', '--loud']])
      expect(() => parseArgs(bad)).toThrow(expect.objectContaining({ code: EXIT.usage }) as Error);
  });

  it('a bundled preset id is a show; anything else that is no file is refused', () => {
    expect(readShow('dream-hub')).toEqual({ preset: 'dream-hub', duration: null });
    expect(() => readShow('no-such-thing')).toThrow(expect.objectContaining({ code: EXIT.badLog }) as Error);
  });

  it("a page's refusal becomes the exit code it stands for", () => {
    expect(pageFailure(new Error('page.evaluate: RenderCodecError: this browser cannot encode H.264 (avc) at 3840x2160, 60 fps (VideoEncoder.isConfigSupported refused it); at 3840x2160 it can encode VP9\n    at x')).code).toBe(EXIT.codec);
    expect(pageFailure(new Error('page.evaluate: ShowLogProblemsError: $.seed: too small')).code).toBe(EXIT.badLog);
    expect(pageFailure(new Error('page.evaluate: RenderOptionsError: renderVideo: fps must be one of 24, 25, 30, 50, 60, got 29')).code).toBe(EXIT.usage);
    expect(pageFailure(new Error('page.evaluate: Error: out of memory')).code).toBe(EXIT.failed);
  });
});
