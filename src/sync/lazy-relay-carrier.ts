import { observable } from './protocol.ts';
import type { Carrier, ClockReply, ClockRequest, LinkInfo, SyncMessage } from './protocol.ts';
import type { NatsCarrier, RelayOptions } from './nats-carrier.ts';
import { listeners } from '../lib/listeners.ts';

/**
 * The relay carrier, loaded only when a view is given `?relay=`: the NATS client stays out of the
 * bundle of a show that runs in one browser. Until it has loaded the link reads 'connecting' and
 * nothing is sent (the performer's next state, at the latest a second later, is what counts).
 */
export const createLazyRelayCarrier = (options: RelayOptions): Carrier & Pick<NatsCarrier, 'askClock' | 'answerClock'> => {
  const link = observable<LinkInfo>({ carrier: 'relay', relay: options.url, state: 'connecting', since: Date.now(), connects: 0, refused: null, error: null });
  const received = listeners<[SyncMessage]>();
  let inner: NatsCarrier | null = null;
  let answer: ((r: ClockRequest) => ClockReply | null) | null = null;
  let stopAnswering: (() => void) | null = null;
  let closed = false;
  import('./nats-carrier.ts')
    .then(({ createNatsCarrier }) => {
      if (closed) return;
      const c = createNatsCarrier(options);
      inner = c;
      c.link.subscribe(() => link.set(c.link.get()));
      link.set(c.link.get());
      c.onMessage((m) => {
        received.emit(m, (e) => console.error(e));
      });
      if (answer) stopAnswering = c.answerClock(answer);
    })
    .catch((e: unknown) => link.set({ ...link.get(), state: 'closed', error: `could not load the relay client: ${e instanceof Error ? e.message : String(e)}` }));
  return {
    link,
    send: (m) => inner?.send(m),
    onMessage: (fn) => {
      return received.add(fn);
    },
    askClock: (request, timeoutMs) => (inner ? inner.askClock(request, timeoutMs) : Promise.reject(new Error('relay not connected'))),
    answerClock: (fn) => {
      answer = fn;
      if (inner) stopAnswering = inner.answerClock(fn);
      return () => {
        answer = null;
        stopAnswering?.();
        stopAnswering = null;
      };
    },
    close: () => {
      closed = true;
      received.clear();
      inner?.close();
    },
  };
};
