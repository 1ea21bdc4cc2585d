import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import { readAt, validatePresetText } from '../../model/index.ts';
import { REVISE_SECONDS } from '../../model/revise.ts';
import type { Preset } from '../../model/index.ts';
import type { Runtime, RuntimeModule } from '../../runtime/runtime.ts';
import { bundledPreset, setBundledPreset } from '../../store/bundled-presets.ts';
import { PRESET_FILE_EVENT } from './event.ts';
import type { PresetFileMessage } from './event.ts';
import { withLineColumn } from './json-position.ts';

/**
 * Authoring live: under the dev server (npm start) a saved presets/*.json arrives as its text (the
 * plugin in vite.config.ts). Checked as an imported file is; a good edit of the preset now playing
 * revises the show (one logged `revise`, source `file`: the act and clock go on, the dream morphs to
 * the edited values); of another preset, it is what loading that id gives from now on. A broken
 * edit shows its problems on screen, with the file and each path, until the next good save.
 */
declare module 'vite/types/customEvent.d.ts' {
  interface CustomEventMap {
    'dreamscape:preset-file': PresetFileMessage;
  }
}

/** The part of `import.meta.hot` this input uses. */
export interface HotEvents {
  on(event: typeof PRESET_FILE_EVENT, listener: (message: PresetFileMessage) => void): void;
  off(event: typeof PRESET_FILE_EVENT, listener: (message: PresetFileMessage) => void): void;
}

/** What became of the last saved file (dreamscape.presetFiles.last()). */
export interface PresetFileStatus {
  file: string;
  /** When the page had it and when it was done with it (ms since the epoch). */
  received: number;
  done: number;
  /** revised: the show follows; updated: another preset; problems: on screen; refused: the show's inputs are locked. */
  outcome: 'revised' | 'updated' | 'problems' | 'refused';
  problems: number;
}

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Authoring live (npm start only): what became of the last preset file saved. */
    presetFiles: { last(): PresetFileStatus | null };
  }
}

/** Keep the show's tile count (a `?tiles=`) unless the edit changed the preset's. */
const keptTiles = (runtime: Runtime, before: Preset | undefined, after: Preset): { tiles?: number } =>
  before !== undefined && readAt(before, 'mosaic.tiles') === readAt(after, 'mosaic.tiles') ? { tiles: runtime.store.getState().base.mosaic.tiles } : {};

/** Check a saved file and act on it; returns what became of it. */
export const applyPresetFile = (runtime: Runtime, message: PresetFileMessage, say: (m: string) => void, seconds = REVISE_SECONDS): PresetFileStatus['outcome'] => {
  const { store } = runtime;
  const result = validatePresetText(message.text);
  if (!result.ok) {
    store.setState({ problems: { source: message.file, problems: withLineColumn(result.problems, message.text) } });
    return 'problems';
  }
  if (store.getState().problems?.source === message.file) store.setState({ problems: null });
  const before = bundledPreset(result.preset.id);
  setBundledPreset(result.preset);
  if (store.getState().base.preset !== result.preset.id) return 'updated';
  try {
    runtime.act({ type: 'revise', preset: result.preset, seconds, ...keptTiles(runtime, before, result.preset) }, 'file');
    return 'revised';
  } catch (err) {
    say(`${message.file}: not played: ${err instanceof Error ? err.message : String(err)}`);
    return 'refused';
  }
};

export const presetFilesModule = (api: DreamscapeApi, options: { hot: HotEvents; say: (message: string) => void }): RuntimeModule => ({
  name: 'preset files',
  start: (runtime) => {
    let last: PresetFileStatus | null = null;
    const onFile = (message: PresetFileMessage) => {
      const received = Date.now();
      const outcome = applyPresetFile(runtime, message, options.say);
      const problems = outcome === 'problems' ? (runtime.store.getState().problems?.problems.length ?? 0) : 0;
      last = { file: message.file, received, done: Date.now(), outcome, problems };
    };
    options.hot.on(PRESET_FILE_EVENT, onFile);
    const unregister = registerApi(api, { presetFiles: { last: () => last } });
    return () => {
      options.hot.off(PRESET_FILE_EVENT, onFile);
      unregister();
    };
  },
});
