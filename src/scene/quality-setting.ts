import { isQuality } from './adaptive-quality.ts';
import type { Quality } from './adaptive-quality.ts';
import { listeners } from '../lib/listeners.ts';

/**
 * This window's quality choice ('auto' or 'full'): a setting of the screen, not of the dream, so
 * it is not in the dream state, a preset or the relay's messages. `?quality=` sets it at boot,
 * the performer's Output panel and `dreamscape.setQuality()` change it live, and the audience
 * window the performer opens carries it in its URL. The scene follows it (AdaptiveQuality.tsx).
 */
export class QualitySetting {
  private value: Quality;
  private readonly listeners = listeners<[Quality]>();

  constructor(initial: Quality = 'auto') {
    this.value = initial;
  }

  readonly get = (): Quality => this.value;

  /** Throws on anything but 'auto' or 'full' (from a script: say what was wrong). */
  readonly set = (quality: unknown): void => {
    if (!isQuality(quality)) throw new Error(`setQuality: expected 'auto' or 'full', got ${JSON.stringify(quality) ?? String(quality)}`);
    if (quality === this.value) return;
    this.value = quality;
    // A listener that throws does not keep the others from hearing of the change.
    let failed = false;
    let first: unknown;
    this.listeners.emit(quality, (error) => {
      if (failed) return;
      failed = true;
      first = error;
    });
    if (failed) throw first;
  };

  /** Call `listener` on every change; returns the function that stops it. */
  readonly subscribe = (listener: (quality: Quality) => void): (() => void) => this.listeners.add(listener);
}

/** The window's one setting. */
export const windowQuality = new QualitySetting();

/**
 * A query string (`location.search`) with this window's quality choice in it, for the audience
 * window the performer opens: `quality=full` when locked; at 'auto' (the default) none.
 */
export const withQuality = (search: string, quality: Quality = windowQuality.get()): string => {
  const q = new URLSearchParams(search);
  if (quality === 'full') q.set('quality', 'full');
  else q.delete('quality');
  return `?${q.toString()}`;
};
