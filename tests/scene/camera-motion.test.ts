import { afterEach, describe, expect, it } from 'vitest';
import { blendPoses, cameraPose, dollySide, FIT_SLACK, fitFactor, MAX_FIT_FOV, REFERENCE_ASPECT, setExtentOf, updateCameraPose } from '../../src/scene/camera-motion.ts';
import type { ExtentOf, MotionPose } from '../../src/scene/camera-motion.ts';
import { mosaicExtent, SHAPE } from '../../src/scene/layout/mosaic-shape.ts';
import { createSceneFrame } from '../../src/scene/scene-frame.ts';
import type { SceneFrame } from '../../src/scene/scene-frame.ts';
import { CAMERA_MOTIONS, MOSAIC_SHAPES } from '../../src/model/index.ts';
import { mix32, unit } from '../../src/model/hash.ts';

/** The drift as it was before the scene's camera (src/scene/camera-drift.ts at da126c9), kept verbatim as the reference. */
const oldDrift = { x: 0, y: 0, z: 12.5, lookX: 0, lookY: 0, roll: 0 };
const updateCameraDrift = (f: SceneFrame, aspect: number, fovDegrees: number): void => {
  const t = f.time;
  const p1 = unit(mix32(f.seed ^ 0x1234567)) * 6.2832;
  const p2 = unit(mix32(f.seed ^ 0x7654321)) * 6.2832;
  const p3 = unit(mix32(f.seed ^ 0x0badf00d)) * 6.2832;
  const amp = f.reducedMotion ? 0.25 : 1;
  oldDrift.x = amp * (1.3 * Math.sin(t * 0.043 + p1) + 0.35 * Math.sin(t * 0.11 + p2));
  oldDrift.y = amp * (0.55 * Math.sin(t * 0.037 + p2) + 0.2 * Math.sin(t * 0.09 + p3)) - 0.25;
  const halfTan = Math.tan((fovDegrees * Math.PI) / 360);
  const fit = Math.max(0, 6.4 / (halfTan * Math.max(0.2, aspect)) - 12.6);
  oldDrift.z = 12.6 + fit - 1.4 * f.depth + amp * 0.7 * Math.sin(t * 0.029 + p3);
  oldDrift.lookX = amp * 0.35 * Math.sin(t * 0.031 + p3);
  oldDrift.lookY = amp * 0.2 * Math.sin(t * 0.027 + p1);
  oldDrift.roll = amp * 0.025 * Math.sin(t * 0.021 + p2);
};

const motion = (name: (typeof CAMERA_MOTIONS)[number]): number => CAMERA_MOTIONS.indexOf(name);

const frameAt = (time: number, seed = 7, set: (f: SceneFrame) => void = () => undefined): SceneFrame => {
  const f = createSceneFrame();
  f.time = time;
  f.seed = seed;
  set(f);
  // The model integrates the camera's time at its speed; at a speed held from the start it is this.
  f.layers.cameraTime = time * f.layers.cameraSpeed * 2;
  return f;
};

const poseAt = (f: SceneFrame, aspect = REFERENCE_ASPECT): typeof cameraPose => {
  updateCameraPose(f, aspect);
  return { ...cameraPose };
};

/** What the camera sees of the plane z = 0 straight ahead: half-width and half-height (still motion, no tilt). */
const visibleHalf = (f: SceneFrame, aspect: number): { w: number; h: number } => {
  const p = poseAt(f, aspect);
  const h = p.z * Math.tan((p.fov * Math.PI) / 360);
  return { w: h * aspect, h };
};

/** A stand-in for layout/mosaic-shape.ts: each shape a window whose aspect follows the screen's (as that module will). */
const followingExtent: ExtentOf = (shape, aspect) => {
  const i = MOSAIC_SHAPES.indexOf(shape);
  const area = (1 + 0.1 * i) * 1.55 * 3.5 * 3.5;
  const a = Math.min(2.2, Math.max(0.45, aspect * 0.87));
  return { halfWidth: Math.sqrt(area * a), halfHeight: Math.sqrt(area / a), depth: 0 };
};

