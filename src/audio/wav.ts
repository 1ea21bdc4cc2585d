/**
 * A WAV (RIFF, PCM) encoder for rendered audio: 16-bit by default, or 32-bit float.
 * Samples are clamped to -1..1 and rounded; no dither (the master limiter already keeps
 * peaks at or below -1 dBFS).
 */
export interface WavOptions {
  bitDepth?: 16 | 32;
}

export const encodeWav = (channels: readonly Float32Array[], sampleRate: number, options: WavOptions = {}): ArrayBuffer => {
  const bitDepth = options.bitDepth ?? 16;
  const float = bitDepth === 32;
  const n = channels.length;
  if (n === 0) throw new RangeError('encodeWav: no channels');
  const frames = Math.min(...channels.map((c) => c.length));
  const bytesPerSample = bitDepth / 8;
  const dataBytes = frames * n * bytesPerSample;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? 3 : 1, true);
  view.setUint16(22, n, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * n * bytesPerSample, true);
  view.setUint16(32, n * bytesPerSample, true);
  view.setUint16(34, bitDepth, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < n; c++) {
      const raw = channels[c]![i]!;
      const v = Number.isFinite(raw) ? Math.max(-1, Math.min(1, raw)) : 0;
      if (float) view.setFloat32(at, v, true);
      else view.setInt16(at, v < 0 ? Math.round(v * 0x8000) : Math.round(v * 0x7fff), true);
      at += bytesPerSample;
    }
  }
  return buffer;
};

/** Read back a WAV made by encodeWav (for tests and for checking an export). */
export const decodeWav = (buffer: ArrayBuffer): { sampleRate: number; channels: Float32Array[] } => {
  const view = new DataView(buffer);
  const tag = (at: number) => String.fromCharCode(...new Uint8Array(buffer, at, 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  const format = view.getUint16(20, true);
  const n = view.getUint16(22, true);
  const sampleRate = view.getUint32(24, true);
  const bitDepth = view.getUint16(34, true);
  const dataBytes = view.getUint32(40, true);
  const bytes = bitDepth / 8;
  const frames = dataBytes / (n * bytes);
  const channels = Array.from({ length: n }, () => new Float32Array(frames));
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < n; c++) {
      channels[c]![i] = format === 3 ? view.getFloat32(at, true) : view.getInt16(at, true) / (view.getInt16(at, true) < 0 ? 0x8000 : 0x7fff);
      at += bytes;
    }
  }
  return { sampleRate, channels };
};
