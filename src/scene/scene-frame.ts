import type { DreamState } from '../model/index.ts';
import { GUARD_RATES, glitchStepIndex, glitchSubdivision, slew, stepsPerSecond } from './flash-guard.ts';
import { mix32, STEPS_PER_BEAT, stepHash, unit } from '../model/hash.ts';
import { createSceneLayers, updateSceneLayers } from './scene-layers.ts';
import type { SceneLayers } from './scene-layers.ts';

/** Dreamers the shaders have room for (uniform arrays); more are drawn as the last one's region. */
export const MAX_DREAMERS = 64;
/** Reduced motion: how far fractured tiles travel, relative to full motion. */
export const REDUCED_MOTION_SCALE = 0.3;

/**
 * What the scene draws this frame, derived from the dream-state: the guarded (slew-limited)
 * values, colours in linear RGB, and the glitch's step on the beat grid. One mutable object per
 * scene, updated in place every frame (no allocation in the frame loop).
 */
export interface SceneFrame {
  initialized: boolean;
  /** Dream time of this frame and the dream time that passed since the last one. */
  time: number;
  dt: number;
  seed: number;
  guard: boolean;
  reducedMotion: boolean;
  /** 1, or REDUCED_MOTION_SCALE with reduced motion. */
  motion: number;
  /** Signed: positive is fracture, negative the spring's overshoot past rest (recoil). */
  fracture: number;
  glitch: number;
  depth: number;
  arousal: number;
  valence: number;
  unity: number;
  fade: number;
  tempo: number;
  /**
   * The dream's pace (state.flow), times the motion scale: particles and the threads' rivers move
   * by it, the same at the same dream time in every window (reduced motion moves them at 0.3 of it).
   */
  flow: number;
  epicentre: Float32Array;
  fractureSeed: number;
  glitchSeed: number;
  /** Glitch step index on the beat grid, its subdivision, and four random numbers for the step. */
  glitchStep: number;
  glitchSubdivision: number;
  glitchStepsPerSecond: number;
  stepRandom: Float32Array;
  /** deep, haze, glow, accent: linear RGB, 12 floats. */
  palette: Float32Array;
  dreamerCount: number;
  /** Per dreamer: linear RGB and presence (vec4), and whether it is drawn (0..1, faded). */
  dreamers: Float32Array;
  visible: Float32Array;
  /** The mean colour of the visible dreamers (what one homogenized dream looks like). */
  unityColour: Float32Array;
  /** The preset's scene: each layer's kind (cross-fading) and numbers (scene-layers.ts). */
  layers: SceneLayers;
  /** True when every guarded value has reached its target. */
  settled: boolean;
}

export const createSceneFrame = (): SceneFrame => ({
  initialized: false,
  time: 0,
  dt: 0,
  seed: 0,
  guard: true,
  reducedMotion: false,
  motion: 1,
  fracture: 0,
  glitch: 0,
  depth: 0.5,
  arousal: 0.3,
  valence: 0,
  unity: 0.5,
  fade: 1,
  tempo: 72,
  flow: 0,
  epicentre: new Float32Array(2),
  fractureSeed: 0,
  glitchSeed: 0,
  glitchStep: 0,
  glitchSubdivision: 1,
  glitchStepsPerSecond: 0,
  stepRandom: new Float32Array(4),
  palette: new Float32Array(12),
  dreamerCount: 0,
  dreamers: new Float32Array(MAX_DREAMERS * 4),
  visible: new Float32Array(MAX_DREAMERS),
  unityColour: new Float32Array(3),
  layers: createSceneLayers(),
  settled: true,
});

const hexDigit = (c: number): number => (c <= 57 ? c - 48 : (c | 32) - 87);

/** One channel (0 = r, 1 = g, 2 = b) of a '#rrggbb' colour, as linear RGB; no allocation. */
export const linearChannel = (colour: string, channel: number): number => {
  if (colour.length !== 7) return 0;
  const i = 1 + channel * 2;
  const v = ((hexDigit(colour.charCodeAt(i)) << 4) | hexDigit(colour.charCodeAt(i + 1))) / 255;
  if (!(v >= 0 && v <= 1)) return 0;
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
};

// The follower's settings for the frame being updated (module-level: no closure per frame).
let followFree = true;
let followDt = 0;
let followSettled = true;
const follow = (current: number, target: number, rate: number): number => {
  const next = followFree ? target : slew(current, target, rate * followDt);
  if (next !== target) followSettled = false;
  return next;
};

export interface FrameOptions {
  /** The audience view: private dreamers are not drawn. */
  audience: boolean;
  /** The viewer's prefers-reduced-motion. */
  prefersReducedMotion: boolean;
  /**
   * The dream clock is running (not paused). A paused clock moved by hand (clock.step, a seek
   * while paused: tests and renders at a dream time) snaps, so the same dream time draws the same
   * picture; a running one follows a jump under the guard.
   */
  running?: boolean;
}

/** A dream clock that moved back, or on by more than this in one frame, jumped (a seek, a re-sync). */
export const JUMP_S = 0.25;
/** A jump is followed as one frame of this length: scrubbing a replay flashes no more than playing it. */
export const JUMP_FOLLOW_S = 1 / 60;

