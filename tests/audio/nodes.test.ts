/**
 * The light effects of src/audio/nodes.ts in Node (node-web-audio-api): every native node they
 * make is let go on dispose (counted as in tests/audio/tracking.ts), and glided parameters keep
 * few automation events.
 */
import * as webAudio from 'node-web-audio-api';
import { describe, expect, it } from 'vitest';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
for (const [k, v] of Object.entries(webAudio)) if (!(k in g)) g[k] = v;
const Tone = await import('tone');
const { Echo, Hall, Vibrato, capAutomationMemory, AUTOMATION_MEMORY } = await import('../../src/audio/nodes.ts');
const { leftovers, trackNatives } = await import('./tracking.ts');

const SR = 44100;
type Native = typeof webAudio.OfflineAudioContext;
const OfflineCtx = g.OfflineAudioContext as Native;

describe('light effects', () => {
  // How they sound beside Tone's own is checked in Chromium: tests/browser/audio-nodes.test.ts.
  it('dispose disconnects every native node each of them made', async () => {
    const native = new OfflineCtx(2, SR, SR);
    const ctx = new Tone.OfflineContext(native);
    for (const make of [
      () => new Vibrato({ context: ctx, frequency: 5, depth: 0.3 }),
      () => new Echo({ context: ctx }),
      () => new Hall({ context: ctx, damping: 3800 }),
    ]) {
      const natives = trackNatives(ctx);
      const node = make();
      expect(natives.made.length).toBeGreaterThan(1);
      node.dispose();
      natives.stop();
      expect(node.disposed).toBe(true);
      expect(leftovers(natives.made)).toEqual([]);
    }
  });
});

describe('automation memory', () => {
  it('a glided parameter keeps its last 64 events, not 1,000, and still reads the right value', () => {
    const native = new OfflineCtx(1, SR, SR);
    const ctx = new Tone.OfflineContext(native);
    const events = (p: unknown) => (p as { _events: { length: number } })._events.length;
    const glide = (p: InstanceType<typeof Tone.Param>, n: number) => {
      for (let i = 0; i < n; i++) {
        p.cancelAndHoldAtTime(i * 0.01);
        p.linearRampToValueAtTime(i % 2 ? 0.2 : 0.8, i * 0.01 + 0.005);
      }
    };
    const capped = new Tone.Gain({ context: ctx, gain: 0.5 });
    const plain = new Tone.Gain({ context: ctx, gain: 0.5 });
    capAutomationMemory(capped.gain);
    glide(capped.gain, 600);
    glide(plain.gain, 600);
    expect(events(plain.gain)).toBeGreaterThan(900);
    expect(events(capped.gain)).toBeLessThanOrEqual(AUTOMATION_MEMORY);
    for (const t of [5.991, 5.9925, 5.995, 6.5]) expect(capped.gain.getValueAtTime(t)).toBeCloseTo(plain.gain.getValueAtTime(t), 6);
    // a Signal keeps its events on its inner Param
    const signal = new Tone.Signal({ context: ctx, value: 1 });
    capAutomationMemory(signal);
    for (let i = 0; i < 300; i++) signal.linearRampToValueAtTime(i, i * 0.01);
    expect(events((signal as unknown as { _param: unknown })._param)).toBeLessThanOrEqual(AUTOMATION_MEMORY);
  });
});
