/**
 * The light effects of src/audio/nodes.ts against Tone's own, in Node (node-web-audio-api): the
 * same sound from fewer nodes, and every native node they make let go on dispose.
 */
import * as webAudio from 'node-web-audio-api';
import { describe, expect, it } from 'vitest';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
for (const [k, v] of Object.entries(webAudio)) if (!(k in g)) g[k] = v;
const Tone = await import('tone');
const { Echo, Hall, Vibrato, lowpassTimes } = await import('../../src/audio/nodes.ts');

const SR = 44100;
type Native = typeof webAudio.OfflineAudioContext;
const OfflineCtx = g.OfflineAudioContext as Native;

/** Render `seconds` of `build`'s output for a tone at 330 Hz (or an impulse) on a fresh context. */
const render = async (seconds: number, build: (ctx: InstanceType<typeof Tone.OfflineContext>, input: AudioNode) => { connect(dest: AudioNode): unknown }, source: 'sine' | 'impulse' = 'sine') => {
  const native = new OfflineCtx(2, Math.round(seconds * SR), SR) as unknown as OfflineAudioContext;
  const ctx = new Tone.OfflineContext(native);
  let input: AudioNode;
  if (source === 'sine') {
    const osc = native.createOscillator();
    osc.frequency.value = 330;
    osc.start(0);
    input = osc;
  } else {
    const b = native.createBuffer(2, 128, SR);
    b.getChannelData(0)[0] = 1;
    b.getChannelData(1)[0] = 1;
    const src = native.createBufferSource();
    src.buffer = b;
    src.start(0);
    input = src;
  }
  build(ctx, input).connect(native.destination);
  const out = await native.startRendering();
  return [out.getChannelData(0), out.getChannelData(1)];
};

const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((ch, c) => ch.reduce((m, v, i) => Math.max(m, Math.abs(v - b[c]![i]!)), 0)));

/** Every native node a Tone node makes through its context, and whether each was disconnected. */
const recordNatives = (ctx: InstanceType<typeof Tone.OfflineContext>) => {
  const raw = ctx.rawContext as unknown as Record<string, unknown>;
  const made: { node: AudioNode; disconnected: boolean }[] = [];
  for (const name of ['createGain', 'createDelay', 'createOscillator', 'createIIRFilter', 'createChannelMerger', 'createChannelSplitter', 'createBiquadFilter', 'createConstantSource', 'createWaveShaper', 'createStereoPanner']) {
    const create = raw[name] as (...a: unknown[]) => AudioNode;
    raw[name] = (...a: unknown[]) => {
      const node = create.apply(raw, a);
      const entry = { node, disconnected: false };
      const disconnect = node.disconnect.bind(node) as (...a: unknown[]) => void;
      (node as unknown as { disconnect: (...a: unknown[]) => void }).disconnect = (...a: unknown[]) => {
        entry.disconnected = true;
        disconnect(...a);
      };
      made.push(entry);
      return node;
    };
  }
  return made;
};

describe('light effects', () => {
  it('Vibrato sounds like Tone.Vibrato (wet) in three nodes', async () => {
    const options = { frequency: 5.2, depth: 0.35, maxDelay: 0.005 };
    const ours = await render(1, (ctx, input) => {
      const v = new Vibrato({ context: ctx, ...options });
      Tone.connect(input, v);
      return v;
    });
    const tones = await render(1, (ctx, input) => {
      const v = new Tone.Vibrato({ context: ctx, ...options, wet: 1 });
      Tone.connect(input, v);
      return v;
    });
    expect(maxDiff(ours, tones)).toBeLessThan(1e-4);
  });

  it('Echo sounds like Tone.FeedbackDelay (wet) in three nodes', async () => {
    const options = { delayTime: 0.21, feedback: 0.45, maxDelay: 1 };
    const ours = await render(1, (ctx, input) => {
      const e = new Echo({ context: ctx, ...options });
      Tone.connect(input, e);
      return e;
    }, 'impulse');
    const tones = await render(1, (ctx, input) => {
      const e = new Tone.FeedbackDelay({ context: ctx, ...options, wet: 1 });
      Tone.connect(input, e);
      return e;
    }, 'impulse');
    expect(maxDiff(ours, tones)).toBeLessThan(1e-6);
  });

  it("a comb's IIR filter is the low-pass biquad times the feedback gain", async () => {
    const gain = 0.8;
    const { feedforward, feedback } = lowpassTimes(3800, -4, gain, SR);
    const viaIir = await render(0.05, (ctx, input) => {
      const f = ctx.rawContext.createIIRFilter(feedforward, feedback);
      input.connect(f);
      return f;
    }, 'impulse');
    const viaBiquad = await render(0.05, (ctx, input) => {
      const f = new Tone.BiquadFilter({ context: ctx, type: 'lowpass', frequency: 3800, Q: -4 });
      const g = new Tone.Gain({ context: ctx, gain });
      Tone.connect(input, f);
      f.connect(g);
      return g;
    }, 'impulse');
    expect(maxDiff(viaIir, viaBiquad)).toBeLessThan(1e-6);
  });

  it('Hall: two uncorrelated tails that fall 60 dB over rt60', async () => {
    const rt60 = 2;
    const [l, r] = await render(3, (ctx, input) => {
      const h = new Hall({ context: ctx, rt60, scale: 1.35, damping: 3800, dampingQ: -4, level: 0.05 });
      Tone.connect(input, h);
      return h;
    }, 'impulse');
    let lr = 0;
    let ll = 0;
    let rr = 0;
    for (let i = Math.round(0.2 * SR); i < 2 * SR; i++) {
      lr += l![i]! * r![i]!;
      ll += l![i]! ** 2;
      rr += r![i]! ** 2;
    }
    expect(Math.abs(lr / Math.sqrt(ll * rr))).toBeLessThan(0.2);
    const energy = (from: number, to: number) => {
      let e = 0;
      for (let i = Math.round(from * SR); i < Math.round(to * SR); i++) e += l![i]! ** 2 + r![i]! ** 2;
      return e;
    };
    // Over one second the tail falls 60/rt60 dB, a little more as the damping darkens it.
    const fall = 10 * Math.log10(energy(0.5, 1) / energy(1.5, 2));
    expect(fall).toBeGreaterThan(60 / rt60 - 3);
    expect(fall).toBeLessThan(60 / rt60 + 12);
    expect([...l!, ...r!].every(Number.isFinite)).toBe(true);
  });

  it('dispose disconnects every native node each of them made', async () => {
    const native = new OfflineCtx(2, SR, SR) as unknown as OfflineAudioContext;
    const ctx = new Tone.OfflineContext(native);
    for (const make of [
      () => new Vibrato({ context: ctx, frequency: 5, depth: 0.3 }),
      () => new Echo({ context: ctx }),
      () => new Hall({ context: ctx, damping: 3800 }),
    ]) {
      const made = recordNatives(ctx);
      const node = make();
      expect(made.length).toBeGreaterThan(1);
      node.dispose();
      expect(node.disposed).toBe(true);
      expect(made.filter((m) => !m.disconnected)).toEqual([]);
    }
  });
});
