/**
 * The dream's words: the choices its enumerated parameters take and the limits of a preset.
 * Data only, imported by the parameter table and the state types alike (so neither imports the other).
 */
export const KEYS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export const MODES = ['major', 'minor', 'dorian', 'phrygian', 'lydian', 'mixolydian'] as const;
export const VOICES = ['pad', 'bell', 'choir', 'pluck', 'strings', 'bass', 'lead'] as const;
export const PATTERNS = ['voronoi', 'hex', 'grid'] as const;
export const CONSENTS = ['shared', 'private'] as const;

// The scene's layers (a preset's `scene`): each slot's kinds, the first of each list is the look of a
// version-1 preset (today's picture), except particles (none) and the camera (drift).
export const SKY_KINDS = ['nebula', 'aurora', 'stars', 'fog', 'caustics'] as const;
export const MOSAIC_SHAPES = ['block', 'disc', 'ring', 'dome', 'wall', 'floor', 'sphere', 'islands'] as const;
export const REGION_KINDS = ['sectors', 'bands', 'islands', 'interleaved'] as const;
export const FRACTURE_KINDS = ['plates', 'shatter', 'peel', 'dissolve'] as const;
export const THREAD_STYLES = ['ribbons', 'braids', 'rivers', 'strands', 'lace'] as const;
export const THREAD_ROUTINGS = ['across', 'radial', 'knot'] as const;
export const PARTICLE_KINDS = ['none', 'dust', 'fireflies', 'ash', 'petals', 'embers', 'rain'] as const;
export const CAMERA_MOTIONS = ['drift', 'still', 'orbit', 'dolly'] as const;

export type Key = (typeof KEYS)[number];
export type Mode = (typeof MODES)[number];
export type Voice = (typeof VOICES)[number];
export type Pattern = (typeof PATTERNS)[number];
export type Consent = (typeof CONSENTS)[number];
export type SkyKind = (typeof SKY_KINDS)[number];
export type MosaicShape = (typeof MOSAIC_SHAPES)[number];
export type RegionKind = (typeof REGION_KINDS)[number];
export type FractureKind = (typeof FRACTURE_KINDS)[number];
export type ThreadStyle = (typeof THREAD_STYLES)[number];
export type ThreadRouting = (typeof THREAD_ROUTINGS)[number];
export type ParticleKind = (typeof PARTICLE_KINDS)[number];
export type CameraMotion = (typeof CAMERA_MOTIONS)[number];

export const LIMITS = {
  fileBytes: 256 * 1024,
  tiles: 262_144,
  dreamers: 64,
  acts: 128,
  eventsPerAct: 256,
  motifNotes: 32,
  jsonDepth: 16,
} as const;
