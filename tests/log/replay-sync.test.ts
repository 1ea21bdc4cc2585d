import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolvePreset, validatePreset } from '../../src/model/index.ts';
import { createRecorder } from '../../src/log/recorder.ts';
import { createPlayer } from '../../src/log/player.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { startPerformerSync } from '../../src/sync/performer-sync.ts';
import { observable } from '../../src/sync/protocol.ts';
import type { Carrier, LinkInfo, PatchMessage, SyncMessage } from '../../src/sync/protocol.ts';
import { checkSyncMessage } from '../../src/sync/validate.ts';

const temple = () => {
  const v = validatePreset(JSON.parse(readFileSync(new URL('../../presets/dream-temple.json', import.meta.url), 'utf8')));
  if (!v.ok) throw new Error('dream-temple');
  return v.preset;
};

const memoryCarrier = () => {
  const sent: SyncMessage[] = [];
  const link = observable<LinkInfo>({ carrier: 'relay', relay: 'ws://test', state: 'connected', since: 0, connects: 1, refused: null, error: null });
  const carrier: Carrier = { link, send: (m) => void sent.push(JSON.parse(JSON.stringify(m)) as SyncMessage), onMessage: () => () => undefined, close: () => undefined };
  return { carrier, sent };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('audiences follow a replay like a live show', () => {
  it('each replayed fracture goes out as a patch with the mosaic, a replayed sweep as params; no empty patch', async () => {
    vi.useFakeTimers();
    // A 20 s live show: a fracture every second, a fader swept all along.
    const live = createRuntime(createDreamStore(resolvePreset(temple(), { seed: 3 })));
    const recorder = createRecorder({ preset: temple(), seed: 3 });
    live.start(recorder);
    for (let f = 1; f <= 20 * 60; f++) {
      if (f % 60 === 0) live.act({ type: f % 120 === 0 ? 'restabilize' : 'fracture' }, 'key');
      live.modulate('depth', (f % 97) / 97, { source: 'midi' });
      live.clock.step(1 / 60);
    }
    const log = recorder.log();
    // The performer replays it, with jittered frames as a browser draws them; its sync listens.
    const store = createDreamStore(resolvePreset(temple(), { seed: 3 }));
    const runtime = createRuntime(store);
    const m = memoryCarrier();
    let t = 1_000_000;
    const sync = startPerformerSync(store, m.carrier, { now: () => t });
    const player = createPlayer(runtime, log);
    player.seek(0);
    let jitter = 7;
    for (let now = 0; now < 20; ) {
      jitter = (jitter * 7919) % 101;
      const dt = 1 / 60 + (jitter - 50) / 10_000;
      now += dt;
      t += dt * 1000;
      runtime.clock.step(dt);
      await vi.advanceTimersByTimeAsync(dt * 1000);
    }
    sync.stop();
    const patches = m.sent.filter((x): x is PatchMessage => x.kind === 'patch');
    const params = m.sent.filter((x) => x.kind === 'params');
    // Every message a device would accept; none empty.
    for (const x of m.sent) expect(checkSyncMessage(JSON.parse(JSON.stringify(x))).ok, JSON.stringify(x).slice(0, 200)).toBe(true);
    const withMosaic = patches.filter((p) => p.dream.mosaic !== undefined);
    expect(withMosaic.length).toBeGreaterThanOrEqual(19);
    // The fader: about 20 messages a second (the bound, with the heartbeats, is 25), most of them sent.
    expect(params.length).toBeGreaterThan(15 * 20);
    expect(params.length).toBeLessThanOrEqual(25 * 20);
  });
});
