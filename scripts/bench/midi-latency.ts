import type { Page } from 'playwright-core';
import type { FakeMidi } from '../lib/fake-midi.ts';

/**
 * MIDI latency in a performer page with the fake Web MIDI (scripts/lib/fake-midi.ts): from a
 * message handed to the page's input (a MIDIMessageEvent) to
 * - the state: a pad (note → glitch, an action) changes the store in the same task;
 * - the next drawn frame: the end of the first animation frame after the message, in which the
 *   dream's clock applied the value and the scene drew it (a requestAnimationFrame callback made
 *   after the message runs after the frame loop's and r3f's of that frame), for a fader (CC →
 *   modulate, applied at the frame) and for the pad.
 * Messages are spaced 20-45 ms apart so they fall at every point of the frame.
 */
export interface MidiLatency {
  /** ms, sorted. */
  toState: number[];
  /** The same action through dreamscape.dispatch (no MIDI), for comparison. */
  dispatchToState: number[];
  faderToFrame: number[];
  padToFrame: number[];
  /** The page's mean frame interval (ms) over the run, its p95, and frames counted. */
  frameMs: number;
  frameP95Ms: number;
  frames: number;
  /** Faders whose value the first frame after the message drew (of all faders). */
  faderInNextFrame: number;
}

type W = Window & { __midi: FakeMidi };

export const measureMidiLatency = (page: Page, samples: number): Promise<MidiLatency> =>
  page.evaluate(async (samples) => {
    const d = window.dreamscape;
    const m = (window as unknown as W).__midi;
    for (const x of d.mappings!.list()) d.mappings!.remove(x.id);
    d.mappings!.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 7 }, target: 'mood.arousal' });
    d.mappings!.add({ source: { kind: 'midi', type: 'note', channel: 10, number: 36 }, target: { action: 'glitch', amount: 0.1 } });
    let frames = 0;
    let counting = true;
    const intervals: number[] = [];
    let lastTick = -1;
    const tick = (t: number) => {
      frames++;
      if (lastTick >= 0) intervals.push(t - lastTick);
      lastTick = t;
      if (counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const start = performance.now();
    const toState: number[] = [];
    const dispatchToState: number[] = [];
    const faderToFrame: number[] = [];
    const padToFrame: number[] = [];
    let faderInNextFrame = 0;
    /** The end of the next frame, and whether the dream it drew had the fader's value. */
    const nextFrame = (t0: number, arousal: number | null) =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => {
          if (arousal !== null && Math.abs(d.state().mood.arousal - arousal) < 1e-6) faderInNextFrame++;
          resolve(performance.now() - t0);
        }),
      );
    for (let i = 0; i < samples; i++) {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 25));
      const pad = i % 2 === 1;
      let seen = -1;
      const t0 = performance.now();
      const stop = d.subscribe(() => {
        if (seen < 0) seen = performance.now() - t0;
      });
      const value = (i * 37) % 128;
      if (pad) m.send('Box', [0x99, 36, 100]);
      else m.send('Box', [0xb0, 7, value]);
      const sameTask = seen;
      const drawn = await nextFrame(t0, pad ? null : value / 127);
      stop();
      if (pad) {
        if (sameTask < 0) throw new Error('a pad did not change the state in its task');
        toState.push(sameTask);
        padToFrame.push(drawn);
        m.send('Box', [0x89, 36, 0]);
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 25));
        let direct = -1;
        const t1 = performance.now();
        const stop1 = d.subscribe(() => {
          if (direct < 0) direct = performance.now() - t1;
        });
        d.dispatch({ type: 'glitch', amount: 0.1 });
        stop1();
        dispatchToState.push(direct);
      } else faderToFrame.push(drawn);
    }
    counting = false;
    const elapsed = performance.now() - start;
    const sort = (a: number[]) => a.sort((x, y) => x - y);
    return { toState: sort(toState), dispatchToState: sort(dispatchToState), faderToFrame: sort(faderToFrame), padToFrame: sort(padToFrame), frameMs: elapsed / frames, frameP95Ms: sort(intervals)[Math.ceil(0.95 * intervals.length) - 1]!, frames, faderInNextFrame };
  }, samples);

export const p95 = (sorted: readonly number[]): number => sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
