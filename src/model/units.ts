/** Unit names as type aliases, as Tone does: they document intent at no runtime cost. */
export type Seconds = number;
/** 0..1 */
export type NormalRange = number;
/** -1..1 */
export type AudioRange = number;
export type BPM = number;
/** dBFS, at most 0 */
export type Decibels = number;
/** '#rrggbb' */
export type Colour = string;

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
/** Exact at both ends (a at 0, b at 1), which `a + (b - a) * t` is not. */
export const lerp = (a: number, b: number, t: number): number => a * (1 - t) + b * t;

/** Ease in and out (smoothstep of the fifth degree): no jerk at either end of a morph. */
export const easeInOut = (t: number): number => {
  const x = clamp(t, 0, 1);
  return x * x * x * (x * (x * 6 - 15) + 10);
};

/** Ease out with a little overshoot: used for restabilize, where tiles spring back past rest. */
export const easeOutBack = (t: number, overshoot = 1.4): number => {
  const x = clamp(t, 0, 1) - 1;
  return 1 + x * x * ((overshoot + 1) * x + overshoot);
};

const HEX = /^#[0-9a-fA-F]{6}$/;
export const isColour = (v: unknown): v is Colour => typeof v === 'string' && HEX.test(v);

export const colourToRgb = (c: Colour): [number, number, number] => {
  const n = parseInt(c.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const hex2 = (n: number): string => Math.round(clamp(n, 0, 255)).toString(16).padStart(2, '0');
export const rgbToColour = (r: number, g: number, b: number): Colour => `#${hex2(r)}${hex2(g)}${hex2(b)}`;
export const mixColour = (a: Colour, b: Colour, t: number): Colour => {
  const [ar, ag, ab] = colourToRgb(a);
  const [br, bg, bb] = colourToRgb(b);
  return rgbToColour(lerp(ar, br, t), lerp(ag, bg, t), lerp(ab, bb, t));
};
