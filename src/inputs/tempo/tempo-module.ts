import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import type { Source } from '../../model/index.ts';
import type { Runtime, RuntimeModule } from '../../runtime/runtime.ts';
import { addTap, freshTaps, phaseAt, tapTempo } from './tap.ts';
import type { TapMultiplier, TapState } from './tap.ts';

/** What `dreamscape.tempo.status()` says. */
export interface TempoStatus {
  /** The dream's tempo now. */
  bpm: number;
  /** A tapped or received tempo holds through acts and morphs (release() lets the acts lead again). */
  held: boolean;
  /** Taps in the running count (4 set a tempo). */
  taps: number;
  multiplier: TapMultiplier;
}

export interface TempoControl {
  /**
   * One tap (key T, the tap button, a mapped pad): from the fourth, the taps set the tempo. `at` is
   * when it happened (ms, performance.now()'s clock; an event's timeStamp), default now: a busy
   * page handles a key late, but the event knows when it was pressed.
   */
  tap(source?: Source, at?: number): TempoStatus;
  /** Let the acts and morphs lead the tempo again. */
  release(): TempoStatus;
  /** Half time (0.5), as tapped (1) or double time (2). */
  setMultiplier(m: TapMultiplier): TempoStatus;
  status(): TempoStatus;
}

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Tap tempo: `tap()`, `release()`, `setMultiplier(0.5 | 1 | 2)`, `status()`. */
    tempo: TempoControl;
  }
}

/**
 * Tap tempo as a runtime module: each tap from the fourth puts a logged `tempo` action on the bus
 * with the phase that makes the last tap a whole beat, so glitch steps land on the performer's beat.
 */
export const tempoModule = (api: DreamscapeApi, now: () => number = () => performance.now()): RuntimeModule & { control: TempoControl } => {
  let taps: TapState = freshTaps();
  let runtime: Runtime | null = null;
  const status = (): TempoStatus => {
    const d = runtime?.store.getState().dream;
    return { bpm: d?.tempo ?? 0, held: d?.show.tempoHold ?? false, taps: taps.taps.length, multiplier: taps.multiplier };
  };
  const control: TempoControl = {
    tap: (source = 'script', at = now()) => {
      taps = addTap(taps, at);
      const t = tapTempo(taps);
      // The phase is the dream's place in the beat now, when the action applies.
      if (t && runtime) runtime.act({ type: 'tempo', bpm: Math.round(t.bpm * 100) / 100, phase: Math.round(phaseAt(t, now()) * 1e4) / 1e4 }, source);
      return status();
    },
    release: () => {
      runtime?.act({ type: 'set', path: 'show.tempoHold', value: false }, 'panel');
      return status();
    },
    setMultiplier: (m) => {
      if (m !== 0.5 && m !== 1 && m !== 2) throw new Error(`tempo multiplier is 0.5, 1 or 2, got ${String(m)}`);
      taps = { ...taps, multiplier: m };
      const t = tapTempo(taps);
      if (t && runtime) runtime.act({ type: 'tempo', bpm: Math.round(t.bpm * 100) / 100 }, 'panel');
      return status();
    },
    status,
  };
  return {
    name: 'tempo',
    control,
    start: (r) => {
      runtime = r;
      const unregister = registerApi(api, { tempo: control });
      return () => {
        unregister();
        runtime = null;
      };
    },
  };
};
