/**
 * The dream's words: the choices its enumerated parameters take and the limits of a preset.
 * Data only, imported by the parameter table and the state types alike (so neither imports the other).
 */
export const KEYS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export const MODES = ['major', 'minor', 'dorian', 'phrygian', 'lydian', 'mixolydian'] as const;
export const VOICES = ['pad', 'bell', 'choir', 'pluck', 'strings', 'bass', 'lead'] as const;
export const PATTERNS = ['voronoi', 'hex', 'grid'] as const;
export const CONSENTS = ['shared', 'private'] as const;

export type Key = (typeof KEYS)[number];
export type Mode = (typeof MODES)[number];
export type Voice = (typeof VOICES)[number];
export type Pattern = (typeof PATTERNS)[number];
export type Consent = (typeof CONSENTS)[number];

export const LIMITS = {
  fileBytes: 256 * 1024,
  tiles: 262_144,
  dreamers: 64,
  acts: 128,
  eventsPerAct: 256,
  motifNotes: 32,
  jsonDepth: 16,
} as const;
