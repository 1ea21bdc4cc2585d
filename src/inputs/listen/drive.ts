import type { BusAction } from '../../runtime/runtime.ts';
import type { MappingSource } from '../../model/mapping.ts';
import { LISTEN_FEATURES } from '../../model/mapping.ts';
import type { ControlEvent } from '../mappings/engine.ts';
import { frac } from './dsp.ts';
import { featureHit, featureLevel } from './features.ts';
import type { FeatureFrame } from './features.ts';

/**
 * From a frame of features to what the mappings see, pure: the control events of the mapped
 * features, learning (the feature that moved most over about a second), and following the beat
 * with the dream's tempo and phase.
 */

export type ListenFeature = (typeof LISTEN_FEATURES)[number];
export type ListenSource = Extract<MappingSource, { kind: 'listen' }>;

/** The control event of a listen source in a frame: its level, and a press on a hit. */
export const controlEvent = (source: ListenSource, f: FeatureFrame): ControlEvent => {
  const position = featureLevel(f, source.feature);
  return { source, position, raw: position, pressed: featureHit(f, source.feature), at: f.t * 1000 };
};

/** Learning listens this long before it proposes a feature (s). */
export const LEARN_SECONDS = 1;
/** A level must have moved this much (of 0..1) to be proposed; a trigger needs a hit. */
export const LEARN_MOVEMENT = 0.3;

/**
 * While a target is armed: every frame's levels and hits over the last second; once a second has
 * been heard, the feature that moved most (its range of levels, or for an action its hits) is
 * the one control event to send. Beat is proposed only for the tempo (its level always moves).
 */
export class ListenLearner {
  private readonly frames: FeatureFrame[] = [];
  private since: number | null = null;

  reset(): void {
    this.frames.length = 0;
    this.since = null;
  }

  /** Add a frame; the event to learn from, or null while still listening. */
  add(f: FeatureFrame, target: 'action' | 'tempo' | 'parameter'): ControlEvent | null {
    this.since ??= f.t;
    this.frames.push(f);
    while (this.frames.length && this.frames[0]!.t < f.t - LEARN_SECONDS) this.frames.shift();
    if (f.t - this.since < LEARN_SECONDS) return null;
    if (target === 'tempo') return f.tempo !== null && f.confidence >= 0.5 ? controlEvent({ kind: 'listen', feature: 'beat' }, f) : null;
    const features = LISTEN_FEATURES.filter((x) => x !== 'beat' && !(target === 'action' && (x === 'centroid' || x === 'level')));
    let best: ListenFeature | null = null;
    let score = target === 'action' ? 0 : LEARN_MOVEMENT;
    for (const feature of features) {
      let lo = 1;
      let hi = 0;
      let hits = 0;
      for (const x of this.frames) {
        const v = featureLevel(x, feature);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        if (featureHit(x, feature)) hits++;
      }
      const s = target === 'action' ? hits + (hi - lo) / 2 : hi - lo;
      if (s > score && (target !== 'action' || hits > 0)) {
        score = s;
        best = feature;
      }
    }
    if (best === null) return null;
    const source: ListenSource = target === 'action' ? { kind: 'listen', feature: best, on: 'hit' } : { kind: 'listen', feature: best };
    return { ...controlEvent(source, f), pressed: target === 'action' };
  }
}

/** Follow the beat while the confidence is at least this; fall back below RELEASE_CONFIDENCE. */
export const FOLLOW_CONFIDENCE = 0.75;
export const RELEASE_CONFIDENCE = 0.4;
/** A new tempo when the heard one moved by more than this (BPM). */
export const FOLLOW_BPM_STEP = 0.5;
/** A phase correction when the dream's beat is this far (of a beat) from the heard one, once a beat at most. */
export const FOLLOW_DRIFT = 0.04;

export interface DreamBeat {
  tempo: number;
  beat: number;
  tempoHold: boolean;
}

/**
 * The dream following a heard beat: a tempo action (with the phase the dream should be at when
 * it applies) on locking, on a change of tempo, or on drift; on losing the beat, the dream's own
 * tempo and hold as they were before it followed.
 */
export class BeatFollower {
  private before: { tempo: number; hold: boolean } | null = null;
  private lastCorrection = -Infinity;

  following(): boolean {
    return this.before !== null;
  }

  /** A frame heard `age` seconds ago and the dream now: the actions to take. */
  update(f: FeatureFrame, age: number, dream: DreamBeat): BusAction[] {
    if (f.tempo === null || f.confidence < (this.before ? RELEASE_CONFIDENCE : FOLLOW_CONFIDENCE)) return this.before ? this.release() : [];
    const bpm = Math.round(f.tempo * 100) / 100;
    const phase = frac(f.phase + (age * f.tempo) / 60);
    const drift = frac(dream.beat - phase + 0.5) - 0.5;
    const beatIndex = Math.floor(dream.beat);
    const moved = Math.abs(bpm - dream.tempo) > FOLLOW_BPM_STEP;
    const drifted = Math.abs(drift) > FOLLOW_DRIFT && beatIndex > this.lastCorrection;
    if (this.before && !moved && !drifted) return [];
    this.before ??= { tempo: dream.tempo, hold: dream.tempoHold };
    this.lastCorrection = beatIndex + 1;
    return [{ type: 'tempo', bpm, phase: Math.round(Math.min(phase, 0.9999) * 1e4) / 1e4 }];
  }

  /** Back to the dream's own tempo (and its hold) as it was before following. */
  release(): BusAction[] {
    const b = this.before;
    this.before = null;
    this.lastCorrection = -Infinity;
    if (!b) return [];
    return [
      { type: 'set', path: 'tempo', value: b.tempo },
      { type: 'set', path: 'show.tempoHold', value: b.hold },
    ];
  }
}