afterEach(() => setExtentOf(null));

describe('the default camera is today\'s drift', () => {
  it('draws from the very place the old drift did, frame by frame, on a landscape screen', () => {
    const aspects = [REFERENCE_ASPECT, 1280 / 720, 1920 / 1080, 1.6, 1.5, 21 / 9];
    let checked = 0;
    for (const seed of [0, 1, 7, 12345, 0xdeadbeef | 0, 0x7fffffff])
      for (const reduced of [false, true])
        for (let i = 0; i < 200; i++) {
          const t = i * 3.17 + (seed % 13) * 0.01;
          const f = frameAt(t, seed, (g) => {
            g.reducedMotion = reduced;
            g.depth = (i % 11) / 10;
          });
          const aspect = aspects[i % aspects.length]!;
          const p = poseAt(f, aspect);
          updateCameraDrift(f, aspect, 38);
          expect([p.x, p.y, p.z, p.lookX, p.lookY, p.lookZ, p.roll, p.fov, p.tilt]).toEqual([oldDrift.x, oldDrift.y, oldDrift.z, oldDrift.lookX, oldDrift.lookY, 0, oldDrift.roll, 38, 0]);
          // The sky's parallax is the drift's position, as it was.
          expect([p.skyX, p.skyY]).toEqual([oldDrift.x, oldDrift.y]);
          checked++;
        }
    expect(checked).toBe(2400);
  });
});

