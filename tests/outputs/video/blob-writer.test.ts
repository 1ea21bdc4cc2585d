import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlobWriter } from '../../../src/outputs/video/blob-writer.ts';

const bytes = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

describe('BlobWriter', () => {
  it('appends, and writes that go back patch in place (as a muxer fills in sizes at the end)', async () => {
    const w = new BlobWriter('video/mp4', 8);
    w.write(0, new Uint8Array([0, 0, 0, 0, 1, 2]));
    w.write(6, new Uint8Array([3, 4, 5, 6, 7]));
    w.write(11, new Uint8Array([8]));
    w.write(0, new Uint8Array([9, 9]));
    w.write(10, new Uint8Array([7, 8, 10]));
    expect([...(await bytes(w.finish()))]).toEqual([9, 9, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    expect(w.finish().type).toBe('video/mp4');
  });

  it('refuses a write past the end (a gap would be a corrupt file)', () => {
    const w = new BlobWriter('video/webm');
    expect(() => w.write(3, new Uint8Array([1]))).toThrow(/past the end/);
  });

  it('keeps a copy: the writer may reuse its buffer', async () => {
    const w = new BlobWriter('audio/wav');
    const buf = new Uint8Array([1, 2, 3]);
    w.write(0, buf);
    buf.fill(0);
    expect([...(await bytes(w.finish()))]).toEqual([1, 2, 3]);
  });

  it('any sequence of appends and patches gives the bytes a file written in place would have', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ back: fc.nat(), data: fc.uint8Array({ minLength: 1, maxLength: 20 }), append: fc.boolean() }), { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), async (ops, fold) => {
        const w = new BlobWriter('x/y', fold);
        let file = new Uint8Array(0);
        for (const op of ops) {
          const position = op.append || file.length === 0 ? file.length : op.back % file.length;
          w.write(position, op.data);
          const next = new Uint8Array(Math.max(file.length, position + op.data.length));
          next.set(file);
          next.set(op.data, position);
          file = next;
        }
        expect(w.size).toBe(file.length);
        expect([...(await bytes(w.finish()))]).toEqual([...file]);
      }),
      { numRuns: 200 },
    );
  });
});
