import type { DreamscapeApi } from '../api/dreamscape-api.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { mappingsModule } from './mappings/mappings-module.ts';
import type { MappingEngine } from './mappings/engine.ts';
import { tempoModule } from './tempo/tempo-module.ts';
import { midiModule } from './midi/midi-module.ts';
import type { MidiControl } from './midi/midi-module.ts';
import type { TempoControl } from './tempo/tempo-module.ts';
import { listenModule } from './listen/listen-module.ts';
import type { ListenApi } from './listen/listen-module.ts';
import { presetFilesModule } from './preset-files/preset-files-module.ts';

/**
 * The performer's inputs beyond keys and panels: each is one module in src/inputs/ that turns what
 * arrives (a MIDI message, an OSC packet, a tap, a sound) into source-tagged actions on the
 * runtime's bus. The mapping engine is shared: an input hands it ControlEvents.
 */
export interface Inputs {
  /** The mapping engine (null once stopped). */
  mappings(): MappingEngine | null;
  tempo: TempoControl;
  midi: MidiControl;
  listen: ListenApi;
  stop(): void;
}

export interface InputOptions {
  /** One calm line for the performer (a refused permission, a locked input, a bad stored profile). */
  say: (message: string) => void;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The page's query (`?osc=ws://…` and the like). */
  search: string;
}

export const startInputs = (runtime: Runtime, api: DreamscapeApi, options: InputOptions): Inputs => {
  const tempo = tempoModule(api);
  const stops = [runtime.start(tempo)];
  const mappings = mappingsModule(api, {
    storage: options.storage,
    say: options.say,
    tap: (source) => tempo.control.tap(source),
    loadPreset: (id, seconds, source) => {
      api.loadPreset(id, { morphSeconds: seconds, source }).catch((err: unknown) => options.say(`morph to ${id}: ${(err as Error).message}`));
    },
  });
  stops.push(runtime.start(mappings));
  const midi = midiModule(api, { engine: () => mappings.engine(), say: options.say });
  stops.push(runtime.start(midi));
  const listen = listenModule(api, { engine: () => mappings.engine(), say: options.say });
  stops.push(runtime.start(listen));
  // Authoring live: under the dev server a saved preset file revises the show (a build has no such input).
  if (import.meta.hot) stops.push(runtime.start(presetFilesModule(api, { hot: import.meta.hot, say: options.say })));
  return {
    mappings: () => mappings.engine(),
    tempo: tempo.control,
    midi: midi.control,
    listen: listen.control,
    stop: () => {
      for (const stop of stops.reverse()) stop();
    },
  };
};
