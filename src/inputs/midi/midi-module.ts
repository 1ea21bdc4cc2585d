import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import { listeners } from '../../lib/listeners.ts';
import type { Runtime, RuntimeModule } from '../../runtime/runtime.ts';
import type { ControlEvent, MappingEngine } from '../mappings/engine.ts';
import { browserMidiEnvironment } from './access.ts';
import type { MidiDevice, MidiEnvironment } from './access.ts';
import { createClockFollower, createClockOut } from './clock.ts';
import type { TempoUpdate } from './clock.ts';
import { controlEvents, freshCc14, mayBe14BitMsb } from './events.ts';
import { feedbackSends } from './feedback.ts';
import { CLOCK, parseMessage, START, STOP } from './parse.ts';
import { openMidiPorts } from './ports.ts';
import type { MidiPorts, MidiState } from './ports.ts';

/**
 * MIDI in the performer view: controllers through the mapping engine, the controllers' LEDs and
 * motor faders fed back, MIDI clock in as the dream's tempo (source `midi`), and MIDI clock out.
 * Asks for access when it starts (the performer view opening); `dreamscape.midi.enable()` asks again.
 */

export type { MidiDevice } from './access.ts';

export interface MidiStatus {
  state: MidiState;
  /** Why MIDI is off, in one calm line ('' when on). */
  why: string;
  devices: MidiDevice[];
  /** The output the clock goes out on, or null. */
  clockOut: string | null;
  /** The received clock's smoothed tempo and whether it runs (started, not stopped). */
  clockIn: { bpm: number | null; running: boolean };
  received: number;
  sent: number;
  /** The last message that came in, for the Mappings panel ("cc 1/7 = 64 from nanoKONTROL"). */
  last: string | null;
}

export interface MidiApi {
  /** Ask for MIDI access (again); resolves with devices(). */
  enable(): Promise<MidiDevice[]>;
  devices(): MidiDevice[];
  /** Send MIDI clock (24 pulses a beat, from the dream's tempo) on this output, or stop (null). */
  clockOut(portId: string | null): void;
  status(): MidiStatus;
}

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** MIDI: `enable()`, `devices()`, `clockOut(portId | null)`, `status()`. */
    midi: MidiApi;
  }
}

export interface MidiControl extends MidiApi {
  /** Call `fn` when the status changes (devices, access, last message: at most once a frame). */
  onChange(fn: () => void): () => void;
}

export interface MidiDeps {
  engine(): MappingEngine | null;
  say(message: string): void;
  env?: MidiEnvironment;
  /** Frame scheduling for feedback and the panel (requestAnimationFrame in the page). */
  frame?: (fn: () => void) => void;
}

/** How long learning waits for the LSB of a CC 0-31 (a 14-bit control sends both at once). */
const PAIR_MS = 15;
const CLOCK_TICK_MS = 25;
const CLOCK_AHEAD_MS = 100;

const describeEvent = (e: ControlEvent): string => {
  const s = e.source;
  if (s.kind !== 'midi') return '';
  return `${s.type}${s.type === 'pitchbend' ? '' : ` ${s.number ?? ''}`} ch ${s.channel} = ${e.raw}${s.port ? ` from ${s.port}` : ''}`;
};

/** Learning a CC 0-31 waits a moment for its LSB, so a 14-bit control is learned as one. */
const learnPairing = (deps: MidiDeps) => {
  let held: { e: ControlEvent; timer: ReturnType<typeof setTimeout> } | null = null;
  const release = (): void => {
    if (!held) return;
    const h = held;
    held = null;
    clearTimeout(h.timer);
    deps.engine()?.control(h.e);
  };
  const deliver = (e: ControlEvent): void => {
    const engine = deps.engine();
    if (!engine) return;
    if (held) {
      const a = held.e.source;
      const b = e.source;
      if (a.kind === 'midi' && b.kind === 'midi' && b.type === 'cc14' && b.number === a.number && b.channel === a.channel && b.port === a.port) {
        const h = held;
        held = null;
        clearTimeout(h.timer);
        engine.control(e);
        engine.control(h.e);
        return;
      }
      release();
    }
    if (engine.learning() && mayBe14BitMsb(e)) held = { e, timer: setTimeout(release, PAIR_MS) };
    else engine.control(e);
  };
  return { deliver, stop: release };
};

/** Feedback: after any change (at most once a frame), each mapped CC's value where it changed. */
const feedbackLoop = (runtime: Runtime, deps: MidiDeps, ports: () => MidiPorts | null, counted: () => void) => {
  const sent = new Map<string, number>();
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    const engine = deps.engine();
    const p = ports();
    if (!engine || !p || p.state() !== 'on') return;
    for (const s of feedbackSends(engine.list(), (m) => engine.positionOf(m), sent)) {
      const outputs = s.port !== undefined ? p.outputsNamed(s.port) : p.inputNames().flatMap((n) => p.outputsNamed(n));
      for (const o of outputs) {
        o.send(s.bytes);
        counted();
      }
    }
  };
  const frame = deps.frame ?? ((fn: () => void) => requestAnimationFrame(fn));
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    frame(run);
  };
  const unsubscribe = runtime.store.subscribe(schedule);
  const unChange = deps.engine()?.onChange(schedule) ?? (() => undefined);
  return {
    schedule,
    /** A controller came (back): send it every value. */
    resend: () => {
      sent.clear();
      schedule();
    },
    stop: () => {
      unsubscribe();
      unChange();
    },
  };
};

