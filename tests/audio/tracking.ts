/**
 * Counting what a part of the symphony makes, to prove that its dispose() lets all of it go:
 * every native node made through a context's create* methods (and whether it was disconnected,
 * and stopped if it is a source that was started), and every Tone node or Param reachable from
 * the part (and whether it reports `disposed`).
 */
import * as Tone from 'tone';

export interface MadeNative {
  node: AudioNode;
  /** Made by: the create* method's name. */
  by: string;
  /** disconnect() was called with no arguments: no connection is left. */
  disconnected: boolean;
  started: boolean;
  stopped: boolean;
}

/** Record every native node made through `ctx` from now on (until the returned `stop`). */
export const trackNatives = (ctx: Tone.BaseContext): { made: MadeNative[]; stop: () => void } => {
  const raw = ctx.rawContext as unknown as Record<string, unknown>;
  const names = new Set<string>();
  for (let o: object | null = raw; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) if (name.startsWith('create') && typeof raw[name] === 'function') names.add(name);
  }
  const made: MadeNative[] = [];
  const originals = new Map<string, unknown>();
  for (const name of names) {
    const create = raw[name] as (...a: unknown[]) => unknown;
    originals.set(name, Object.prototype.hasOwnProperty.call(raw, name) ? create : undefined);
    raw[name] = (...a: unknown[]) => {
      const node = create.apply(raw, a);
      if (typeof (node as AudioNode | null)?.disconnect === 'function') made.push(watch(node as AudioNode, name));
      return node;
    };
  }
  const stop = () => {
    for (const [name, original] of originals) {
      if (original === undefined) delete raw[name];
      else raw[name] = original;
    }
  };
  return { made, stop };
};

const watch = (node: AudioNode, by: string): MadeNative => {
  const entry: MadeNative = { node, by, disconnected: false, started: false, stopped: false };
  const patch = (name: string, after: (args: unknown[]) => void) => {
    const original = (node as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    if (typeof original !== 'function') return;
    (node as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
      const r = original.apply(node, a);
      after(a);
      return r;
    };
  };
  patch('disconnect', (a) => (entry.disconnected ||= a.length === 0));
  patch('start', () => (entry.started = true));
  patch('stop', () => (entry.stopped = true));
  return entry;
};

/** What is left of `made`: nodes still connected, and sources started and never stopped. */
export const leftovers = (made: readonly MadeNative[]): string[] => [
  ...made.filter((m) => !m.disconnected).map((m) => `${m.by}: not disconnected`),
  ...made.filter((m) => m.started && !m.stopped).map((m) => `${m.by}: started, never stopped`),
];

/** Fields that lead out of a part to what it does not own. */
const OUTSIDE = new Set(['context', '_context', 'transport', '_transport', 'source', 'settings']);

/** Every Tone node and Param reachable from `root` through its fields, arrays, sets and maps (`root` included). */
export const toneObjectsIn = (root: object): (Tone.ToneAudioNode | Tone.Param)[] => {
  const found = new Set<Tone.ToneAudioNode | Tone.Param>();
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    if (x instanceof Tone.BaseContext || (typeof AudioNode !== 'undefined' && x instanceof AudioNode)) return;
    if (x instanceof Tone.ToneAudioNode || x instanceof Tone.Param) found.add(x);
    if (x instanceof Tone.Param) return;
    const values = Array.isArray(x) || x instanceof Set ? [...(x as Iterable<unknown>)] : x instanceof Map ? [...x.values()] : Object.entries(x).filter(([k]) => !OUTSIDE.has(k)).map(([, v]) => v);
    for (const v of values) visit(v);
  };
  visit(root);
  return [...found];
};

/** Names of the Tone objects in `objects` that do not report `disposed`. */
export const undisposed = (objects: readonly (Tone.ToneAudioNode | Tone.Param)[]): string[] => objects.filter((o) => !o.disposed).map((o) => o.name);
