/**
 * The parts of the symphony (src/audio/*): each one's dispose() lets go of every node it made.
 * Counted in Node (node-web-audio-api) two ways: every native node made through the context's
 * create* methods must be disconnected (and stopped, if it is a source that was started), and
 * every Tone node and Param reachable from the part must report `disposed`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as webAudio from 'node-web-audio-api';
import { describe, expect, it } from 'vitest';
import type { DreamState } from '../../src/model/index.ts';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import type { GlitchEvent } from '../../src/audio/score.ts';
import { score } from '../../src/audio/score.ts';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
for (const [k, v] of Object.entries(webAudio)) if (!(k in g)) g[k] = v;
const Tone = await import('tone');
const { trackNatives, leftovers, toneObjectsIn, undisposed } = await import('./tracking.ts');
const { MasterBus } = await import('../../src/audio/master-bus.ts');
const { GlitchEffects } = await import('../../src/audio/glitch-effects.ts');
const { RoomAndHall } = await import('../../src/audio/reverb.ts');
const { VoicePatch, VOICE_SPECS } = await import('../../src/audio/voice-patch.ts');
const { NotePlayer } = await import('../../src/audio/note-player.ts');
const { Voices } = await import('../../src/audio/voices.ts');
const { Scheduler } = await import('../../src/audio/scheduler.ts');
const { NeuroSymphony } = await import('../../src/audio/engine.ts');

const SR = 16000;
const dream = (id: string): DreamState => {
  const r = validatePreset(JSON.parse(readFileSync(fileURLToPath(new URL(`../../presets/${id}.json`, import.meta.url)), 'utf8')));
  if (!r.ok) throw new Error(id);
  return resolvePreset(r.preset);
};

/** An offline context whose own nodes (destination, Transport) are made before anything is counted. */
const offline = (seconds = 1) => {
  const ctx = new Tone.OfflineContext(new (g.OfflineAudioContext as typeof OfflineAudioContext)(2, Math.round(seconds * SR), SR));
  void ctx.transport; // (made on first use)
  return ctx;
};

