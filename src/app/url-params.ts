import { LIMITS } from '../model/index.ts';
import type { Quality } from '../scene/adaptive-quality.ts';

export type ViewName = 'performer' | 'audience';

export interface UrlOptions {
  view: ViewName;
  preset?: string;
  seed?: number;
  tiles?: number;
  /** The show's room: windows in one room follow one performer. */
  room: string;
  /** The NATS relay's WebSocket address (ws:// or wss://): devices follow the performer through it. */
  relay?: string;
  /**
   * The performer's relay credential (`user=`, default "performer", and `pass=`), from the query or
   * the #fragment (which `npm run relay` prints: a fragment is never sent in a request). Boot hands
   * it to takeCredential (src/app/credential.ts) at once, which removes it from here and from the
   * address bar; never in an audience URL (src/app/audience-url.ts).
   */
  user?: string;
  pass?: string;
  /** Or the performer's nkey seed (`nkey=SU…`, as `npm run relay -- --nkey` prints it). */
  nkey?: string;
  /** This device's name, for the performer's choice of devices that play the symphony. */
  device?: string;
  /** The OSC bridge's WebSocket (`?osc=ws://127.0.0.1:8080`, `npm run osc` prints it): performer view only. */
  osc?: string;
  /**
   * The OSC bridge's LAN token (`#osctoken=`, as `npm run osc -- --lan` prints it): taken out of
   * the address bar at boot with the other secrets (src/app/credential.ts), never in an audience's.
   */
  oscToken?: string;
  /** `?quality=full` locks pixel ratio 1 and full detail; `auto` (the default) adapts to the frame rate. */
  quality?: Quality;
  /** Problems with the parameters, shown on screen; the app starts with defaults for those. */
  problems: string[];
}

const isWebSocketUrl = (text: string): boolean => {
  try {
    const u = new URL(text);
    return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** `?osc=` and the bridge's LAN token (never echoed). */
const readOsc = (osc: string | null, token: string | null, out: UrlOptions): void => {
  if (osc !== null) {
    if (isWebSocketUrl(osc)) out.osc = osc;
    else out.problems.push(`?osc=${osc}: expected a ws:// or wss:// address (npm run osc prints one); OSC is off`);
  }
  if (token !== null) {
    if (/^[A-Za-z0-9_-]{16,128}$/.test(token)) out.oscToken = token;
    else out.problems.push('#osctoken=: expected the token npm run osc -- --lan printed');
  }
};

/**
 * Read `?view=`, `?preset=`, `?seed=`, `?tiles=`, `?room=`, `?relay=`, `?device=`, `?osc=`, and
 * the credential `user=`, `pass=`, `nkey=` (and the OSC bridge's `osctoken=`) from the query or
 * the fragment (`hash`, `#pass=…`; the fragment wins); a bad value is reported (never echoing a
 * secret), never thrown.
 */
export const parseUrlOptions = (search: string, presetIds: readonly string[], hash = ''): UrlOptions => {
  const q = new URLSearchParams(search);
  const fragment = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const secret = (k: 'user' | 'pass' | 'nkey' | 'osctoken') => fragment.get(k) ?? q.get(k);
  const out: UrlOptions = { view: 'performer', room: 'default', problems: [] };
  const room = q.get('room');
  if (room !== null) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(room)) out.room = room;
    else out.problems.push(`?room=${room}: expected 1 to 64 letters, digits, - or _; using the default room`);
  }
  const relay = q.get('relay');
  if (relay !== null) {
    let ok = false;
    try {
      const u = new URL(relay);
      ok = (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '';
    } catch {
      ok = false;
    }
    if (ok) out.relay = relay;
    else out.problems.push(`?relay=${relay}: expected a ws:// or wss:// address (npm run relay prints one); following this browser's windows only`);
  }
  const user = secret('user');
  if (user !== null) {
    if (/^[A-Za-z0-9_.-]{1,64}$/.test(user)) out.user = user;
    else out.problems.push('?user=: expected 1 to 64 letters, digits, ., - or _');
  }
  const pass = secret('pass');
  if (pass !== null) {
    // Never echo a secret into the page.
    if (pass.length >= 1 && pass.length <= 256) out.pass = pass;
    else out.problems.push('?pass=: expected 1 to 256 characters');
  }
  const nkey = secret('nkey');
  if (nkey !== null) {
    if (/^SU[A-Z2-7]{56}$/.test(nkey)) out.nkey = nkey;
    else out.problems.push('?nkey=: expected a user nkey seed (SU followed by 56 letters A-Z and digits 2-7)');
  }
  const device = q.get('device');
  if (device !== null) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(device)) out.device = device;
    else out.problems.push(`?device=${device}: expected 1 to 64 letters, digits, - or _`);
  }
  readOsc(q.get('osc'), secret('osctoken'), out);
  const quality = q.get('quality');
  if (quality !== null) {
    if (quality === 'auto' || quality === 'full') out.quality = quality;
    else out.problems.push(`?quality=${quality}: expected auto or full; adapting to the frame rate (auto)`);
  }
  const view = q.get('view');
  if (view !== null) {
    if (view === 'performer' || view === 'audience') out.view = view;
    else out.problems.push(`?view=${view}: expected performer or audience; showing the performer view`);
  }
  // An audience never links to the OSC bridge nor holds its token.
  if (out.view === 'audience') {
    delete out.osc;
    delete out.oscToken;
  }
  const preset = q.get('preset');
  if (preset !== null) {
    if (presetIds.includes(preset)) out.preset = preset;
    else out.problems.push(`?preset=${preset}: no such preset; bundled: ${presetIds.join(', ')}`);
  }
  const seed = q.get('seed');
  if (seed !== null) {
    const n = Number(seed);
    if (seed.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) out.seed = n;
    else out.problems.push(`?seed=${seed}: expected a whole number from 0 to 4294967295; using the preset's seed`);
  }
  const tiles = q.get('tiles');
  if (tiles !== null) {
    const n = Number(tiles);
    if (tiles.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= LIMITS.tiles) out.tiles = n;
    else out.problems.push(`?tiles=${tiles}: expected a whole number from 1 to ${LIMITS.tiles}; using the preset's tiles`);
  }
  return out;
};
