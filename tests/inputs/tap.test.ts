import { describe, expect, it } from 'vitest';
import type { DreamscapeApi } from '../../src/api/dreamscape-api.ts';
import { addTap, freshTaps, tapTempo, TAP_RESET_MS } from '../../src/inputs/tempo/tap.ts';
import { tempoModule } from '../../src/inputs/tempo/tempo-module.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import type { BusEntry } from '../../src/runtime/runtime.ts';
import { createDreamStore } from '../../src/store/dream-store.ts';
import { fixtureState } from '../model/fixture.ts';

const taps = (times: number[]) => times.reduce(addTap, freshTaps());

describe('tap tempo, pure', () => {
  it('four taps 500 ms apart are 120 BPM; fewer are nothing', () => {
    expect(tapTempo(taps([1000, 1500, 2000]))).toBeNull();
    const t = tapTempo(taps([1000, 1500, 2000, 2500]))!;
    expect(t.bpm).toBeCloseTo(120, 9);
    expect(t.beatAt).toBeCloseTo(2500, 9);
  });

  it('reset after 2 s without a tap; a tap far off the running interval starts over', () => {
    expect(taps([0, 500, 1000, 1000 + TAP_RESET_MS + 1]).taps).toEqual([1000 + TAP_RESET_MS + 1]);
    // 500 ms running, then a 200 ms gap: over from the last two taps.
    expect(taps([0, 500, 1000, 1200]).taps).toEqual([1000, 1200]);
    expect(taps([0, 500, 1000, 1900]).taps).toEqual([1000, 1900]);
    expect(taps([0, 500, 1000, 1550]).taps).toHaveLength(4);
  });

  it('half and double time', () => {
    const s = taps([0, 500, 1000, 1500]);
    expect(tapTempo({ ...s, multiplier: 0.5 })!.bpm).toBeCloseTo(60, 9);
    expect(tapTempo({ ...s, multiplier: 2 })!.bpm).toBeCloseTo(240, 9);
  });
});

describe('tap tempo in the runtime', () => {
  it('taps 500 ms apart (with ±10 ms of error): state().tempo is 120 ± 1, the beat whole at the last tap, held through an act change until released', () => {
    const store = createDreamStore(fixtureState());
    const runtime = createRuntime(store);
    runtime.clock.pause();
    const entries: BusEntry[] = [];
    runtime.onEntry((e) => entries.push(e));
    let now = 10_000;
    const module = tempoModule({} as DreamscapeApi, () => now);
    runtime.start(module);
    const errors = [0, 8, -10, 4, -6, 10, -3];
    for (const [i, e] of errors.entries()) {
      const at = 10_000 + i * 500 + e;
      runtime.clock.step((at - now) / 1000);
      now = at;
      module.control.tap('key');
    }
    const d = store.getState().dream;
    expect(Math.abs(d.tempo - 120)).toBeLessThanOrEqual(1);
    // The beat is whole at the last tap, within the last tap's error (10 ms here is 0.02 of a beat).
    expect(Math.abs(d.beat - Math.round(d.beat))).toBeLessThan(0.03);
    expect(d.show.tempoHold).toBe(true);
    expect(entries.filter((e) => e.action.type === 'tempo').map((e) => e.source)).toEqual(['key', 'key', 'key', 'key']);
    runtime.act({ type: 'act', to: 'next' }, 'key');
    expect(store.getState().dream.tempo).toBe(d.tempo);
    expect(module.control.setMultiplier(2).bpm).toBeCloseTo(d.tempo * 2, 0);
    expect(module.control.release().held).toBe(false);
  });
});
