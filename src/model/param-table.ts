import { CAMERA_MOTIONS, CONSENTS, FRACTURE_KINDS, KEYS, MODES, MOSAIC_SHAPES, PARTICLE_KINDS, PATTERNS, REGION_KINDS, SKY_KINDS, THREAD_ROUTINGS, THREAD_STYLES, VOICES } from './vocabulary.ts';

/**
 * The parameter table: one row per parameter a performer, a preset, an act, a timed event, a morph
 * or (soon) a controller may change. Everything else is derived from these rows: the state's types
 * (state.ts), the preset and show-log schemas and the JSON Schemas an editor reads (schema.ts,
 * show-log.ts), the defaults, preset resolution and export (preset.ts), morphs (actions.ts,
 * tick.ts), `modulate`'s checks (params.ts), the relay's message checks (sync/validate.ts) and the
 * leva panels (controls/panel-layout.ts). A new parameter is one row here, and nothing else.
 *
 * A path is a top-level `field`, `group.field` or `group.slot.field`; the state holds it at that
 * place (`mood.arousal` is `state.mood.arousal`, `scene.sky.kind` is `state.scene.sky.kind`).
 * Dreamer rows are per dreamer, addressed as `dreamers.<index or id>.<field>`.
 */

/** The leva folders a row may sit in (controls/panel-layout.ts adds the buttons). */
export const PANEL_FOLDERS = ['Dream', 'Mosaic', 'Scene', 'Symphony', 'Dreamers', 'Acts', 'Safety'] as const;
export type PanelFolder = (typeof PANEL_FOLDERS)[number];

/** How a morph (an act's transition, a preset morph) moves a parameter. */
export type MorphRule =
  /** numbers and colours glide from the old value to the new */
  | 'glide'
  /** enums, booleans and counts switch at the midpoint */
  | 'switch'
  /** a morph leaves it alone: the live disturbance, safety, the show's own switches */
  | 'keep';

interface RowCommon {
  /** Short, for panels and messages. */
  label: string;
  /** One sentence for an artist: shown by editors (the JSON Schema) and in the authoring guide. */
  doc: string;
  unit?: string;
  /** May a preset file set it (its starting value)? */
  preset: boolean;
  /** May an act's `values` set it? */
  act: boolean;
  /** May a timed event (`{type:'set', path}`) set it? */
  event: boolean;
  morph: MorphRule;
  /** A fader, a CC or a sound feature may move it every frame through `modulate`. */
  continuous: boolean;
  /** A controller (MIDI, OSC, a sound feature) may be mapped onto it. */
  mappable: boolean;
  /** Where the performer's panels show it; `key` is the control's name in its folder. */
  panel: { folder: PanelFolder; key: string } | null;
}

/** A dreamer row's default may differ per dreamer: a list is cycled by the dreamer's index. */
type Default<T> = T | readonly T[];

export type ParamSpec = RowCommon &
  (
    | { kind: 'number'; min: number; max: number; integer?: boolean; default: Default<number> }
    | { kind: 'enum'; values: readonly string[]; default: Default<string> }
    | { kind: 'colour'; default: Default<string> }
    | { kind: 'boolean'; default: Default<boolean> }
  );

type Options = Partial<RowCommon> & { integer?: boolean };

/** The usual row: settable by presets, acts and events; numbers and colours glide; not on a panel. */
const row = <R extends { kind: ParamSpec['kind']; default: unknown }>(r: R, label: string, doc: string, o: Options): R & RowCommon => {
  const number = r.kind === 'number' && o.integer !== true;
  const morph = o.morph ?? (number || r.kind === 'colour' ? 'glide' : 'switch');
  const continuous = o.continuous ?? (number && morph === 'glide');
  return {
    ...r,
    ...(o.integer ? { integer: true } : {}),
    label,
    doc,
    ...(o.unit ? { unit: o.unit } : {}),
    preset: o.preset ?? true,
    act: o.act ?? true,
    event: o.event ?? true,
    morph,
    continuous,
    mappable: o.mappable ?? continuous,
    panel: o.panel ?? null,
  };
};

const num = (min: number, max: number, value: Default<number>, label: string, doc: string, o: Options = {}) =>
  row({ kind: 'number' as const, min, max, default: value }, label, doc, o);
const choice = <V extends readonly string[]>(values: V, value: Default<V[number]>, label: string, doc: string, o: Options = {}) =>
  row({ kind: 'enum' as const, values, default: value }, label, doc, o);
