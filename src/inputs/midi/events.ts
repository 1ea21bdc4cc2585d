import type { MidiSource } from '../../model/mapping.ts';
import type { ControlEvent } from '../mappings/engine.ts';
import type { MidiMessage } from './parse.ts';

/**
 * MIDI messages as the mapping engine's ControlEvents (pure). A CC is a 0..1 position and a press
 * at 64 or above; a note on is a press with its velocity, a note off a release; pitch bend is a
 * 14-bit position; a program change is a press. A 14-bit CC is MSB n (0-31) then LSB n + 32: when
 * an LSB follows its MSB (the last CC on that port and channel), a `cc14` event carries the
 * 14-bit value, beside the plain CC events of both halves (a mapping takes the kind it names).
 */

export interface Cc14State {
  /** Per port and channel: the last CC's number and value, to pair an LSB with the MSB before it. */
  last: Map<string, { number: number; value: number }>;
}

export const freshCc14 = (): Cc14State => ({ last: new Map() });

const source = (type: MidiSource['type'], channel: number, number: number | undefined, port: string | undefined): MidiSource => ({
  kind: 'midi',
  type,
  channel,
  ...(number === undefined ? {} : { number }),
  ...(port === undefined ? {} : { port }),
});

/** The events one message gives (none for clock and transport: the clock follower takes those). */
export const controlEvents = (m: MidiMessage, port: string | undefined, cc14: Cc14State): ControlEvent[] => {
  switch (m.kind) {
    case 'cc': {
      const key = `${port ?? ''}\u0000${m.channel}`;
      const before = cc14.last.get(key);
      cc14.last.set(key, { number: m.number, value: m.value });
      const events: ControlEvent[] = [{ source: source('cc', m.channel, m.number, port), position: m.value / 127, raw: m.value, pressed: m.value >= 64 }];
      if (m.number >= 32 && m.number < 64 && before?.number === m.number - 32) {
        const raw = (before.value << 7) | m.value;
        events.unshift({ source: source('cc14', m.channel, m.number - 32, port), position: raw / 16383, raw, pressed: raw >= 8192 });
      }
      return events;
    }
    case 'noteon':
      return [{ source: source('note', m.channel, m.note, port), position: m.velocity / 127, raw: m.velocity, pressed: true }];
    case 'noteoff':
      return [{ source: source('note', m.channel, m.note, port), position: 0, raw: 0, pressed: false }];
    case 'pitchbend':
      return [{ source: source('pitchbend', m.channel, undefined, port), position: m.value / 16383, raw: m.value, pressed: false }];
    case 'program':
      return [{ source: source('program', m.channel, m.number, port), position: m.number / 127, raw: m.number, pressed: true }];
    default:
      return [];
  }
};

/** Is this event the MSB half of a CC that may be 14-bit (so learning should wait for an LSB)? */
export const mayBe14BitMsb = (e: ControlEvent): boolean => e.source.kind === 'midi' && e.source.type === 'cc' && (e.source.number ?? 99) < 32;

/** A CC position as the 7-bit value to send back (feedback), and a 14-bit one as MSB and LSB. */
export const ccBytes = (type: 'cc' | 'cc14', channel: number, number: number, position: number): number[] => {
  const x = Math.min(1, Math.max(0, position));
  const status = 0xb0 | ((channel - 1) & 0x0f);
  if (type === 'cc') return [status, number & 0x7f, Math.round(x * 127)];
  const v = Math.round(x * 16383);
  return [status, number & 0x7f, v >> 7, status, (number + 32) & 0x7f, v & 0x7f];
};
