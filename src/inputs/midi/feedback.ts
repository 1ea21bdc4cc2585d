import type { Mapping } from '../../model/mapping.ts';
import { ccBytes } from './events.ts';

/**
 * Feedback, pure: for each mapping from a MIDI CC (7- or 14-bit) onto a parameter, the bytes that
 * put the controller's LEDs or motor fader where the dream is, for the values that changed since
 * last sent. Which output they go to is the glue's (the output named as the mapping's port).
 */

export interface FeedbackSend {
  /** The mapping's port name (undefined: every controller that is both an input and an output). */
  port: string | undefined;
  bytes: number[];
}

export const feedbackSends = (mappings: readonly Mapping[], positionOf: (m: Mapping) => number | null, sent: Map<string, number>): FeedbackSend[] => {
  const out: FeedbackSend[] = [];
  for (const m of mappings) {
    const s = m.source;
    if (s.kind !== 'midi' || (s.type !== 'cc' && s.type !== 'cc14') || typeof m.target !== 'string' || s.number === undefined) continue;
    const p = positionOf(m);
    if (p === null) continue;
    const value = Math.round(p * (s.type === 'cc' ? 127 : 16383));
    const key = `${s.port ?? ''}\u0000${s.type}:${s.channel}:${s.number}`;
    if (sent.get(key) === value) continue;
    sent.set(key, value);
    out.push({ port: s.port, bytes: ccBytes(s.type, s.channel, s.number, p) });
  }
  return out;
};