describe('the motions', () => {
  it('are a function of dream time, seed and the layers: the same inputs give the same pose, in any order', () => {
    for (const name of CAMERA_MOTIONS) {
      const make = (t: number, seed: number) =>
        frameAt(t, seed, (f) => {
          f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion(name);
          f.layers.actProgress = (t % 30) / 30;
          f.layers.actIndex = Math.floor(t / 30);
          f.layers.cameraHeight = 1.5;
          f.layers.cameraTilt = 10;
        });
      const first = [12, 40, 333.3, 1200].map((t) => poseAt(make(t, 99)));
      // Other frames in between (other seeds, other screens) do not change what a frame sees.
      poseAt(make(5, 3), 0.5);
      const again = [1200, 333.3, 40, 12].map((t) => poseAt(make(t, 99))).reverse();
      expect(again).toEqual(first);
      // And another seed sees from elsewhere (but still stays the same in the same frame).
      if (name !== 'still') expect(poseAt(make(40, 100))).not.toEqual(first[1]);
    }
  });

  it('still holds where the drift wanders around; speed 0.5 is today\'s pace, speed 0 holds the start', () => {
    const still = (t: number) => poseAt(frameAt(t, 7, (f) => (f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion('still'))));
    expect(still(3)).toEqual(still(300));
    const drift = (t: number, speed: number) => poseAt(frameAt(t, 7, (f) => (f.layers.cameraSpeed = speed)));
    expect(drift(40, 1)).toEqual(drift(80, 0.5));
    expect(drift(40, 0)).toEqual(drift(0, 0.5));
  });

  it('orbit circles the mosaic\'s centre at the set distance and height, slowly with reduced motion', () => {
    const at = (t: number, reduced = false, x = 0) =>
      poseAt(
        frameAt(t, 7, (f) => {
          f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion('orbit');
          f.layers.cameraDistance = 20;
          f.layers.cameraHeight = 3;
          f.layers.mosaicX = x;
          f.reducedMotion = reduced;
          f.depth = 0;
        }),
      );
    const angles: number[] = [];
    for (let t = 0; t <= 180; t += 5) {
      const p = at(t, false, 0.5);
      const cx = 0.5 * 7;
      expect(Math.hypot(p.x - cx, p.z)).toBeCloseTo((12.6 * 20) / 12.5, 9);
      expect(p.lookX).toBe(cx);
      expect(p.lookY).toBe(3);
      expect(Math.abs(p.y - 3 - -0.25 * 1.6)).toBeLessThan(0.5);
      angles.push(Math.atan2(p.x - cx, p.z));
    }
    // Once round in about three minutes at speed 0.5, behind the mosaic half way.
    expect(at(0).z).toBeGreaterThan(0);
    expect(at(90).z).toBeLessThan(0);
    const turned = (p: { x: number; z: number }) => Math.abs(Math.atan2(p.x, p.z));
    expect(turned(at(30, true))).toBeLessThan(0.2 * turned(at(30)));
  });

  it('orbit under a dome is a gyre inside the vault, looking at its middle', () => {
    const dome = MOSAIC_SHAPES.indexOf('dome');
    const centreZ = SHAPE.domeCentreZ * 3.5;
    const radius = SHAPE.domeRadius * 3.5;
    let turned = 0;
    for (let t = 0; t < 180; t += 3) {
      const p = poseAt(
        frameAt(t, 7, (f) => {
          f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion('orbit');
          f.layers.shape.from = f.layers.shape.to = dome;
        }),
      );
      expect(Math.hypot(p.x, p.y, p.z - centreZ)).toBeLessThan(0.75 * radius);
      expect([p.lookX, p.lookY, p.lookZ]).toEqual([0, 0, 0]);
      turned = Math.max(turned, Math.abs(p.x));
    }
    expect(turned).toBeGreaterThan(2);
  });

  it('dolly travels in monotonically with the act\'s progress, in an arc to a side that alternates act by act', () => {
    for (const seed of [1, 2, 3])
      for (let act = 0; act < 6; act++)
        for (const reduced of [false, true]) {
          const at = (q: number) =>
            poseAt(
              frameAt(100, seed, (f) => {
                f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion('dolly');
                f.layers.actProgress = q;
                f.layers.actIndex = act;
                f.reducedMotion = reduced;
              }),
            );
          let last = at(0);
          const start = last;
          let sideways = 0;
          for (let q = 0.01; q <= 1.0001; q += 0.01) {
            const p = at(q);
            expect(p.z).toBeLessThanOrEqual(last.z);
            expect(Math.hypot(p.x - p.lookX, p.y - p.lookY, p.z)).toBeLessThanOrEqual(Math.hypot(last.x - last.lookX, last.y - last.lookY, last.z) + 1e-9);
            sideways = Math.max(sideways, (p.x - start.x) * dollySide(seed, act));
            last = p;
          }
          const rest = 12.6 - 1.4 * 0.5;
          if (!reduced) {
            expect(start.z).toBeCloseTo(rest * 1.25, 9);
            expect(last.z).toBeCloseTo(rest * 0.7, 9);
            expect(sideways).toBeGreaterThan(2);
          } else expect(start.z - last.z).toBeLessThan(0.3 * rest * 0.55);
        }
    expect(dollySide(1, 0)).toBe(-dollySide(1, 1));
    expect(dollySide(1, 2)).toBe(dollySide(1, 0));
  });

  it('a change of motion blends the two poses: from at mix 0, to at mix 1, round the mosaic rather than through it', () => {
    const at = (from: string, to: string, mix: number, t = 90) =>
      poseAt(
        frameAt(t, 7, (f) => {
          f.layers.cameraMotion.from = CAMERA_MOTIONS.indexOf(from as never);
          f.layers.cameraMotion.to = CAMERA_MOTIONS.indexOf(to as never);
          f.layers.cameraMotion.mix = mix;
        }),
      );
    const pure = (name: string, t = 90) => at(name, name, 1, t);
    for (const [a, b] of [['drift', 'orbit'], ['orbit', 'dolly'], ['still', 'drift'], ['dolly', 'still']] as const) {
      expect(at(a, b, 0)).toEqual(pure(a));
      expect(at(a, b, 1)).toEqual(pure(b));
    }
    // At t = 90 the orbit is behind the mosaic: the blend from the drift in front swings round it.
    expect(pure('orbit').z).toBeLessThan(-5);
    let closest = Infinity;
    let lastX = at('drift', 'orbit', 0).x;
    let steps = 0;
    for (let m = 0; m <= 1; m += 0.02) {
      const p = at('drift', 'orbit', m);
      closest = Math.min(closest, Math.hypot(p.x, p.z));
      steps = Math.max(steps, Math.hypot(p.x - lastX));
      lastX = p.x;
    }
    expect(closest).toBeGreaterThan(10);
    expect(steps).toBeLessThan(1.5);
  });

  it('blendPoses writes in place', () => {
    const a: MotionPose = { x: 0, y: 0, z: 10, lookX: 0, lookY: 0, lookZ: 0, roll: 0, skyX: 0, skyY: 0 };
    const b: MotionPose = { x: 10, y: 2, z: 0, lookX: 1, lookY: 1, lookZ: 0, roll: 0.1, skyX: 1, skyY: 1 };
    blendPoses(b, a, b, 0.5, 0);
    expect(b.x).toBeCloseTo(10 * Math.SQRT1_2, 9);
    expect(b.z).toBeCloseTo(10 * Math.SQRT1_2, 9);
    expect(b.y).toBe(1);
  });
});

