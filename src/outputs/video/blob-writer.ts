/**
 * A file made in the page as it is written: mediabunny's StreamTarget hands over chunks, each to be
 * written at a byte position (mostly at the end; a few go back to fill in a header's sizes). The
 * chunks are folded into a Blob every few megabytes, so the script's heap holds at most that much
 * (the browser keeps a Blob's bytes itself and may page them to disk); a write that goes back is a
 * new Blob of slices around it (slices of a Blob share its bytes).
 */
export class BlobWriter {
  private blob: Blob;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly foldBytes: number;

  constructor(
    private readonly type: string,
    /** Fold the written chunks into the Blob once this many bytes wait (default 4 MB). */
    foldBytes = 4 * 1024 * 1024,
  ) {
    this.blob = new Blob([], { type });
    this.foldBytes = foldBytes;
  }

  /** Bytes written so far (the file's length). */
  get size(): number {
    return this.blob.size + this.pendingBytes;
  }

  write(position: number, data: Uint8Array): void {
    if (!Number.isInteger(position) || position < 0 || position > this.size) throw new RangeError(`BlobWriter: a write at ${position} past the end (${this.size})`);
    // A copy: the writer may reuse its buffer once the write returns.
    const copy = data.slice();
    if (position === this.size) {
      this.pending.push(copy);
      this.pendingBytes += copy.length;
      if (this.pendingBytes >= this.foldBytes) this.fold();
      return;
    }
    this.fold();
    const end = position + copy.length;
    const parts: BlobPart[] = [this.blob.slice(0, position), copy];
    if (end < this.blob.size) parts.push(this.blob.slice(end));
    this.blob = new Blob(parts, { type: this.type });
  }

  private fold(): void {
    if (this.pending.length === 0) return;
    this.blob = new Blob([this.blob, ...(this.pending as BlobPart[])], { type: this.type });
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The file as written. */
  finish(): Blob {
    this.fold();
    return this.blob;
  }
}

/** A WritableStream for mediabunny's StreamTarget that writes each chunk through `write` (awaited: backpressure). */
export const positionalStream = (write: (position: number, data: Uint8Array) => void | Promise<void>): WritableStream<{ type: 'write'; data: Uint8Array; position: number }> =>
  new WritableStream({
    write: (chunk) => write(chunk.position, chunk.data),
  });
