/**
 * The dev server's message for a saved preset file (vite.config.ts sends it, the preset-files input
 * takes it): the file as the artist knows it (`presets/<name>.json`) and its text as saved.
 */
export const PRESET_FILE_EVENT = 'dreamscape:preset-file';

export interface PresetFileMessage {
  file: string;
  text: string;
}
