import { describe, expect, it } from 'vitest';
import { ccBytes, controlEvents, freshCc14 } from '../../src/inputs/midi/events.ts';
import { createMidiParser, parseMessage } from '../../src/inputs/midi/parse.ts';
import type { MidiMessage } from '../../src/inputs/midi/parse.ts';
import { relativeSteps } from '../../src/inputs/mappings/response.ts';

describe('MIDI bytes to messages', () => {
  it('parses every kind, channels 1-16', () => {
    expect(parseMessage([0xb0, 7, 100])).toEqual([{ kind: 'cc', channel: 1, number: 7, value: 100 }]);
    expect(parseMessage([0x9f, 60, 90])).toEqual([{ kind: 'noteon', channel: 16, note: 60, velocity: 90 }]);
    expect(parseMessage([0x93, 60, 0])).toEqual([{ kind: 'noteoff', channel: 4, note: 60, velocity: 0 }]);
    expect(parseMessage([0x83, 61, 40])).toEqual([{ kind: 'noteoff', channel: 4, note: 61, velocity: 40 }]);
    expect(parseMessage([0xe1, 0x00, 0x40])).toEqual([{ kind: 'pitchbend', channel: 2, value: 8192 }]);
    expect(parseMessage([0xe1, 0x7f, 0x7f])).toEqual([{ kind: 'pitchbend', channel: 2, value: 16383 }]);
    expect(parseMessage([0xc9, 5])).toEqual([{ kind: 'program', channel: 10, number: 5 }]);
    expect(parseMessage([0xf8]).concat(parseMessage([0xfa]), parseMessage([0xfb]), parseMessage([0xfc]))).toEqual([{ kind: 'clock' }, { kind: 'start' }, { kind: 'continue' }, { kind: 'stop' }]);
    // Kinds not used (aftertouch, active sensing, SysEx) give nothing.
    expect(parseMessage([0xa0, 60, 10])).toEqual([]);
    expect(parseMessage([0xfe])).toEqual([]);
    expect(parseMessage([0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7])).toEqual([]);
  });

  it('running status, real time inside a message, any chunking; system common cancels running status', () => {
    const p = createMidiParser();
    const out: MidiMessage[] = [];
    // cc 1 = 10, then running status: cc 1 = 11, cc 2 = 12, with a clock byte in the middle of one.
    for (const chunk of [[0xb2, 1], [10, 1, 11], [2, 0xf8, 12], [0x90, 60], [100, 60, 0]]) out.push(...p.push(chunk));
    expect(out).toEqual([
      { kind: 'cc', channel: 3, number: 1, value: 10 },
      { kind: 'cc', channel: 3, number: 1, value: 11 },
      { kind: 'clock' },
      { kind: 'cc', channel: 3, number: 2, value: 12 },
      { kind: 'noteon', channel: 1, note: 60, velocity: 100 },
      { kind: 'noteoff', channel: 1, note: 60, velocity: 0 },
    ]);
    expect(p.push([0xc0, 3, 4])).toEqual([{ kind: 'program', channel: 1, number: 3 }, { kind: 'program', channel: 1, number: 4 }]);
    expect(p.push([0xf2, 1, 2, 3])).toEqual([]);
  });
});

