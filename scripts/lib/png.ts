import { deflateSync, inflateSync } from 'node:zlib';

/**
 * A minimal PNG writer and reader for the picture tests' own files: 8-bit RGBA, no interlace,
 * every row with filter 0 (so the reader reads only what the writer writes). Rows top first.
 */

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const chunk = (type: string, data: Uint8Array): Buffer => {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
};

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Picture {
  width: number;
  height: number;
  /** RGBA, rows top first. */
  rgba: Uint8Array;
}

export const encodePng = ({ width, height, rgba }: Picture): Buffer => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
};

export const decodePng = (file: Buffer): Picture => {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let at = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (at < file.length) {
    const length = file.readUInt32BE(at);
    const type = file.toString('ascii', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0) throw new Error('only 8-bit RGBA, not interlaced');
    } else if (type === 'IDAT') data.push(body);
    at += length + 12;
  }
  const raw = inflateSync(Buffer.concat(data));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    if (raw[row] !== 0) throw new Error(`row ${y}: filter ${raw[row]} (only 0 is read)`);
    rgba.set(raw.subarray(row + 1, row + 1 + width * 4), y * width * 4);
  }
  return { width, height, rgba };
};

/** Mean absolute difference per channel (0..255) and the share of pixels differing by more than `tolerance` in any channel. */
export const comparePictures = (a: Picture, b: Picture, tolerance = 8): { mean: number; differing: number } => {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  let differing = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    let worst = 0;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.rgba[i + c]! - b.rgba[i + c]!);
      sum += d;
      worst = Math.max(worst, d);
    }
    if (worst > tolerance) differing++;
  }
  return { mean: sum / ((a.rgba.length / 4) * 3), differing: differing / (a.rgba.length / 4) };
};

/**
 * The share of the picture that shows detail: blocks of `block` pixels whose luminance (0..255,
 * Rec. 709 weights on the sRGB values) varies by a standard deviation over `threshold`. Tiles,
 * threads and particles are detail; a soft sky is not. A dream that fills its screen has detail
 * everywhere; one floating in the middle third of a phone has it in a third.
 */
export const detailShare = ({ width, height, rgba }: Picture, block = 16, threshold = 6): number => {
  let shown = 0;
  let blocks = 0;
  for (let by = 0; by + block <= height; by += block) {
    for (let bx = 0; bx + block <= width; bx += block) {
      let sum = 0;
      let sq = 0;
      for (let y = by; y < by + block; y++) {
        for (let x = bx; x < bx + block; x++) {
          const i = (y * width + x) * 4;
          const l = 0.2126 * rgba[i]! + 0.7152 * rgba[i + 1]! + 0.0722 * rgba[i + 2]!;
          sum += l;
          sq += l * l;
        }
      }
      const n = block * block;
      const sd = Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
      blocks++;
      if (sd > threshold) shown++;
    }
  }
  return blocks ? shown / blocks : 0;
};