describe('the framing follows the screen', () => {
  const shot = (aspect: number, set: (f: SceneFrame) => void = () => undefined) =>
    visibleHalf(
      frameAt(0, 7, (f) => {
        f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion('still');
        set(f);
      }),
      aspect,
    );
  const portrait = 390 / 844;
  const landscape = 1280 / 720;

  it('at 1280x720 shows what the set distance and field of view show', () => {
    const v = shot(landscape);
    expect(v.h).toBeCloseTo((12.6 - 0.7) * Math.tan((38 * Math.PI) / 360), 12);
    expect(fitFactor(createSceneFrame().layers, landscape)).toBe(1);
    // A wider screen sees as much height, and more of the sides.
    expect(shot(21 / 9).h).toBe(v.h);
  });

  /** How much of the screen the mosaic's box covers (each axis clipped at the screen's edge). */
  const coverage = (shape: (typeof MOSAIC_SHAPES)[number], aspect: number, half: (a: number) => { w: number; h: number }) => {
    const e = mosaicExtent(shape, aspect);
    const v = half(aspect);
    const w = Math.min(1, e.halfWidth / v.w);
    const h = Math.min(1, e.halfHeight / v.h);
    return { w, h, area: w * h };
  };

  it('every shape fills an upright phone (390x844) about as it fills a projector (1280x720); the old framing left a band', () => {
    for (const shape of MOSAIC_SHAPES) {
      const i = MOSAIC_SHAPES.indexOf(shape);
      const half = (aspect: number) => shot(aspect, (f) => (f.layers.shape.from = f.layers.shape.to = i));
      const phone = coverage(shape, portrait, half);
      const projector = coverage(shape, landscape, half);
      expect(phone.area, shape).toBeGreaterThan(0.8 * projector.area);
      expect(Math.max(phone.w, phone.h), shape).toBeGreaterThan(0.84);
    }
    // Today's block on the phone: across nearly all its width and as much of its height as on the projector.
    const block = coverage('block', portrait, (a) => shot(a));
    expect(block.w).toBeGreaterThan(0.85);
    expect(block.h).toBeCloseTo(coverage('block', landscape, (a) => shot(a)).h, 9);
    // The old framing showed it in a band about a quarter of the screen high.
    const old = coverage('block', portrait, (aspect) => {
      updateCameraDrift(frameAt(0, 7), aspect, 38);
      const h = (oldDrift.z - 0.7 * Math.sin(unit(mix32(7 ^ 0x0badf00d)) * 6.2832)) * Math.tan((38 * Math.PI) / 360);
      return { w: h * aspect, h };
    });
    expect(old.h).toBeLessThan(0.3);
    expect(old.area).toBeLessThan(0.5 * block.area);
  });

  it('on an upright phone the wander sideways is narrower, so the mosaic stays in the middle of the screen', () => {
    /** Where the mosaic's centre is on the screen across (-1..1 from the middle), the drift wandering for 10 minutes. */
    const widest = (aspect: number, name: 'drift' | 'dolly') => {
      let most = 0;
      for (let t = 0; t < 600; t += 1.5) {
        const p = poseAt(
          frameAt(t, 11, (f) => {
            f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion(name);
            f.layers.actProgress = (t % 100) / 100;
          }),
          aspect,
        );
        const off = Math.atan2(-p.x, p.z) - Math.atan2(p.lookX - p.x, p.z);
        most = Math.max(most, Math.abs(Math.tan(off) / (Math.tan((p.fov * Math.PI) / 360) * aspect)));
      }
      return most;
    };
    expect(widest(portrait, 'drift')).toBeLessThan(widest(landscape, 'drift') * 1.3);
    expect(widest(portrait, 'dolly')).toBeLessThan(widest(landscape, 'dolly') * 1.3);
  });

  it('with each shape\'s extent following the screen, the mosaic fills both screens (every shape, moved and scaled too)', () => {
    setExtentOf(followingExtent);
    for (const shape of MOSAIC_SHAPES)
      for (const [scale, x, y] of [[1, 0, 0], [1.4, 0, 0], [0.8, 0.3, -0.2]] as const)
        for (const aspect of [portrait, landscape, 4 / 3, 1]) {
          const i = MOSAIC_SHAPES.indexOf(shape);
          const v = shot(aspect, (f) => {
            f.layers.shape.from = f.layers.shape.to = i;
            f.layers.mosaicScale = scale;
            f.layers.mosaicX = x;
            f.layers.mosaicY = y;
          });
          const e = followingExtent(shape, aspect);
          const ref = followingExtent(shape, REFERENCE_ASPECT);
          const hw = e.halfWidth * scale + Math.abs(x * 7);
          const hh = e.halfHeight * scale + Math.abs(y * 7);
          // As much of the screen as on the projector, give or take the slack, along the fuller axis.
          const atRef = shot(REFERENCE_ASPECT, (f) => {
            f.layers.shape.from = f.layers.shape.to = i;
            f.layers.mosaicScale = scale;
            f.layers.mosaicX = x;
            f.layers.mosaicY = y;
          });
          const refFill = Math.max((ref.halfWidth * scale + Math.abs(x * 7)) / atRef.w, (ref.halfHeight * scale + Math.abs(y * 7)) / atRef.h);
          const fill = Math.max(hw / v.w, hh / v.h);
          expect(fill).toBeGreaterThan(refFill / FIT_SLACK - 1e-9);
          // Never a band: the mosaic spans at least 70% of the screen each way.
          expect(Math.min(hw / v.w, hh / v.h)).toBeGreaterThan(0.7 * Math.min(1, refFill));
        }
  });

  it('a narrow screen widens the view up to MAX_FIT_FOV and only then steps back; a shape cross-fade glides', () => {
    setExtentOf((_shape, aspect) => ({ halfWidth: 5, halfHeight: 5 / Math.min(1, aspect) ** 1.5, depth: 0 }));
    const pose = (aspect: number) => poseAt(frameAt(0, 7, (f) => (f.layers.cameraMotion.from = f.layers.cameraMotion.to = motion('still'))), aspect);
    const mild = pose(0.8);
    expect(mild.fov).toBeGreaterThan(38);
    expect(mild.fov).toBeLessThan(MAX_FIT_FOV);
    expect(mild.z).toBeCloseTo(11.9, 9);
    const steep = pose(0.2);
    expect(steep.fov).toBeCloseTo(MAX_FIT_FOV, 9);
    expect(steep.z).toBeGreaterThan(11.9);
    setExtentOf((shape) => (shape === 'disc' ? { halfWidth: 4, halfHeight: 8, depth: 0 } : { halfWidth: 5.425, halfHeight: 3.5, depth: 0 }));
    let last = 0;
    for (let m = 0; m <= 1.0001; m += 0.05) {
      const f = frameAt(0, 7, (g) => {
        g.layers.shape.from = 0;
        g.layers.shape.to = 1;
        g.layers.shape.mix = m;
      });
      const p = poseAt(f, portrait);
      expect(p.fov).toBeGreaterThanOrEqual(last);
      last = p.fov;
    }
  });
});
