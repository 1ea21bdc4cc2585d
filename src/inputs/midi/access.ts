/**
 * Asking for Web MIDI, and saying calmly why it is not there: a browser without it (Safari), a
 * page that is not a secure context (plain http on a LAN address: Web MIDI is for secure pages
 * only), or a refused permission. The rest of the performer view works in every case.
 */

export type MidiAccessResult = { ok: true; access: MIDIAccess } | { ok: false; state: 'unavailable' | 'refused'; why: string };

export interface MidiEnvironment {
  /** navigator (or a test's stand-in). */
  navigator: Partial<Pick<Navigator, 'requestMIDIAccess'>>;
  isSecureContext: boolean;
  /** The page's port, for the localhost address to suggest. */
  port: string;
}

export const browserMidiEnvironment = (): MidiEnvironment => ({
  navigator: typeof navigator === 'undefined' ? {} : navigator,
  isSecureContext: typeof window === 'undefined' ? true : window.isSecureContext,
  port: typeof location === 'undefined' ? '' : location.port,
});

export const INSECURE = (port: string): string =>
  `MIDI needs a secure page: open the performer view at http://localhost${port ? `:${port}` : ''} (or 127.0.0.1) on this machine, or over https; everything else works.`;
export const MISSING = 'MIDI: this browser has no Web MIDI (Safari has none): use Chrome, Edge or Firefox to play with MIDI controllers; everything else works.';
export const REFUSED = 'MIDI access was refused: allow MIDI for this site in the browser\'s site settings, then press "MIDI" in the Mappings panel; everything else works.';

export const requestAccess = async (env: MidiEnvironment): Promise<MidiAccessResult> => {
  // An insecure page hides requestMIDIAccess too: say the cause that can be fixed.
  if (!env.isSecureContext) return { ok: false, state: 'unavailable', why: INSECURE(env.port) };
  const request = env.navigator.requestMIDIAccess;
  if (typeof request !== 'function') return { ok: false, state: 'unavailable', why: MISSING };
  try {
    return { ok: true, access: await request.call(env.navigator, { sysex: false }) };
  } catch (err) {
    const name = (err as Error | undefined)?.name;
    if (name === 'SecurityError' || name === 'NotAllowedError') return { ok: false, state: 'refused', why: REFUSED };
    return { ok: false, state: 'refused', why: `MIDI could not start (${(err as Error | undefined)?.message ?? String(err)}); everything else works.` };
  }
};

export interface MidiDevice {
  id: string;
  name: string;
  manufacturer: string;
  type: 'input' | 'output';
}

const listPorts = (ports: MIDIInputMap | MIDIOutputMap, type: MidiDevice['type']): MidiDevice[] => {
  const out: MidiDevice[] = [];
  ports.forEach((p: MIDIPort) => {
    if (p.state !== 'disconnected') out.push({ id: p.id, name: p.name ?? '', manufacturer: p.manufacturer ?? '', type });
  });
  return out;
};

/** The connected ports, inputs first. */
export const listDevices = (access: MIDIAccess | null): MidiDevice[] => (access ? [...listPorts(access.inputs, 'input'), ...listPorts(access.outputs, 'output')] : []);