/** Clock out: pulses scheduled ahead with send(data, timestamp), from the dream's tempo and beat. */
const clockOutLoop = (runtime: Runtime, ports: () => MidiPorts | null, counted: () => void) => {
  let id: string | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let started = false;
  const out = createClockOut();
  const tick = (): void => {
    const o = id === null ? null : (ports()?.output(id) ?? null);
    if (!o) return;
    const d = runtime.store.getState().dream;
    for (const t of out.due(performance.now(), CLOCK_AHEAD_MS, d.tempo, d.beat)) {
      if (!started) o.send([START], Math.max(0, t - 1));
      started = true;
      o.send([CLOCK], t);
      counted();
    }
  };
  const set = (next: string | null): void => {
    if (next === id) return;
    const previous = id === null ? null : (ports()?.output(id) ?? null);
    if (previous && started) previous.send([STOP]);
    if (timer) clearInterval(timer);
    timer = null;
    id = null;
    started = false;
    out.reset();
    if (next === null) return;
    const o = ports()?.output(next);
    if (!o) throw new Error(`no MIDI output '${next}'; outputs: ${(ports()?.devices() ?? []).filter((d) => d.type === 'output').map((d) => `${d.id} (${d.name})`).join(', ') || 'none'}`);
    id = next;
    timer = setInterval(tick, CLOCK_TICK_MS);
    tick();
  };
  return { set, id: () => id };
};

export const midiModule = (api: DreamscapeApi, deps: MidiDeps): RuntimeModule & { control: MidiControl } => {
  const changed = listeners<[]>();
  let control: MidiApi | null = null;
  const proxy: MidiControl = {
    enable: () => control?.enable() ?? Promise.resolve([]),
    devices: () => control?.devices() ?? [],
    clockOut: (id) => control?.clockOut(id),
    status: () => control?.status() ?? { state: 'off', why: '', devices: [], clockOut: null, clockIn: { bpm: null, running: false }, received: 0, sent: 0, last: null },
    onChange: changed.add,
  };
  return {
    name: 'midi',
    control: proxy,
    start: (runtime) => {
      const started = startMidi(runtime, deps, () => changed.emit((e) => console.error(e)));
      control = started.control;
      const unregister = registerApi(api, { midi: proxy });
      return () => {
        unregister();
        started.stop();
        control = null;
      };
    },
  };
};

/**
 * What comes in: clock messages to the follower (its tempo actions on the bus, source midi), the
 * rest as ControlEvents to the mapping engine; nothing while a show log plays (one line says so).
 */
const inbound = (runtime: Runtime, deps: MidiDeps, pairing: ReturnType<typeof learnPairing>, afterMessage: () => void) => {
  const cc14 = freshCc14();
  const follower = createClockFollower();
  let received = 0;
  let last: string | null = null;
  let tempoRefused = false;
  let lockedSaid = false;
  const applyTempo = (u: TempoUpdate): void => {
    try {
      runtime.act({ type: 'tempo', bpm: Math.min(240, Math.max(30, u.bpm)), ...(u.phase === undefined ? {} : { phase: u.phase }) }, 'midi');
      tempoRefused = false;
    } catch (err) {
      if (!tempoRefused) deps.say(`MIDI clock: ${(err as Error).message}`);
      tempoRefused = true;
    }
  };
  const message = (e: MIDIMessageEvent, input: MIDIInput): void => {
    received++;
    // While a show log plays, live inputs are locked but for panic, recover and safety: the
    // messages still reach the mappings (a panic pad must work) and the runtime refuses the rest.
    const locked = runtime.inputsLocked();
    if (locked !== null && !lockedSaid) deps.say(`MIDI plays only panic and recover: ${locked}`);
    lockedSaid = locked !== null;
    for (const m of parseMessage(e.data ?? [])) {
      if (m.kind === 'clock' || m.kind === 'start' || m.kind === 'continue' || m.kind === 'stop') {
        const u = follower.message(m.kind, e.timeStamp);
        if (u) applyTempo(u);
        continue;
      }
      for (const ev of controlEvents(m, input.name ?? undefined, cc14)) {
        last = describeEvent(ev);
        pairing.deliver(ev);
      }
    }
    afterMessage();
  };
  return { message, received: () => received, last: () => last, clockIn: () => ({ bpm: follower.bpm(), running: follower.running() }) };
};

const startMidi = (runtime: Runtime, deps: MidiDeps, notify: () => void) => {
  const env = deps.env ?? browserMidiEnvironment();
  const pairing = learnPairing(deps);
  let sent = 0;
  let ports: MidiPorts | null = null;
  const counted = (): void => void sent++;
  const feedback = feedbackLoop(runtime, deps, () => ports, counted);
  const clockOut = clockOutLoop(runtime, () => ports, counted);
  const input = inbound(runtime, deps, pairing, () => feedback.schedule());
  ports = openMidiPorts(env, {
    message: input.message,
    changed: (change) => {
      if (change?.connected) {
        if (change.connected.type === 'input') deps.say(`MIDI: ${change.connected.name || 'a controller'} connected`);
        feedback.resend();
      }
      if (change?.disconnected?.type === 'input') deps.say(`MIDI: ${change.disconnected.name || 'a controller'} disconnected`);
      notify();
    },
  });
  const p = ports;
  const enable = async (): Promise<MidiDevice[]> => {
    await p.enable();
    if (p.why()) deps.say(p.why());
    feedback.resend();
    return p.devices();
  };
  void enable();
  const control: MidiApi = {
    enable,
    devices: () => p.devices(),
    clockOut: (id) => {
      clockOut.set(id);
      notify();
    },
    status: () => ({ state: p.state(), why: p.why(), devices: p.devices(), clockOut: clockOut.id(), clockIn: input.clockIn(), received: input.received(), sent, last: input.last() }),
  };
  return {
    control,
    stop: () => {
      clockOut.set(null);
      pairing.stop();
      feedback.stop();
      p.close();
    },
  };
};
