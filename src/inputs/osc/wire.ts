/**
 * What the OSC bridge (scripts/osc.ts) and the performer page say to each other over the
 * WebSocket: JSON text frames, small and checked on both ends. The bridge decodes OSC and sends
 * each message it let through; the page says hello (with the bridge's token in LAN mode) and sends
 * the dream's changed values, which the bridge sends on as OSC.
 */

export type OscValue = number | string | boolean;

export type ToPage =
  | { type: 'welcome'; lan: boolean }
  | { type: 'osc'; address: string; args: OscValue[] }
  /** The bridge's counts, once a second while anything was dropped or coalesced. */
  | { type: 'dropped'; counts: Record<string, number> };

export type ToBridge = { type: 'hello'; token?: string } | { type: 'state'; values: [string, OscValue][] };

/** The URL fragment parameter that carries the LAN token (taken out of the address bar at boot). */
export const OSC_TOKEN_PARAM = 'osctoken';
/** Close codes: the token was missing or wrong; the page's origin is not this machine's. */
export const CLOSE_TOKEN = 4401;
export const CLOSE_ORIGIN = 4403;
/** At most this many values in one state message, and this many bytes in any frame. */
export const MAX_STATE_VALUES = 512;
export const MAX_FRAME_BYTES = 64 * 1024;

const isValue = (v: unknown): v is OscValue => typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 256);

const parseJson = (text: unknown): Record<string, unknown> | null => {
  if (typeof text !== 'string' || text.length > MAX_FRAME_BYTES) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A frame from the bridge, or null if it is not one. */
export const parseToPage = (text: unknown): ToPage | null => {
  const m = parseJson(text);
  if (!m) return null;
  if (m.type === 'welcome') return { type: 'welcome', lan: m.lan === true };
  if (m.type === 'osc' && typeof m.address === 'string' && Array.isArray(m.args) && m.args.every(isValue)) return { type: 'osc', address: m.address, args: m.args };
  if (m.type === 'dropped' && typeof m.counts === 'object' && m.counts !== null) {
    const counts: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.counts)) if (typeof v === 'number' && Number.isFinite(v)) counts[k] = v;
    return { type: 'dropped', counts };
  }
  return null;
};

/** A frame from the page, or null if it is not one. */
export const parseToBridge = (text: unknown): ToBridge | null => {
  const m = parseJson(text);
  if (!m) return null;
  if (m.type === 'hello') return typeof m.token === 'string' && m.token.length <= 256 ? { type: 'hello', token: m.token } : { type: 'hello' };
  if (m.type === 'state' && Array.isArray(m.values) && m.values.length <= MAX_STATE_VALUES) {
    const values: [string, OscValue][] = [];
    for (const e of m.values as unknown[]) {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !isValue(e[1])) return null;
      values.push([e[0], e[1]]);
    }
    return { type: 'state', values };
  }
  return null;
};
