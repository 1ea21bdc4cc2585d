import type { DreamState } from '../model/index.ts';
import { CAMERA_MOTIONS, FRACTURE_KINDS, MOSAIC_SHAPES, PARTICLE_KINDS, REGION_KINDS, SKY_KINDS, THREAD_ROUTINGS, THREAD_STYLES } from '../model/index.ts';
import { slew } from './flash-guard.ts';

/** Seconds a change of kind (sky, shape, regions, thread style or routing, particles, camera motion) takes to cross-fade. */
export const CROSSFADE_S = 2.5;
/** Per-second rate the finish and the layers' brightness follow their targets with the flash guard on. */
export const LAYER_RATE = 0.8;

/**
 * One slot's kind as the scene draws it: `from` and `to` are indices into the slot's list of kinds
 * (vocabulary.ts), `mix` how far the picture has crossed from `from` to `to` (0..1). At rest
 * `from === to` and `mix === 1`.
 */
export interface KindFade {
  from: number;
  to: number;
  mix: number;
  /** A kind asked for while a fade ran (neither end of it): it fades in once this fade ends (-1: none). */
  next?: number;
}

/** What the scene's layers draw this frame (the preset's `scene`), updated in place. */
export interface SceneLayers {
  sky: KindFade;
  skyBrightness: number;
  shape: KindFade;
  /** The mosaic's place: x, y (mosaic heights) and scale. */
  mosaicX: number;
  mosaicY: number;
  mosaicScale: number;
  regions: KindFade;
  relief: number;
  grout: number;
  /** The fracture's kind switches (it only shows while the mosaic is broken). */
  fractureKind: number;
  threadStyle: KindFade;
  threadRouting: KindFade;
  threadBrightness: number;
  particles: KindFade;
  particleAmount: number;
  cameraDistance: number;
  cameraHeight: number;
  /** Degrees, + looks down. */
  cameraTilt: number;
  /** Degrees, vertical, on a landscape screen. */
  cameraFov: number;
  cameraMotion: KindFade;
  cameraSpeed: number;
  /** The camera's own time (state.cameraTime: dream seconds at its speed, integrated by the model). */
  cameraTime: number;
  /** The act's progress 0..1 (elapsed / duration; 0 for an act without duration): dolly follows it. */
  actProgress: number;
  /** The act's index: a dolly's path differs per act. */
  actIndex: number;
  vignette: number;
  grain: number;
  chroma: number;
  bloom: number;
}

const fade = (): KindFade => ({ from: 0, to: 0, mix: 1, next: -1 });

export const createSceneLayers = (): SceneLayers => ({
  sky: fade(),
  skyBrightness: 1,
  shape: fade(),
  mosaicX: 0,
  mosaicY: 0,
  mosaicScale: 1,
  regions: fade(),
  relief: 0.5,
  grout: 0.5,
  fractureKind: 0,
  threadStyle: fade(),
  threadRouting: fade(),
  threadBrightness: 1,
  particles: fade(),
  particleAmount: 0.5,
  cameraDistance: 12.5,
  cameraHeight: 0,
  cameraTilt: 0,
  cameraFov: 38,
  cameraMotion: fade(),
  cameraSpeed: 0.5,
  cameraTime: 0,
  actProgress: 0,
  actIndex: 0,
  vignette: 0.5,
  grain: 0,
  chroma: 0,
  bloom: 1,
});

/**
 * Move a slot toward its kind: a new kind starts a cross-fade from what is mostly on screen now;
 * `snap` (a first frame, a paused clock moved by hand) shows the kind at once, so the same dream
 * time draws the same picture.
 */
export const followKind = (k: KindFade, target: number, dt: number, snap: boolean): void => {
  if (snap) {
    k.from = k.to = target;
    k.mix = 1;
    k.next = -1;
    return;
  }
  if (target === k.to) k.next = -1;
  else if (k.mix < 1 && target === k.from) {
    // Back to where the fade began: reverse it from where it stands.
    k.from = k.to;
    k.to = target;
    k.mix = 1 - k.mix;
    k.next = -1;
  } else if (k.mix < 1) {
    // A third kind while a fade runs waits for it to end (dropping either share would pop).
    k.next = target;
  } else {
    k.to = target;
    k.mix = 0;
  }
  if (k.mix < 1) k.mix = Math.min(1, k.mix + dt / CROSSFADE_S);
  if (k.mix >= 1) {
    k.from = k.to;
    if (k.next !== undefined && k.next >= 0 && k.next !== k.to) {
      k.to = k.next;
      k.mix = 0;
    }
    k.next = -1;
  }
};