/** A source that stays where it is (and counts its listeners). */
const still = (state: DreamState) => {
  const listeners = new Set<unknown>();
  return {
    listeners,
    getState: () => state,
    subscribe: (l: unknown) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
};

type Disposable = { dispose(): unknown };

/**
 * Make a part while counting, use it, dispose it: everything it made is let go. Returns the
 * counts, so a test can say how much was made.
 */
const disposesAll = async <P extends Disposable>(make: (ctx: InstanceType<typeof Tone.OfflineContext>) => P, exercise?: (part: P, ctx: InstanceType<typeof Tone.OfflineContext>) => unknown) => {
  const ctx = offline();
  const natives = trackNatives(ctx);
  const part = make(ctx);
  await exercise?.(part, ctx);
  const tone = toneObjectsIn(part);
  part.dispose();
  natives.stop();
  expect(leftovers(natives.made)).toEqual([]);
  expect(undisposed(tone)).toEqual([]);
  return { natives: natives.made.length, tone: tone.length, part };
};

const glitchStep: GlitchEvent = { step: 4, beat: 1, time: 0.5, duration: 0.25, seconds: 0.125, stutter: 3, crush: 0.8, wobble: -40 };

describe('the count itself', () => {
  it('sees a node that is not let go', () => {
    const ctx = offline();
    const natives = trackNatives(ctx);
    const kept = new Tone.Gain({ context: ctx });
    const letGo = new Tone.Gain({ context: ctx });
    letGo.dispose();
    // Disconnected, but a source that was started runs until it is stopped.
    const running = ctx.createOscillator();
    running.start(0);
    running.disconnect();
    natives.stop();
    expect(leftovers(natives.made)).toEqual(['createGain: not disconnected', 'createOscillator: started, never stopped']);
    expect(undisposed(toneObjectsIn({ kept, letGo }))).toEqual(['Gain', 'Param']);
  });
});

describe('the buses and effects dispose every node they made', () => {
  it('the master bus', async () => {
    const r = await disposesAll(
      (context) => new MasterBus({ context }),
      (bus) => {
        bus.open(0, 0.5);
        bus.follow(0.8, -6, 0.1, 0.1);
        bus.panic(0.5);
      },
    );
    expect(r.part.tally.allDisposed).toBe(true);
    expect(r.part.tally.madeCount).toBe(8);
    expect(r.natives).toBeGreaterThanOrEqual(8);
  });

  it('the glitch effects', async () => {
    const r = await disposesAll(
      (context) => new GlitchEffects({ context }),
      (fx) => {
        fx.follow(0.7, 0, 0.1);
        fx.play(glitchStep, 0.2, 0.5);
      },
    );
    expect(r.part.tally.allDisposed).toBe(true);
    expect(r.part.tally.madeCount).toBe(13);
  });

  it('the reverb', async () => {
    const r = await disposesAll(
      (context) => new RoomAndHall({ context }),
      (reverb) => reverb.follow(0.5, 0.7, 0, 0.2),
    );
    expect(r.part.tally.allDisposed).toBe(true);
    // the hall's eight combs, each a delay and an IIR filter, among them
    expect(r.natives).toBeGreaterThan(20);
  });

});

describe('the voices and the note player dispose every node they made', () => {
  for (const voice of Object.keys(VOICE_SPECS) as (keyof typeof VOICE_SPECS)[]) {
    it(`the ${voice} voice's patch`, async () => {
      const r = await disposesAll(
        (context) => new VoicePatch({ context, voice, key: `0:x:${voice}` }),
        (p) => p.follow({ gain: 0.6, pan: -0.3, cutoff: 1800, vowel: 0.4 }, 0, 0.1, 0.1),
      );
      expect(r.part.tally.allDisposed).toBe(true);
      expect(r.part.inputs.length).toBe(voice === 'choir' ? 3 : 1);
    });
  }

  it('the note player, with notes sounding', () => {
    const ctx = offline();
    const patch = new VoicePatch({ context: ctx, voice: 'bell', key: 'b' });
    const w = score(dream('dream-temple'), 0, 8, { audience: false });
    expect(w.notes.length).toBeGreaterThan(3);
    const natives = trackNatives(ctx);
    const player = new NotePlayer({ context: ctx, history: 4 });
    for (const n of w.notes) player.play({ ...n, voice: 'bell' }, patch, n.beat * 0.5, 0.5);
    // a bell's note: an envelope, an FM modulator and its gain, two partials and a gain
    expect(player.nodeCount).toBe(w.notes.length * 6);
    expect(natives.made).toHaveLength(player.nodeCount);
    expect(player.played()).toHaveLength(4);
    player.dispose();
    natives.stop();
    expect(leftovers(natives.made)).toEqual([]);
    expect(player.nodeCount).toBe(0);
    patch.dispose();
  });

  it('the voices: patches for every dreamer, retired ones, sounding notes', async () => {
    const temple = dream('dream-temple');
    const other = dream('sleep-square');
    const w = score(temple, 0, 8, { audience: false });
    const r = await disposesAll(
      (context) => new Voices({ context }),
      (voices) => {
        voices.follow(temple.dreamers);
        voices.apply(w.params, temple.tempo, 0, 0.1);
        for (const n of w.notes) voices.play(n, n.beat * 0.5, 0.5);
        const before = voices.nodeCount;
        expect(before.notes).toBeGreaterThan(0);
        voices.follow(other.dreamers);
        expect(voices.nodeCount.persistent).toBeGreaterThan(before.persistent);
        // The retired voices fade out, and go with the notes once everything has rung out.
        voices.sweep(Infinity);
        expect(voices.nodeCount.notes).toBe(0);
        voices.follow(temple.dreamers);
        voices.play(w.notes[0]!, 1, 0.5);
      },
    );
    expect(r.part.tally.allDisposed).toBe(true);
    expect(r.part.nodeCount).toEqual({ persistent: 0, notes: 0 });
  });

});

describe('the scheduler and the whole symphony let everything go', () => {
  it('the scheduler: it makes no nodes; disposed, it runs no more and follows the dream no more', async () => {
    const runs = async (dispose: boolean) => {
      const context = offline(0.5);
      const source = still(dream('dream-temple'));
      let cues = 0;
      const scheduler = new Scheduler({ context, source, perform: () => cues++ });
      expect(source.listeners.size).toBe(1);
      expect(scheduler.start(0)).toBe(true);
      expect(scheduler.start(0)).toBe(false);
      if (dispose) scheduler.dispose();
      await context.render();
      return { cues, listeners: source.listeners.size, tone: toneObjectsIn(scheduler).length };
    };
    const live = await runs(false);
    expect(live.cues).toBeGreaterThanOrEqual(9);
    expect(live.tone).toBe(0);
    expect(await runs(true)).toEqual({ cues: 0, listeners: 0, tone: 0 });
  });

  it('the whole symphony, after a second of music', async () => {
    const r = await disposesAll(
      (context) => new NeuroSymphony({ context, source: still(dream('dream-temple')), drive: () => undefined }),
      async (engine, context) => {
        engine.toDestination();
        engine.start(0);
        await context.render();
        expect(engine.nodeCount.notes).toBeGreaterThan(0);
      },
    );
    expect(r.part.allDisposed).toBe(true);
    expect(r.part.nodeCount).toEqual({ persistent: 0, notes: 0, total: 0 });
    expect(r.part.madeCount).toBeGreaterThan(40);
    expect(r.natives).toBeGreaterThan(r.part.madeCount);
  });
});
