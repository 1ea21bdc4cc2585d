import type { Page } from 'playwright-core';

/**
 * Listening latency in a performer page whose microphone is a looped WAV of kicks (Chromium's
 * fake capture): a bass hit → glitch action and bass → unity (continuous, no smoothing), and for
 * every kick, from when the kick's hop began to reach the analysis (the worklet stamps the hop's
 * first render quantum with Date.now(); so a whole hop of buffering is counted):
 * - sound to state: to the dream's change by the hit's action (dreamscape.subscribe; an action
 *   applies in the task that received the frame);
 * - sound to the next drawn frame: the continuous mapping's value (modulated in the same task as
 *   the hit) is applied and drawn in the next animation frame; a requestAnimationFrame callback
 *   made in that task runs in that frame after the frame loop's and r3f's, i.e. once it is drawn
 *   (as the MIDI bench measures a fader); whether unity had risen by then is counted;
 * - sound to the main thread: for every frame of features, to its mappings driven (what a faster
 *   frame rate would bring the state down to);
 * and the main thread's cost of listening: the ms spent on the worklet's frames (receiving them,
 * driving the mappings) per drawn frame.
 */
export interface ListenLatency {
  /** ms, sorted. */
  toState: number[];
  toFrame: number[];
  /** Every frame of features: from its sound reaching the worklet to its mappings driven on the main thread (ms, sorted). */
  toMain: number[];
  /** Kicks whose continuous value the first frame after them drew. */
  inNextFrame: number;
  frameMs: number;
  frames: number;
  /** Main-thread ms of listening per drawn frame, and per frame of features. */
  mainPerFrame: number;
  mainPerHop: number;
  hopMs: number;
  sampleRate: number;
}

export const measureListenLatency = (page: Page, seconds: number): Promise<ListenLatency> =>
  page.evaluate(async (seconds) => {
    const d = window.dreamscape;
    const listen = d.listen!;
    for (const x of d.mappings!.list()) d.mappings!.remove(x.id);
    d.mappings!.add({ source: { kind: 'listen', feature: 'bass', on: 'hit' }, target: { action: 'glitch', amount: 0.3 } });
    d.mappings!.add({ source: { kind: 'listen', feature: 'bass' }, target: 'unity', min: 0, max: 1 });
    const status = await listen.start({ source: 'input' });
    await new Promise((r) => setTimeout(r, 3000));
    const toState: number[] = [];
    const toFrame: number[] = [];
    let frames = 0;
    let counting = true;
    const t0 = performance.now();
    const count = () => {
      frames++;
      if (counting) requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    const s0 = listen.stats();
    let lastHit = 0;
    let inNextFrame = 0;
    let seed = d.state().mosaic.glitchSeed;
    const unsubscribe = d.subscribe((dream) => {
      if (dream.mosaic.glitchSeed === seed) return;
      seed = dream.mosaic.glitchSeed;
      const now = Date.now();
      const kick = listen.recent().filter((f) => f.bands.bass.hit && f.heard > lastHit).at(-1);
      if (!kick) return;
      lastHit = kick.heard;
      toState.push(now - kick.heard);
      requestAnimationFrame(() => {
        toFrame.push(Date.now() - kick.heard);
        if (d.state().unity > 0.5) inNextFrame++;
      });
    });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    counting = false;
    unsubscribe();
    const s1 = listen.stats();
    const elapsed = performance.now() - t0;
    listen.stop();
    const sort = (xs: number[]) => xs.sort((a, b) => a - b);
    return {
      toState: sort(toState),
      toFrame: sort(toFrame),
      toMain: sort(s1.lateness),
      inNextFrame,
      frameMs: elapsed / Math.max(1, frames),
      frames,
      mainPerFrame: (s1.mainMs - s0.mainMs) / Math.max(1, frames),
      mainPerHop: (s1.mainMs - s0.mainMs) / Math.max(1, s1.frames - s0.frames),
      hopMs: status.hopMs,
      sampleRate: status.sampleRate,
    };
  }, seconds);