const colour = (value: Default<string>, label: string, doc: string, o: Options = {}) => row({ kind: 'colour' as const, default: value }, label, doc, o);
const flag = (value: boolean, label: string, doc: string, o: Options = {}) => row({ kind: 'boolean' as const, default: value }, label, doc, o);

const on = (folder: PanelFolder, key: string) => ({ panel: { folder, key } });
/** The performer's own: no preset, act, event, morph or controller touches it. */
const performerOnly: Options = { preset: false, act: false, event: false, morph: 'keep', continuous: false, mappable: false };

/** Parameters of the dream as a whole, in the order the panels show them. */
export const PARAMS = {
  'mood.valence': num(-1, 1, 0, 'valence (sad..joyful)', 'The mood from sad (-1) to joyful (1): the palette warms, the harmony brightens.', on('Dream', 'valence')),
  'mood.arousal': num(0, 1, 0.3, 'arousal (calm..agitated)', 'The mood from calm (0) to agitated (1): motion, note density and the tiles\' breathing.', on('Dream', 'arousal')),
  depth: num(0, 1, 0.5, 'sleep depth', 'Sleep depth from the drowsy surface (0) to the deepest sleep (1): darker, slower, lower.', on('Dream', 'depth')),
  unity: num(0, 1, 0.5, 'unity (own dreams..one dream)', 'From every dreamer\'s own dream (0) to one homogenized dream (1): the threads converge and the regions blend.', on('Dream', 'unity')),
  tempo: num(30, 240, 72, 'tempo (BPM)', 'The symphony\'s tempo; glitch steps lock to its beat.', { unit: 'BPM', ...on('Dream', 'tempo') }),
  key: choice(KEYS, 'D', 'key', 'The symphony\'s key (tonic).', on('Dream', 'key')),
  mode: choice(MODES, 'dorian', 'mode', 'The symphony\'s mode.', on('Dream', 'mode')),
  'palette.deep': colour('#070a1f', 'deep', 'The depths of the sky.', on('Dream', 'deep')),
  'palette.haze': colour('#2b2d6e', 'haze', 'The haze between the depths and the light.', on('Dream', 'haze')),
  'palette.glow': colour('#7fd6ff', 'glow', 'The glow of the nebulae and the mosaic\'s grout.', on('Dream', 'glow')),
  'palette.accent': colour('#ff7ad9', 'accent', 'Sparks: glitch edges and highlights.', on('Dream', 'accent')),
  'mosaic.tiles': num(1, 262_144, 4096, 'tiles', 'How many tiles the Dream Mosaic has (acts do not rebuild it).', { integer: true, act: false, ...on('Mosaic', 'tiles') }),
  'mosaic.pattern': choice(PATTERNS, 'voronoi', 'pattern', 'The tiles\' pattern.', { act: false, ...on('Mosaic', 'pattern') }),
  'mosaic.fracture': num(0, 1, 0, 'fracture', 'How far the mosaic is fractured: tiles part along their cracks (the live disturbance; a morph leaves it).', { morph: 'keep', continuous: true, ...on('Mosaic', 'fracture') }),
  'mosaic.glitch': num(0, 1, 0, 'glitch', 'How hard the mosaic glitches: tiles step on the beat (the live disturbance; a morph leaves it).', { morph: 'keep', continuous: true, ...on('Mosaic', 'glitch') }),
  'mosaic.restabilizeSeconds': num(0.1, 60, 4, 'restabilize time (s)', 'Seconds the mosaic takes to spring back whole after a fracture or glitch.', { unit: 's', act: false, ...on('Mosaic', 'restabilize time') }),
  // ---- the scene's layers: what world the dream is set in (a preset's `scene`) ----
  'scene.sky.kind': choice(SKY_KINDS, 'nebula', 'sky', 'The sky behind everything: nebula (slow clouds of light), aurora (curtains), stars (a deep field), fog (a low luminous mist), caustics (light through liquid). A change cross-fades.', on('Scene', 'sky')),
  'scene.sky.brightness': num(0, 2, 1, 'sky brightness', 'How bright the sky is, 1 as designed (0 leaves only the deep colour).', on('Scene', 'sky brightness')),
  'scene.mosaic.shape': choice(MOSAIC_SHAPES, 'block', 'mosaic shape', 'What the Dream Mosaic is laid on: block (a rounded window), disc, ring, dome (a vault seen from inside), wall (a tapestry filling the view), floor (a ground in perspective), sphere, islands (scattered rafts). A change cross-fades.', on('Scene', 'shape')),
  'scene.mosaic.x': num(-4, 4, 0, 'mosaic x', 'Where the mosaic stands, left (-) or right (+), in mosaic heights.', on('Scene', 'mosaic x')),
  'scene.mosaic.y': num(-4, 4, 0, 'mosaic y', 'Where the mosaic stands, down (-) or up (+), in mosaic heights.', on('Scene', 'mosaic y')),
  'scene.mosaic.scale': num(0.2, 4, 1, 'mosaic scale', 'The mosaic\'s size, 1 as designed for its shape.', on('Scene', 'mosaic scale')),
  'scene.mosaic.regions': choice(REGION_KINDS, 'sectors', 'regions', 'How the dreamers\' regions lie on the mosaic: sectors (slices around the centre), bands (stripes), islands (patches), interleaved (tile by tile, woven together). A change cross-fades.', on('Scene', 'regions')),
  'scene.mosaic.relief': num(0, 1, 0.5, 'tile relief', 'How domed each tile is: 0 flat enamel, 0.5 cabochons as designed, 1 deep gems.', on('Scene', 'relief')),
  'scene.mosaic.grout': num(0, 1, 0.5, 'grout', 'How wide and bright the glowing grout between tiles is, 0.5 as designed.', on('Scene', 'grout')),
  'scene.mosaic.fracture': choice(FRACTURE_KINDS, 'plates', 'fracture kind', 'How the mosaic breaks: plates (parting along cracks), shatter (tiles blown from the epicentre), peel (tiles lifting away from the epicentre like a page), dissolve (tiles crumbling to dust).', on('Scene', 'fracture kind')),
  'scene.threads.style': choice(THREAD_STYLES, 'ribbons', 'thread style', 'How the dreamers\' threads look: ribbons, braids (twisted pairs), rivers (flowing particles), strands (thin liquid filaments), lace (a network between the dreamers). A change cross-fades.', on('Scene', 'threads')),
  'scene.threads.routing': choice(THREAD_ROUTINGS, 'across', 'thread routing', 'Where the threads run: across the dream, radial (to its centre), knot (converging as unity rises). A change cross-fades.', on('Scene', 'routing')),
  'scene.threads.brightness': num(0, 2, 1, 'thread brightness', 'How bright the threads are, 1 as designed (0 hides them).', on('Scene', 'thread brightness')),
  'scene.particles.kind': choice(PARTICLE_KINDS, 'none', 'particles', 'Motes in the air: none, dust, fireflies, ash, petals, embers, rain; each moves with the mood and scatters with the glitch. A change cross-fades.', on('Scene', 'particles')),
  'scene.particles.amount': num(0, 1, 0.5, 'particle amount', 'How many particles there are (0 none, 1 a storm).', on('Scene', 'particle amount')),
  'scene.camera.distance': num(2, 40, 12.5, 'camera distance', 'How far the camera stands from the mosaic, in world units (the mosaic is about 7 tall); the framing widens on a narrow screen so the dream still fills it.', { unit: 'units', ...on('Scene', 'distance') }),
  'scene.camera.height': num(-12, 12, 0, 'camera height', 'How high the camera stands above the mosaic\'s centre, in world units.', { unit: 'units', ...on('Scene', 'height') }),
  'scene.camera.tilt': num(-80, 80, 0, 'camera tilt', 'How far the camera looks down (+) or up (-) from level, in degrees.', { unit: '°', ...on('Scene', 'tilt') }),
  'scene.camera.fov': num(15, 110, 38, 'field of view', 'The camera\'s vertical field of view on a landscape screen, in degrees.', { unit: '°', ...on('Scene', 'fov') }),
  'scene.camera.motion': choice(CAMERA_MOTIONS, 'drift', 'camera motion', 'How the camera moves: drift (a slow wander), still, orbit (circling the mosaic), dolly (travelling in along a path through each act). A change cross-fades.', on('Scene', 'motion')),
  'scene.camera.speed': num(0, 1, 0.5, 'camera speed', 'How fast the camera moves, 0.5 as designed.', on('Scene', 'camera speed')),
  'scene.finish.vignette': num(0, 1, 0.5, 'vignette', 'How far the picture darkens toward its edges, 0.5 as designed.', on('Scene', 'vignette')),
  'scene.finish.grain': num(0, 1, 0, 'grain', 'Film grain over the picture (0: none, as designed).', on('Scene', 'grain')),
  'scene.finish.chroma': num(0, 1, 0, 'chromatic split', 'How far red and blue part toward the edges, like an old lens (0: not at all, as designed; the glitch splits them further).', on('Scene', 'chroma')),
  'scene.finish.bloom': num(0, 2, 1, 'bloom', 'How strongly bright light blooms, 1 as designed.', on('Scene', 'bloom')),
  'symphony.level': num(0, 1, 0.8, 'master level', 'The symphony\'s master level (under the performer\'s level cap).', on('Symphony', 'master')),
  'symphony.reverb': num(0, 1, 0.5, 'reverb', 'How much of the symphony reaches the reverb.', on('Symphony', 'reverb')),
  'show.auto': flag(true, 'auto-advance acts', 'Whether acts advance on their own when their duration ends.', { preset: false, act: false, morph: 'keep', ...on('Acts', 'auto-advance') }),
  'show.tempoHold': flag(false, 'hold tempo', 'A tapped or received tempo (tap, MIDI clock) holds through act changes and morphs until the performer releases it.', { preset: false, act: false, event: false, morph: 'keep', ...on('Acts', 'hold tempo') }),
  'safety.flashGuard': flag(true, 'flash guard', 'At most three flashes a second, whatever drives the dream. The performer\'s alone.', { ...performerOnly, ...on('Safety', 'flashGuard') }),
  'safety.reducedMotion': flag(false, 'reduced motion', 'Calmer motion for viewers who ask for it. The performer\'s alone.', { ...performerOnly, ...on('Safety', 'reducedMotion') }),
  'safety.masterCap': num(-48, -1, -1, 'master cap (dBFS)', 'The symphony\'s level ceiling; never above -1 dBFS. The performer\'s alone.', { unit: 'dBFS', ...performerOnly, ...on('Safety', 'masterCap') }),
} as const satisfies Record<string, ParamSpec>;

