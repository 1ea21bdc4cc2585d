import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import type { RuntimeModule } from '../../runtime/runtime.ts';
import { listeners } from '../../lib/listeners.ts';
import { createApplier } from './apply.ts';
import type { OscCounts } from './apply.ts';
import { openLink } from './link.ts';
import type { LinkState } from './link.ts';
import { changedValues, stateValues } from './outgoing.ts';
import { takeOscToken } from './token.ts';
import type { OscValue } from './wire.ts';

/**
 * OSC in the performer view (`?osc=ws://127.0.0.1:8080`): a runtime module that links to the OSC
 * bridge (`npm run osc`, scripts/osc.ts), applies what comes in as source `osc` (apply.ts) and
 * sends the dream's changed values out, at most 30 times a second, for the bridge to send on as
 * OSC. `onOscMessage` lets a mapping listen to every message that arrives.
 */

export { checkOscMessage, formatAddressList, oscAddresses } from './addresses.ts';
export type { DropReason, OscAddress } from './addresses.ts';

export interface OscStatus extends OscCounts {
  link: LinkState;
  /** Why the link is as it is (refused: what the bridge said), or ''. */
  why: string;
  url: string;
  /** Whether this tab holds a LAN token (never its value). */
  token: boolean;
  /** Values sent to the bridge. */
  sent: number;
  /** The bridge's drop counts since the page linked (summed from its once-a-second reports). */
  bridge: Record<string, number>;
}

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** The OSC link: its state, what came in, was applied, dropped (and why), sent. */
    osc(): OscStatus;
  }
}

const heard = listeners<[string, unknown[]]>();

/** Every OSC message that reaches this page, as it came (for a mapping's `{kind: 'osc', address}`). */
export const onOscMessage = (fn: (address: string, args: unknown[]) => void): (() => void) => heard.add(fn);

/** At most 30 state messages a second. */
const SEND_EVERY_MS = 33;

export interface OscOptions {
  osc?: string;
  oscToken?: string;
  room: string;
  /** Problems the performer should see (the bridge refused this page). */
  onProblem?: (message: string) => void;
}

const isLoopback = (url: string): boolean => {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
};

export const oscInput = (options: OscOptions, api: DreamscapeApi): RuntimeModule => ({
  name: 'osc',
  start: (runtime) => {
    const url = options.osc;
    if (url === undefined) return () => undefined;
    const token = takeOscToken(options.oscToken, options.room, () => window.sessionStorage);
    delete options.oscToken;
    // The dream's values go out to the bridge and it drives the dream: a bridge on another machine
    // only with the token its --lan mode printed (a crafted link must not wire the show to a stranger).
    if (token === null && !isLoopback(url)) {
      options.onProblem?.(`?osc=${url}: a bridge on another machine needs the token \`npm run osc -- --lan\` printed (its performer link); OSC is off`);
      return () => undefined;
    }
    const report = (e: unknown) => console.error(e);
    const applier = createApplier(runtime, {
      // Tap tempo is a module of its own (src/inputs/tempo): where it is not there, a tap is dropped.
      tap: () => {
        if (typeof api.tempo?.tap !== 'function') return false;
        api.tempo.tap('osc');
        return true;
      },
      heard: () => heard.size() > 0,
    });
    const status = { link: 'connecting' as LinkState, why: '', sent: 0, bridge: {} as Record<string, number> };
    const sent = new Map<string, OscValue>();
    const link = openLink({
      url,
      token,
      onMessage: (address, args) => {
        heard.emit(address, args, report);
        applier.handle(address, args);
      },
      onDropped: (counts) => {
        for (const [k, n] of Object.entries(counts)) status.bridge[k] = (status.bridge[k] ?? 0) + n;
      },
      onStatus: (state, why) => {
        status.link = state;
        status.why = why;
        if (state === 'refused') options.onProblem?.(why);
      },
      onOpen: () => sent.clear(),
    });
    const stopFrame = runtime.clock.onAdvance(() => applier.frame());
    const timer = setInterval(() => {
      if (status.link !== 'open') return;
      const changed = changedValues(sent, stateValues(runtime.store.getState().dream));
      if (changed.length > 0 && link.send(changed)) status.sent += changed.length;
    }, SEND_EVERY_MS);
    const unregister = registerApi(api, { osc: () => ({ ...applier.counts(), ...status, bridge: { ...status.bridge }, url, token: token !== null }) });
    return () => {
      clearInterval(timer);
      stopFrame();
      link.stop();
      unregister();
    };
  },
});
