/**
 * MIDI bytes, pure: status bytes in, messages out. Channels are reported 1-16 (as musicians count
 * them). Web MIDI hands one whole message per event, but a byte stream (a serial or file source,
 * a test) may use running status (data bytes after a channel message repeat its status) and may
 * interleave real-time bytes (0xF8-0xFF) anywhere, even inside a message: both are handled.
 */

export type MidiMessage =
  | { kind: 'cc'; channel: number; number: number; value: number }
  | { kind: 'noteon'; channel: number; note: number; velocity: number }
  | { kind: 'noteoff'; channel: number; note: number; velocity: number }
  | { kind: 'pitchbend'; channel: number; value: number }
  | { kind: 'program'; channel: number; number: number }
  | { kind: 'clock' }
  | { kind: 'start' }
  | { kind: 'continue' }
  | { kind: 'stop' };

export const CLOCK = 0xf8;
export const START = 0xfa;
export const CONTINUE = 0xfb;
export const STOP = 0xfc;

const REALTIME: Record<number, MidiMessage> = { [CLOCK]: { kind: 'clock' }, [START]: { kind: 'start' }, [CONTINUE]: { kind: 'continue' }, [STOP]: { kind: 'stop' } };

/** Data bytes a channel message of this status carries (program change and channel pressure: one). */
const dataLength = (status: number): number => {
  const type = status & 0xf0;
  return type === 0xc0 || type === 0xd0 ? 1 : 2;
};

/** One complete channel message (status and its data bytes) as a message, or null for kinds not used here (aftertouch, pressure). */
export const channelMessage = (status: number, d1: number, d2 = 0): MidiMessage | null => {
  const channel = (status & 0x0f) + 1;
  switch (status & 0xf0) {
    case 0x80:
      return { kind: 'noteoff', channel, note: d1, velocity: d2 };
    case 0x90:
      // Velocity 0 is a note off (what running-status senders use).
      return d2 === 0 ? { kind: 'noteoff', channel, note: d1, velocity: 0 } : { kind: 'noteon', channel, note: d1, velocity: d2 };
    case 0xb0:
      return { kind: 'cc', channel, number: d1, value: d2 };
    case 0xc0:
      return { kind: 'program', channel, number: d1 };
    case 0xe0:
      // LSB first, then MSB: 0..16383, 8192 at rest.
      return { kind: 'pitchbend', channel, value: (d2 << 7) | d1 };
    default:
      return null;
  }
};

export interface MidiParser {
  /** Feed bytes (any chunking): the messages they complete. */
  push(bytes: ArrayLike<number>): MidiMessage[];
}

/** A byte-stream parser with running status; SysEx and unknown system messages are skipped. */
export const createMidiParser = (): MidiParser => {
  let status = 0;
  let data: number[] = [];
  let inSysex = false;
  return {
    push: (bytes) => {
      const out: MidiMessage[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]! & 0xff;
        if (b >= 0xf8) {
          const rt = REALTIME[b];
          if (rt) out.push({ ...rt });
          continue; // real time never disturbs running status
        }
        if (b >= 0x80) {
          inSysex = b === 0xf0;
          // System common messages (0xF0-0xF7) cancel running status.
          status = b < 0xf0 ? b : 0;
          data = [];
          continue;
        }
        if (inSysex || status === 0) continue;
        data.push(b);
        if (data.length < dataLength(status)) continue;
        const m = channelMessage(status, data[0]!, data[1]);
        if (m) out.push(m);
        data = [];
      }
      return out;
    },
  };
};

/** One Web MIDI event's data (a whole message, as Web MIDI guarantees): its messages. */
export const parseMessage = (bytes: ArrayLike<number>): MidiMessage[] => createMidiParser().push(bytes);