/** Parameters of each dreamer, addressed as `dreamers.<index or id>.<field>`. */
export const DREAMER_PARAMS = {
  presence: num(0, 1, 0.8, 'presence', 'How present the dreamer is: their region of the mosaic and their thread.', on('Dreamers', 'presence')),
  level: num(0, 1, 0.8, 'voice level', 'The mix level of the dreamer\'s voice in the symphony.', on('Symphony', 'voice')),
  colour: colour(['#7fd6ff', '#ffb86b', '#c38bff', '#7dffb0', '#ff7a9c', '#f4f08a'], 'colour', 'The dreamer\'s colour: their thread and their region\'s tint.', on('Dreamers', 'colour')),
  consent: choice(CONSENTS, 'shared', 'consent', 'private: never shown or heard by the audience.', on('Dreamers', 'consent')),
  voice: choice(VOICES, ['pad', 'bell', 'choir', 'strings', 'pluck', 'bass'], 'voice', 'The instrument of the dreamer in the neuro-symphony.'),
} as const satisfies Record<string, ParamSpec>;

export type ParamTable = Readonly<Record<string, ParamSpec>>;
export type GlobalPath = keyof typeof PARAMS;
export type DreamerField = keyof typeof DREAMER_PARAMS;

// ---- the state's shape, derived from the rows ----------------------------------------------------

type RowValue<R> = R extends { kind: 'number' } ? number : R extends { kind: 'enum'; values: readonly (infer V)[] } ? V : R extends { kind: 'colour' } ? string : boolean;
type Head<P> = P extends `${infer A}.${string}` ? A : P;
/** The rows under `A.`, with that prefix taken off. */
type Under<T, A extends string> = { [P in keyof T & string as P extends `${A}.${infer B}` ? B : never]: T[P] };

/** `{'mood.valence': …, depth: …, 'scene.sky.kind': …}` → `{ mood: { valence: number }, depth: number, scene: { sky: { kind: … } } }`. */
export type ParamTree<T> = {
  -readonly [K in keyof T & string as Head<K>]: K extends `${infer A}.${string}` ? ParamTree<Under<T, A>> : RowValue<T[K]>;
};

/** A dreamer row's default for the dreamer at `index`. */
export const defaultFor = (spec: ParamSpec, index = 0): number | string | boolean => {
  const d = spec.default;
  return Array.isArray(d) ? (d as readonly (number | string | boolean)[])[index % d.length]! : (d as number | string | boolean);
};