/**
 * Per-second rates the framing follows its targets at with the flash guard on: the camera and the
 * mosaic's place move the bright mosaic across the screen, so a fader or a sound swinging them
 * must not swing it in and out of a part of the screen faster than the guard allows. Morphs and
 * glides (seconds long) stay within them; a snap shows the value at once.
 */
export const FRAMING_RATES = { distance: 4, height: 4, tilt: 30, fov: 20, place: 0.6, scale: 0.6, relief: 1 } as const;

const index = (list: readonly string[], value: string): number => Math.max(0, list.indexOf(value));

/**
 * Update the layers from the dream-state. Kinds cross-fade over CROSSFADE_S; the brightness-driving
 * numbers (sky and thread brightness, particle amount, the finish) follow at LAYER_RATE with the
 * guard on, the framing (camera, the mosaic's place, scale and relief) at FRAMING_RATES (`free`:
 * they jump, as when the guard is off or the frame snaps); a broken mosaic (`broken`) keeps its
 * fracture kind until it is whole.
 */
export const updateSceneLayers = (l: SceneLayers, s: DreamState, dt: number, snap: boolean, free: boolean, broken = false): boolean => {
  const sc = s.scene;
  let settled = true;
  const follow = (current: number, target: number, rate: number = LAYER_RATE): number => {
    const next = free ? target : slew(current, target, rate * dt);
    if (next !== target) settled = false;
    return next;
  };
  const kind = (k: KindFade, list: readonly string[], value: string) => {
    followKind(k, index(list, value), dt, snap);
    if (k.mix < 1) settled = false;
  };
  kind(l.sky, SKY_KINDS, sc.sky.kind);
  l.skyBrightness = follow(l.skyBrightness, sc.sky.brightness);
  kind(l.shape, MOSAIC_SHAPES, sc.mosaic.shape);
  l.mosaicX = follow(l.mosaicX, sc.mosaic.x, FRAMING_RATES.place);
  l.mosaicY = follow(l.mosaicY, sc.mosaic.y, FRAMING_RATES.place);
  l.mosaicScale = follow(l.mosaicScale, sc.mosaic.scale, FRAMING_RATES.scale);
  kind(l.regions, REGION_KINDS, sc.mosaic.regions);
  l.relief = follow(l.relief, sc.mosaic.relief, FRAMING_RATES.relief);
  l.grout = follow(l.grout, sc.mosaic.grout);
  // A broken mosaic keeps the way it broke until it is whole (switching would throw every tile), unless the guard is off.
  const fracture = index(FRACTURE_KINDS, sc.mosaic.fracture);
  if (fracture !== l.fractureKind && broken && !free) settled = false;
  else l.fractureKind = fracture;
  kind(l.threadStyle, THREAD_STYLES, sc.threads.style);
  kind(l.threadRouting, THREAD_ROUTINGS, sc.threads.routing);
  l.threadBrightness = follow(l.threadBrightness, sc.threads.brightness);
  kind(l.particles, PARTICLE_KINDS, sc.particles.kind);
  l.particleAmount = follow(l.particleAmount, sc.particles.amount);
  const c = sc.camera;
  l.cameraDistance = follow(l.cameraDistance, c.distance, FRAMING_RATES.distance);
  l.cameraHeight = follow(l.cameraHeight, c.height, FRAMING_RATES.height);
  l.cameraTilt = follow(l.cameraTilt, c.tilt, FRAMING_RATES.tilt);
  l.cameraFov = follow(l.cameraFov, c.fov, FRAMING_RATES.fov);
  kind(l.cameraMotion, CAMERA_MOTIONS, c.motion);
  l.cameraSpeed = c.speed;
  l.cameraTime = s.cameraTime;
  const act = s.acts[s.show.index];
  l.actIndex = s.show.index;
  l.actProgress = act && act.duration > 0 ? Math.min(1, Math.max(0, s.show.elapsed / act.duration)) : 0;
  const f = sc.finish;
  l.vignette = follow(l.vignette, f.vignette);
  l.grain = follow(l.grain, f.grain);
  l.chroma = follow(l.chroma, f.chroma);
  l.bloom = follow(l.bloom, f.bloom);
  return settled;
};
