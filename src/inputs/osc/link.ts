import { CLOSE_ORIGIN, CLOSE_TOKEN, MAX_STATE_VALUES, parseToPage } from './wire.ts';
import type { OscValue, ToBridge } from './wire.ts';

/**
 * The performer page's WebSocket to the OSC bridge: says hello (with the token in LAN mode),
 * passes on each OSC message and the bridge's drop counts, sends the dream's changed values, and
 * reconnects after a lost link (1 s, doubling to 8 s). A refused token or origin is final: no
 * retries, and `status` says why.
 */

export type LinkState = 'connecting' | 'open' | 'closed' | 'refused';

export interface LinkOptions {
  url: string;
  token: string | null;
  onMessage(address: string, args: OscValue[]): void;
  onDropped(counts: Record<string, number>): void;
  onStatus(state: LinkState, why: string): void;
  /** The link is open (again): the whole state should go out. */
  onOpen(): void;
  /** For tests; the browser's WebSocket by default. */
  WebSocket?: typeof WebSocket;
}

export interface Link {
  /** Send values (in chunks); false while the link is not open. */
  send(values: [string, OscValue][]): boolean;
  stop(): void;
}

export const openLink = (options: LinkOptions): Link => {
  const Socket = options.WebSocket ?? WebSocket;
  let socket: WebSocket | null = null;
  let open = false;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let delay = 1000;
  const send = (m: ToBridge) => socket?.send(JSON.stringify(m));
  const connect = () => {
    retry = null;
    options.onStatus('connecting', '');
    let s: WebSocket;
    try {
      s = new Socket(options.url);
    } catch (e) {
      options.onStatus('refused', `cannot open ${options.url}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    socket = s;
    s.onopen = () => send(options.token ? { type: 'hello', token: options.token } : { type: 'hello' });
    s.onmessage = (ev: MessageEvent) => {
      const m = parseToPage(ev.data);
      if (!m) return;
      if (m.type === 'welcome') {
        open = true;
        delay = 1000;
        options.onStatus('open', m.lan ? 'LAN mode, token accepted' : '');
        options.onOpen();
      } else if (!open) return;
      else if (m.type === 'osc') options.onMessage(m.address, m.args);
      else if (m.type === 'dropped') options.onDropped(m.counts);
    };
    s.onclose = (ev: CloseEvent) => {
      open = false;
      socket = null;
      if (stopped) return;
      if (ev.code === CLOSE_TOKEN || ev.code === CLOSE_ORIGIN) {
        options.onStatus('refused', ev.reason || 'the OSC bridge refused this page');
        return;
      }
      options.onStatus('closed', `the OSC bridge at ${options.url} is not there; trying again`);
      retry = setTimeout(connect, delay);
      delay = Math.min(8000, delay * 2);
    };
  };
  connect();
  return {
    send: (values) => {
      if (!open || !socket) return false;
      for (let i = 0; i < values.length; i += MAX_STATE_VALUES) send({ type: 'state', values: values.slice(i, i + MAX_STATE_VALUES) });
      return true;
    },
    stop: () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket?.close();
      socket = null;
      open = false;
    },
  };
};
