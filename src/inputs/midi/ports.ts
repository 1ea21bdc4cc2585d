import { listDevices, requestAccess } from './access.ts';
import type { MidiDevice, MidiEnvironment } from './access.ts';

/**
 * The Web MIDI ports, thin: ask for access, listen to every connected input (onmidimessage, as
 * webmidi.js does) and to hot-plugging (onstatechange), and let go of all of it on close. Used
 * directly, not through webmidi.js: see the commit that brought it.
 */

export type MidiState = 'off' | 'asking' | 'on' | 'unavailable' | 'refused';

export interface MidiPorts {
  /** Ask (again); resolves when access is there or refused. */
  enable(): Promise<void>;
  state(): MidiState;
  /** Why MIDI is off ('' when on). */
  why(): string;
  devices(): MidiDevice[];
  /** The connected outputs named `name` (a controller's input and output share its name). */
  outputsNamed(name: string): MIDIOutput[];
  output(id: string): MIDIOutput | null;
  /** Names of the connected inputs. */
  inputNames(): string[];
  close(): void;
}

export interface PortEvents {
  message(e: MIDIMessageEvent, port: MIDIInput): void;
  /** Access came or went, a device was plugged in or out. */
  changed(change: { connected?: MidiDevice; disconnected?: MidiDevice } | null): void;
}

export const openMidiPorts = (env: MidiEnvironment, events: PortEvents): MidiPorts => {
  let access: MIDIAccess | null = null;
  let state: MidiState = 'off';
  let why = '';
  let closed = false;
  const listening = new Map<string, MIDIInput>();

  const attach = (): void => {
    if (!access) return;
    const seen = new Set<string>();
    access.inputs.forEach((input) => {
      if (input.state === 'disconnected') return;
      seen.add(input.id);
      if (listening.get(input.id) === input) return;
      input.onmidimessage = (e: MIDIMessageEvent) => events.message(e, input);
      listening.set(input.id, input);
    });
    for (const [id, input] of listening) {
      if (seen.has(id)) continue;
      input.onmidimessage = null;
      listening.delete(id);
    }
  };

  const onState = (e: Event): void => {
    attach();
    const port = (e as MIDIConnectionEvent).port;
    const device = port ? { id: port.id, name: port.name ?? '', manufacturer: port.manufacturer ?? '', type: port.type } : null;
    if (!device) return events.changed(null);
    events.changed(port?.state === 'disconnected' ? { disconnected: device } : { connected: device });
  };

  const detach = (): void => {
    for (const input of listening.values()) input.onmidimessage = null;
    listening.clear();
    if (access) access.onstatechange = null;
  };

  return {
    enable: async () => {
      state = 'asking';
      const r = await requestAccess(env);
      if (closed) return;
      if (!r.ok) {
        // Refused now: let go of what an earlier grant gave (the browser stops delivering anyway).
        detach();
        access = null;
        state = r.state;
        why = r.why;
        events.changed(null);
        return;
      }
      if (access !== r.access) detach();
      access = r.access;
      state = 'on';
      why = '';
      access.onstatechange = onState;
      attach();
      events.changed(null);
    },
    state: () => state,
    why: () => why,
    devices: () => listDevices(access),
    outputsNamed: (name) => {
      const out: MIDIOutput[] = [];
      access?.outputs.forEach((o) => {
        if (o.name === name && o.state !== 'disconnected') out.push(o);
      });
      return out;
    },
    output: (id) => {
      const o = access?.outputs.get(id);
      return o && o.state !== 'disconnected' ? o : null;
    },
    inputNames: () => [...listening.values()].map((i) => i.name ?? ''),
    close: () => {
      closed = true;
      detach();
      access = null;
      state = 'off';
    },
  };
};
