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

const fade = (): KindFade => ({ from: 0, to: 0, mix: 1 });

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
    return;
  }
  if (target !== k.to) {
    if (target === k.from && k.mix < 1) {
      // Back to where the fade began: reverse it from where it stands.
      k.from = k.to;
      k.mix = 1 - k.mix;
    } else {
      k.from = k.mix >= 0.5 ? k.to : k.from;
      k.mix = 0;
    }
    k.to = target;
  }
  if (k.mix < 1) k.mix = Math.min(1, k.mix + dt / CROSSFADE_S);
  if (k.mix >= 1) k.from = k.to;
};

const index = (list: readonly string[], value: string): number => Math.max(0, list.indexOf(value));

/**
 * Update the layers from the dream-state. Kinds cross-fade over CROSSFADE_S; the brightness-driving
 * numbers (sky and thread brightness, particle amount, the finish) follow at LAYER_RATE with the
 * guard on (`free`: they jump, as when the guard is off or the frame snaps); the framing follows
 * the state as it is (the model already glides it in morphs).
 */
export const updateSceneLayers = (l: SceneLayers, s: DreamState, dt: number, snap: boolean, free: boolean): boolean => {
  const sc = s.scene;
  let settled = true;
  const follow = (current: number, target: number): number => {
    const next = free ? target : slew(current, target, LAYER_RATE * dt);
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
  l.mosaicX = sc.mosaic.x;
  l.mosaicY = sc.mosaic.y;
  l.mosaicScale = sc.mosaic.scale;
  kind(l.regions, REGION_KINDS, sc.mosaic.regions);
  l.relief = sc.mosaic.relief;
  l.grout = follow(l.grout, sc.mosaic.grout);
  l.fractureKind = index(FRACTURE_KINDS, sc.mosaic.fracture);
  kind(l.threadStyle, THREAD_STYLES, sc.threads.style);
  kind(l.threadRouting, THREAD_ROUTINGS, sc.threads.routing);
  l.threadBrightness = follow(l.threadBrightness, sc.threads.brightness);
  kind(l.particles, PARTICLE_KINDS, sc.particles.kind);
  l.particleAmount = follow(l.particleAmount, sc.particles.amount);
  const c = sc.camera;
  l.cameraDistance = c.distance;
  l.cameraHeight = c.height;
  l.cameraTilt = c.tilt;
  l.cameraFov = c.fov;
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