describe('MIDI messages to control events', () => {
  it('a CC is a position and a press at 64; notes, pitch bend and program', () => {
    const s = freshCc14();
    const [cc] = controlEvents({ kind: 'cc', channel: 2, number: 7, value: 64 }, 'Box', s);
    expect(cc).toEqual({ source: { kind: 'midi', type: 'cc', channel: 2, number: 7, port: 'Box' }, position: 64 / 127, raw: 64, pressed: true });
    expect(controlEvents({ kind: 'cc', channel: 2, number: 7, value: 63 }, 'Box', s)[0]!.pressed).toBe(false);
    expect(controlEvents({ kind: 'noteon', channel: 1, note: 36, velocity: 127 }, undefined, s)).toEqual([{ source: { kind: 'midi', type: 'note', channel: 1, number: 36 }, position: 1, raw: 127, pressed: true }]);
    expect(controlEvents({ kind: 'noteoff', channel: 1, note: 36, velocity: 50 }, undefined, s)[0]).toMatchObject({ position: 0, pressed: false });
    expect(controlEvents({ kind: 'pitchbend', channel: 1, value: 16383 }, 'P', s)).toEqual([{ source: { kind: 'midi', type: 'pitchbend', channel: 1, port: 'P' }, position: 1, raw: 16383, pressed: false }]);
    expect(controlEvents({ kind: 'program', channel: 1, number: 3 }, 'P', s)[0]).toMatchObject({ source: { type: 'program', number: 3 }, pressed: true });
    expect(controlEvents({ kind: 'clock' }, 'P', s)).toEqual([]);
  });

  it('14-bit CC: an LSB (n + 32) right after its MSB (n) gives the 14-bit value; not after another CC, nor on another channel or port', () => {
    const s = freshCc14();
    expect(controlEvents({ kind: 'cc', channel: 1, number: 1, value: 0x40 }, 'A', s).map((e) => e.source.kind === 'midi' && e.source.type)).toEqual(['cc']);
    const pair = controlEvents({ kind: 'cc', channel: 1, number: 33, value: 0x05 }, 'A', s);
    expect(pair[0]).toEqual({ source: { kind: 'midi', type: 'cc14', channel: 1, number: 1, port: 'A' }, position: ((0x40 << 7) | 5) / 16383, raw: (0x40 << 7) | 5, pressed: true });
    expect(pair[1]!.source).toMatchObject({ type: 'cc', number: 33 });
    // An LSB that does not follow its MSB is a plain CC.
    controlEvents({ kind: 'cc', channel: 1, number: 2, value: 9 }, 'A', s);
    expect(controlEvents({ kind: 'cc', channel: 1, number: 33, value: 1 }, 'A', s)).toHaveLength(1);
    controlEvents({ kind: 'cc', channel: 1, number: 1, value: 9 }, 'A', s);
    expect(controlEvents({ kind: 'cc', channel: 2, number: 33, value: 1 }, 'A', s)).toHaveLength(1);
    expect(controlEvents({ kind: 'cc', channel: 1, number: 33, value: 1 }, 'B', s)).toHaveLength(1);
    expect(controlEvents({ kind: 'cc', channel: 1, number: 33, value: 0x7f }, 'A', s)[0]!.raw).toBe((9 << 7) | 0x7f);
    // Top and bottom of the travel.
    controlEvents({ kind: 'cc', channel: 1, number: 31, value: 127 }, 'A', s);
    expect(controlEvents({ kind: 'cc', channel: 1, number: 63, value: 127 }, 'A', s)[0]!.position).toBe(1);
  });

  it('relative encoders: two\'s complement and offset', () => {
    expect([1, 5, 63, 127, 120, 65, 0].map((v) => relativeSteps('relative-twos', v))).toEqual([1, 5, 63, -1, -8, -63, 0]);
    expect([65, 70, 127, 63, 60, 0, 64].map((v) => relativeSteps('relative-offset', v))).toEqual([1, 6, 63, -1, -4, -64, 0]);
  });

  it('feedback bytes: 7-bit, and 14-bit as MSB then LSB', () => {
    expect(ccBytes('cc', 3, 7, 0.5)).toEqual([0xb2, 7, 64]);
    expect(ccBytes('cc', 1, 7, 2)).toEqual([0xb0, 7, 127]);
    expect(ccBytes('cc14', 1, 1, 1)).toEqual([0xb0, 1, 127, 0xb0, 33, 127]);
    expect(ccBytes('cc14', 16, 0, 0.5)).toEqual([0xbf, 0, 64, 0xbf, 32, 0]);
  });
});
