/**
 * What a part of the symphony made and must let go: its persistent Tone nodes, counted so a test
 * can check that every one was disposed, and the context timeouts it set.
 */
import type * as Tone from 'tone';

/** What a part tells of its persistent nodes. */
export interface NodeTally {
  /** Nodes held now. */
  readonly size: number;
  /** Nodes made since the part was. */
  readonly madeCount: number;
  /** True when every node made has been disposed. */
  readonly allDisposed: boolean;
}

/** The persistent nodes of one part; each is disposed once, on release or with the rest. */
export class Owned implements NodeTally {
  private readonly live = new Set<Tone.ToneAudioNode>();
  /**
   * Counts, not a list: a list of every node ever made kept the disposed ones alive, and the heap
   * grew with every preset switch (found by a 30-minute soak).
   */
  private made = 0;
  private disposed = 0;

  add<T extends Tone.ToneAudioNode>(node: T): T {
    this.live.add(node);
    this.made++;
    return node;
  }

  release(node: Tone.ToneAudioNode): void {
    if (!this.live.delete(node)) return;
    node.dispose();
    if (node.disposed) this.disposed++;
  }

  releaseAll(): void {
    for (const node of [...this.live]) this.release(node);
  }

  /** Nodes held now. */
  get size(): number {
    return this.live.size;
  }

  /** Nodes made since the part was. */
  get madeCount(): number {
    return this.made;
  }

  /** True when every node made has been disposed. */
  get allDisposed(): boolean {
    return this.live.size === 0 && this.disposed === this.made;
  }
}

/** Context timeouts of one part, cleared together when it is disposed. */
export class Timers {
  private readonly ids = new Set<number>();

  constructor(private readonly context: Tone.BaseContext) {}

  /** Run `fn` in `seconds` of the context's clock. */
  later(seconds: number, fn: () => void): void {
    const id = this.context.setTimeout(() => {
      this.ids.delete(id);
      fn();
    }, seconds);
    this.ids.add(id);
  }

  clear(): void {
    for (const id of this.ids) this.context.clearTimeout(id);
    this.ids.clear();
  }
}