/** The glitch's step on the beat grid (never faster than the guard allows) and its four values. */
const updateGlitchStep = (f: SceneFrame, s: DreamState, jumped: boolean): void => {
  // The glitch steps on the beat grid, never faster than the guard allows.
  const sub = glitchSubdivision(f.glitch, s.tempo, f.guard, f.reducedMotion);
  f.glitchSubdivision = sub;
  f.glitchStepsPerSecond = stepsPerSecond(s.tempo, sub);
  // A jump holds the glitch's step (scrubbing back and forth would otherwise step it every frame).
  if (!(jumped && f.guard)) f.glitchStep = glitchStepIndex(s.beat, sub);
  // The step's values are the score's for the sixteenth this step starts on (src/model/hash.ts).
  const h = stepHash(f.glitchSeed, Math.round(f.glitchStep * (STEPS_PER_BEAT / sub)));
  f.stepRandom[0] = unit(h);
  f.stepRandom[1] = unit(mix32(h ^ 0x68bc21eb));
  f.stepRandom[2] = unit(mix32(h ^ 0x02e5be93));
  f.stepRandom[3] = unit(mix32(h ^ 0x967a889b));
};

/** Each dreamer's colour, presence and visibility (private ones veiled in an audience), and the colour of unity. */
const updateDreamers = (f: SceneFrame, s: DreamState, audience: boolean, snap: boolean): void => {
  const count = Math.min(MAX_DREAMERS, s.dreamers.length);
  f.dreamerCount = count;
  let ur = 0;
  let ug = 0;
  let ub = 0;
  let uw = 0;
  for (let i = 0; i < MAX_DREAMERS; i++) {
    const d = i < count ? s.dreamers[i] : undefined;
    const o = i * 4;
    if (!d) {
      f.visible[i] = 0;
      f.dreamers[o + 3] = 0;
      continue;
    }
    // A dreamer who appears (a new preset) takes its colour at once, then fades in.
    const fresh = snap || f.visible[i] === 0;
    for (let c = 0; c < 3; c++) {
      const target = linearChannel(d.colour, c);
      f.dreamers[o + c] = fresh ? target : follow(f.dreamers[o + c]!, target, GUARD_RATES.colour);
    }
    const shown = audience && d.consent === 'private' ? 0 : 1;
    f.visible[i] = follow(f.visible[i]!, shown, GUARD_RATES.presence);
    f.dreamers[o + 3] = follow(f.dreamers[o + 3]!, d.presence, GUARD_RATES.presence);
    const w = f.visible[i]! * (0.25 + f.dreamers[o + 3]!);
    ur += f.dreamers[o]! * w;
    ug += f.dreamers[o + 1]! * w;
    ub += f.dreamers[o + 2]! * w;
    uw += w;
  }
  if (uw > 0) {
    f.unityColour[0] = ur / uw;
    f.unityColour[1] = ug / uw;
    f.unityColour[2] = ub / uw;
  } else {
    f.unityColour[0] = f.palette[6]!;
    f.unityColour[1] = f.palette[7]!;
    f.unityColour[2] = f.palette[8]!;
  }
};

/**
 * Update the frame from the dream-state. With the flash guard on, every brightness-driving value
 * follows its target at GUARD_RATES; off, it jumps. The first frame (and a new seed) snaps to the
 * targets, and so does a paused clock moved by hand. A running dream clock that jumped (a seek or
 * scrub of a replay, an audience re-syncing) is followed as one ordinary frame, and the glitch
 * holds its step, so nothing that moves dream time while the show runs flashes faster than the
 * guard allows.
 */
export const updateSceneFrame = (f: SceneFrame, s: DreamState, options: FrameOptions): void => {
  const snap = !f.initialized || s.seed !== f.seed;
  const moved = snap ? 0 : s.clock - f.time;
  const jumped = !snap && options.running === true && (moved < 0 || moved > JUMP_S);
  const stepped = !snap && !jumped && (moved < 0 || moved > JUMP_S);
  const dt = jumped ? JUMP_FOLLOW_S : moved;
  f.dt = jumped || stepped ? 0 : dt;
  f.time = s.clock;
  f.seed = s.seed;
  f.guard = s.safety.flashGuard;
  f.reducedMotion = s.safety.reducedMotion || options.prefersReducedMotion;
  f.motion = f.reducedMotion ? REDUCED_MOTION_SCALE : 1;
  f.tempo = s.tempo;
  f.flow = s.flow * f.motion;
  f.fade = s.output.fade;
  followFree = snap || stepped || !f.guard;
  followDt = dt;
  followSettled = true;

  const m = s.mosaic;
  f.fracture = follow(f.fracture, m.fracture - m.recoil, GUARD_RATES.fracture);
  f.glitch = follow(f.glitch, m.glitch, GUARD_RATES.glitch);
  f.depth = follow(f.depth, s.depth, GUARD_RATES.scalar);
  f.arousal = follow(f.arousal, s.mood.arousal, GUARD_RATES.scalar);
  f.valence = follow(f.valence, s.mood.valence, GUARD_RATES.scalar * 2);
  f.unity = follow(f.unity, s.unity, GUARD_RATES.scalar);
  f.epicentre[0] = m.epicentre[0];
  f.epicentre[1] = m.epicentre[1];
  f.fractureSeed = m.fractureSeed >>> 0;
  f.glitchSeed = m.glitchSeed >>> 0;

  updateGlitchStep(f, s, jumped);

  const p = s.palette;
  for (let c = 0; c < 3; c++) {
    f.palette[c] = follow(f.palette[c]!, linearChannel(p.deep, c), GUARD_RATES.colour);
    f.palette[3 + c] = follow(f.palette[3 + c]!, linearChannel(p.haze, c), GUARD_RATES.colour);
    f.palette[6 + c] = follow(f.palette[6 + c]!, linearChannel(p.glow, c), GUARD_RATES.colour);
    f.palette[9 + c] = follow(f.palette[9 + c]!, linearChannel(p.accent, c), GUARD_RATES.colour);
  }

  updateDreamers(f, s, options.audience, snap);
  const layersSettled = updateSceneLayers(f.layers, s, jumped || stepped ? 0 : dt, snap || stepped, followFree, Math.abs(f.fracture) > 0.01);
  f.settled = followSettled && layersSettled;
  f.initialized = true;
};
