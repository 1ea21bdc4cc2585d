/**
 * Every parameter change of the symphony is a ramp: cancel what was scheduled, hold the value it
 * has then, ramp to the target (never a jump: a jump clicks).
 */
import type * as Tone from 'tone';
import { capAutomationMemory } from './nodes.ts';

export type Glidable = Tone.Param<Tone.Unit.UnitName> | Tone.Signal<Tone.Unit.UnitName>;

/** Seconds of the shortest ramp. */
export const RAMP = 0.012;

/** A filter frequency a context at `sampleRate` can take: under 16 kHz and well under Nyquist. */
export const filterHz = (sampleRate: number, f: number): number => Math.min(16000, 0.45 * sampleRate, f);

/** Glides the parameters of one part, remembering each one's target so a repeat costs nothing. */
export class Glide {
  private readonly targets = new WeakMap<object, number>();

  /** Ramp `param` to `value` from `time` over `seconds` (at least RAMP); nothing if it is going there already. */
  to(param: Glidable, value: number, time: number, seconds: number): void {
    if (!Number.isFinite(value)) return;
    const last = this.targets.get(param);
    if (last !== undefined && Math.abs(last - value) <= 1e-5 * Math.max(1, Math.abs(value))) return;
    if (last === undefined) capAutomationMemory(param);
    this.targets.set(param, value);
    param.cancelAndHoldAtTime(time);
    param.linearRampToValueAtTime(value, time + Math.max(RAMP, seconds));
  }

  /** Take note of a target set without to() (a panic's fade), so the next glide is measured from it. */
  mark(param: Glidable, value: number): void {
    this.targets.set(param, value);
  }
}
