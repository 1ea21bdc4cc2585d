import { credentialKey } from '../../app/credential.ts';

/**
 * The OSC bridge's LAN token, kept as the relay credential is (src/app/credential.ts): it comes
 * in the #fragment that `npm run osc -- --lan` prints (`#osctoken=…`), boot's takeCredential
 * takes it out of the address bar with the other secrets (it is one of SECRET_PARAMS), and it is
 * kept in this tab's sessionStorage under the credential prefix, which an audience window clears
 * from its copy. Never shown: `dreamscape.osc()` says only whether one is held.
 */

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Under the credential prefix (cleared by audience windows); `:` cannot be in a room's name. */
export const oscTokenKey = (room: string): string => `${credentialKey('')}osc:${room}`;

/** The token from the URL (then kept), or the one this tab kept, or null. */
export const takeOscToken = (fromUrl: string | undefined, room: string, storage: () => StorageLike): string | null => {
  try {
    if (fromUrl !== undefined) {
      storage().setItem(oscTokenKey(room), fromUrl);
      return fromUrl;
    }
    return storage().getItem(oscTokenKey(room));
  } catch {
    // No session storage: kept in this page only.
    return fromUrl ?? null;
  }
};
