import { validatePreset } from '../model/index.ts';
import type { Preset } from '../model/index.ts';

/** The presets shipped in presets/*.json, checked when the app starts. */
const files = import.meta.glob<{ default: unknown }>('../../presets/*.json', { eager: true });

export const DEFAULT_PRESET = 'dream-temple';

const bundled = new Map<string, Preset>();
for (const [file, mod] of Object.entries(files)) {
  if (file.endsWith('/schema.json')) continue;
  const r = validatePreset(mod.default);
  if (r.ok) bundled.set(r.preset.id, r.preset);
  else console.error(`bundled preset ${file} is invalid`, r.problems);
}

export const bundledPresetIds = (): string[] => [...bundled.keys()].sort((a, b) => (a === DEFAULT_PRESET ? -1 : b === DEFAULT_PRESET ? 1 : a.localeCompare(b)));
export const bundledPreset = (id: string): Preset | undefined => bundled.get(id);
/** A preset file saved under the dev server (src/inputs/preset-files/): later loads of its id get the edit. */
export const setBundledPreset = (preset: Preset): void => {
  bundled.set(preset.id, preset);
};
