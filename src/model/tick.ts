import { enterAct, reduce, specOf, isGliding } from './actions.ts';
import { coerce, getParam, resolvePath, tablePaths, writeParam } from './params.ts';
import type { DreamState, ParamValue } from './state.ts';
import { easeInOut, easeOutBack, lerp, mixColour } from './units.ts';

/** Seconds for panic to take picture and sound to nothing, and for recover to bring them back. */
export const PANIC_SECONDS = 0.4;
export const RECOVER_SECONDS = 2.5;

const interpolate = (s: DreamState, path: string, from: ParamValue, to: ParamValue, t: number, half: boolean): ParamValue => {
  const spec = specOf(s, path);
  if (isGliding(spec)) {
    if (spec.kind === 'colour') return mixColour(from as string, to as string, t);
    return lerp(from as number, to as number, t);
  }
  return half ? to : from;
};

/**
 * At a preset morph's midpoint the new dream's structure (dreamers, acts, names) takes over. The
 * values in flight stay: every parameter the table lets glide (the morph carries on with it) or
 * keep (the live disturbance, the performer's safety, the show's switches); the rest (key, mode,
 * tiles, pattern, a dreamer's voice and consent) switch to the new dream's now.
 */
/** The dream's pace per dream second: calm at low arousal, quick when aroused (0.35 at 0, 1.65 at 1). */
export const flowRate = (arousal: number): number => 0.35 + 1.3 * Math.min(1, Math.max(0, arousal));

const switchToTarget = (s: DreamState, target: DreamState): DreamState => {
  let next: DreamState = {
    ...target,
    clock: s.clock,
    beat: s.beat,
    flow: s.flow,
    cameraTime: s.cameraTime,
    rng: s.rng,
    output: s.output,
    mosaic: { ...target.mosaic, recoil: s.mosaic.recoil, restabilize: s.mosaic.restabilize, epicentre: s.mosaic.epicentre, fractureSeed: s.mosaic.fractureSeed, glitchSeed: s.mosaic.glitchSeed },
    morph: s.morph,
    glides: s.glides,
  };
  for (const p of tablePaths((spec) => spec.morph !== 'switch', Math.min(s.dreamers.length, target.dreamers.length))) {
    next = writeParam(next, resolvePath(next, p), getParam(s, p));
  }
  return next;
};

const stepMorph = (state: DreamState, dt: number): DreamState => {
  const m = state.morph;
  if (!m) return state;
  const elapsed = m.elapsed + dt;
  const p = m.seconds <= 0 ? 1 : Math.min(1, elapsed / m.seconds);
  const half = p >= 0.5;
  let s: DreamState = state;
  let switched = m.switched;
  if (half && !switched) {
    if (m.target) s = switchToTarget(s, m.target);
    switched = true;
  }
  const t = easeInOut(p);
  for (const [path, to] of Object.entries(m.to)) {
    const from = m.from[path];
    if (from === undefined) continue;
    try {
      const r = resolvePath(s, path);
      s = writeParam(s, r, coerce(r.spec, interpolate(s, path, from, to, t, half), path));
    } catch {
      /* a dreamer index the new dream does not have: nothing to write */
    }
  }
  if (p >= 1) return { ...s, morph: null };
  return { ...s, morph: { ...m, elapsed, switched, target: switched ? null : m.target } };
};

const stepGlides = (state: DreamState, dt: number): DreamState => {
  if (state.glides.length === 0) return state;
  let s = state;
  const glides = [];
  for (const g of state.glides) {
    const elapsed = g.elapsed + dt;
    const p = Math.min(1, elapsed / g.seconds);
    try {
      const r = resolvePath(s, g.path);
      s = writeParam(s, r, coerce(r.spec, interpolate(s, g.path, g.from, g.to, easeInOut(p), p >= 0.5), g.path));
      if (p < 1) glides.push({ ...g, elapsed });
    } catch {
      /* the path went away with a preset switch */
    }
  }
  return { ...s, glides };
};

const stepRestabilize = (s: DreamState, dt: number): DreamState => {
  const r = s.mosaic.restabilize;
  if (!r) return s;
  const elapsed = r.elapsed + dt;
  const p = Math.min(1, elapsed / r.seconds);
  const mosaic = { ...s.mosaic };
  if (r.from.fracture > 0) {
    // The tiles spring home past rest and settle: the overshoot shows as recoil.
    const f = r.from.fracture * (1 - easeOutBack(p));
    mosaic.fracture = Math.max(0, f);
    mosaic.recoil = Math.max(0, -f);
  }
  if (r.from.glitch > 0) mosaic.glitch = Math.max(0, r.from.glitch * (1 - easeInOut(p)));
  if (p >= 1) {
    if (r.from.fracture > 0) mosaic.fracture = 0;
    if (r.from.glitch > 0) mosaic.glitch = 0;
    mosaic.recoil = 0;
    mosaic.restabilize = null;
  } else mosaic.restabilize = { ...r, elapsed };
  mosaic.stability = 1 - Math.max(mosaic.fracture, mosaic.glitch);
  return { ...s, mosaic };
};

const stepOutput = (s: DreamState, dt: number): DreamState => {
  const { panic, fade } = s.output;
  const target = panic ? 0 : 1;
  if (fade === target) return s;
  const rate = panic ? 1 / PANIC_SECONDS : 1 / RECOVER_SECONDS;
  const next = panic ? Math.max(0, fade - rate * dt) : Math.min(1, fade + rate * dt);
  return { ...s, output: { panic, fade: next } };
};

const stepShow = (state: DreamState, dt: number): DreamState => {
  let s: DreamState = { ...state, show: { ...state.show, elapsed: state.show.elapsed + dt } };
  // Bounded: at most every act and every event once per tick.
  for (let guard = 0; guard < 4096; guard++) {
    const act = s.acts[s.show.index];
    if (!act) return s;
    const ev = act.events[s.show.fired];
    if (ev && ev.at <= s.show.elapsed) {
      s = { ...s, show: { ...s.show, fired: s.show.fired + 1 } };
      // A held tempo (taps, a clock, a heard beat) is the performer's until released.
      if (s.show.tempoHold && ev.action.type === 'set' && ev.action.path === 'tempo') continue;
      try {
        s = reduce(s, ev.action);
      } catch {
        /* a validated preset's event cannot fail; a stale path after a morph is skipped */
      }
      continue;
    }
    if (s.show.auto && s.show.elapsed >= act.duration && s.show.index < s.acts.length - 1) {
      s = enterAct(s, s.show.index + 1, s.show.elapsed - act.duration);
      continue;
    }
    return s;
  }
  return s;
};

/** Advance the dream by `dt` seconds of dream time. Pure: no clock or randomness of its own. */
export const tick = (state: DreamState, dt: number): DreamState => {
  const d = Number.isFinite(dt) && dt > 0 ? Math.min(dt, 3600) : 0;
  if (d === 0) return state;
  let s: DreamState = { ...state, clock: state.clock + d, beat: state.beat + (d * state.tempo) / 60, flow: state.flow + d * flowRate(state.mood.arousal), cameraTime: state.cameraTime + d * 2 * state.scene.camera.speed };
  s = stepMorph(s, d);
  s = stepGlides(s, d);
  s = stepRestabilize(s, d);
  s = stepOutput(s, d);
  s = stepShow(s, d);
  return s;
};
