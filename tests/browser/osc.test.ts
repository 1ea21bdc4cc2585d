import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launch } from './browser.ts';
import { osc, sendUdp, sleep, startBridgeProcess, udpSocket } from '../scripts/osc-process.ts';
import type { BridgeProcess } from '../scripts/osc-process.ts';
import type { OscStatus } from '../../src/inputs/osc/index.ts';

/**
 * OSC end to end: the bridge as `npm run osc` runs it (127.0.0.1, free ports), real UDP packets
 * in, the performer page (the production build) changing, and the dream's values coming out as
 * UDP OSC at the same addresses. Then a flood, and LAN mode's token.
 */

type Udp = Awaited<ReturnType<typeof udpSocket>>;
let browser: Browser;
let bridge: BridgeProcess;
let out: Udp;
let sender: Udp;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  out = await udpSocket();
  sender = await udpSocket();
  bridge = await startBridgeProcess(['--port', '0', '--ws-port', '0', '--send', `127.0.0.1:${out.port}`]);
  browser = await launch();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await bridge?.stop();
  await out?.close();
  await sender?.close();
});

const open = async (query: string, hash = ''): Promise<{ page: Page; errors: string[] }> => {
  const context = await browser.newContext();
  contexts.push(context);
  // tsx/esbuild keepNames wraps named functions in __name(), which the page does not have.
  await context.addInitScript(() => ((window as unknown as { __name: unknown }).__name = (f: unknown) => f));
  const page = await context.newPage();
  await page.setViewportSize({ width: 640, height: 360 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl()}/?${query}${hash}`);
  await page.waitForFunction(() => typeof window.dreamscape?.state === 'function', undefined, { timeout: 60_000 });
  return { page, errors };
};

const status = (page: Page) => page.evaluate(() => (window.dreamscape.osc as () => OscStatus)());
const waitLink = (page: Page, link: string) =>
  page.waitForFunction((l) => (window.dreamscape.osc as (() => OscStatus) | undefined)?.().link === l, link, { timeout: 20_000, polling: 50 });
const send = (address: string, ...args: Parameters<typeof osc>[1][]) => sendUdp(sender.socket, bridge.udpPort, osc(address, ...args));
const f = (value: number) => ({ type: 'f', value });
const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe('OSC into the performer page and the dream back out', () => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ page, errors } = await open(`view=performer&room=osc-e2e&tiles=400&osc=${encodeURIComponent(bridge.wsUrl)}`));
    await waitLink(page, 'open');
  });

  it('sets parameters and runs live actions from real UDP packets, tagged osc in the show log', async () => {
    const dreamer = await page.evaluate(() => window.dreamscape.state().dreamers[0]!.id);
    // The act first: its transition morphs values, which the values set after it then leave.
    await send('/dreamscape/do/act', 'next');
    await page.waitForFunction(() => window.dreamscape.state().act.index === 1, undefined, { timeout: 10_000, polling: 20 });
    await send('/dreamscape/set/mood/valence', f(0.3));
    await send(`/dreamscape/set/dreamers/${dreamer}/presence`, f(0.125));
    await send('/dreamscape/do/fracture', f(0.8));
    await page.waitForFunction(
      () => {
        const s = window.dreamscape.state();
        return Math.abs(s.mood.valence - 0.3) < 1e-6 && s.dreamers[0]!.presence === 0.125 && Math.abs(s.mosaic.fracture - 0.8) < 1e-6;
      },
      undefined,
      { timeout: 10_000, polling: 20 },
    );
    await send('/dreamscape/do/panic', 1);
    await page.waitForFunction(() => window.dreamscape.state().output.panic, undefined, { timeout: 5000, polling: 20 });
    await send('/dreamscape/do/panic', 0); // the button's release: nothing
    await send('/dreamscape/do/recover');
    await page.waitForFunction(() => !window.dreamscape.state().output.panic, undefined, { timeout: 5000, polling: 20 });
    const tapAvailable = await page.evaluate(() => typeof window.dreamscape.tempo?.tap === 'function');
    await send('/dreamscape/do/tap');
    await send('/dreamscape/set/mood/nope', f(1));
    await send('/dreamscape/set/mood/valence', f(Number.NaN));
    await page.waitForFunction(() => (window.dreamscape.osc as () => OscStatus)().bridge['unknown address'] === 1, undefined, { timeout: 5000, polling: 50 });
    const s = await status(page);
    expect(s.bridge['not a finite number']).toBe(1);
    if (tapAvailable) expect(s.dropped['not available']).toBeUndefined();
    else expect(s.dropped['not available']).toBe(1);
    const sources = await page.evaluate(() => window.dreamscape.log!().entries.filter((e) => e.source === 'osc').map((e) => e.action.type));
    // Continuous values are kept as each frame's coalesced value, in sweeps.
    expect(sources).toEqual(expect.arrayContaining(['sweep', 'fracture', 'act', 'panic', 'recover']));
    expect(errors).toEqual([]);
  });

  it('sends the dream\'s changed values out as OSC at the same addresses (from any input)', async () => {
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'depth', value: 0.77 }));
    const end = Date.now() + 5000;
    const depth = () => out.received.filter((m) => m.address === '/dreamscape/set/depth');
    while (!depth().some((m) => near(m.args[0] as number, 0.77)) && Date.now() < end) await sleep(20);
    expect(depth().some((m) => near(m.args[0] as number, 0.77))).toBe(true);
    expect(out.received.some((m) => m.address === '/dreamscape/set/mood/valence' && near(m.args[0] as number, 0.3))).toBe(true);
    expect(out.received.some((m) => m.address === '/dreamscape/do/act' && m.args[0] === 1)).toBe(true);
    // Only changes: no address repeats the value it sent last.
    const last = new Map<string, unknown>();
    for (const m of out.received) {
      expect(last.get(m.address) === m.args[0] && typeof m.args[0] !== 'number', m.address).toBe(false);
      if (typeof m.args[0] === 'number' && last.has(m.address)) expect(Math.abs((last.get(m.address) as number) - m.args[0]) > 1e-7, m.address).toBe(true);
      last.set(m.address, m.args[0]);
    }
  });

  it('from a UDP packet to the dream: the time until the store has it (measured)', async () => {
    // The page notes (Date.now, the same clock as this process's) when the dream takes each value.
    await page.evaluate(() => {
      const w = window as unknown as { __seen: Record<string, number> };
      w.__seen = {};
      window.dreamscape.subscribe((d) => {
        const k = d.unity.toFixed(3);
        w.__seen[k] ??= Date.now();
      });
    });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const v = Math.round((0.1 + i * 0.04) * 1000) / 1000;
      const t0 = Date.now();
      await send('/dreamscape/set/unity', f(v));
      const seen = await page.waitForFunction((k) => (window as unknown as { __seen: Record<string, number | undefined> }).__seen[k], v.toFixed(3), { timeout: 5000, polling: 10 });
      times.push(Number(await seen.jsonValue()) - t0);
    }
    times.sort((a, b) => a - b);
    const fps = await page.evaluate(() => window.dreamscape.stats?.().fps ?? 0);
    console.info(`OSC latency UDP -> the dream (store), 20 values: p50 ${times[10]} ms, p95 ${times[18]} ms, max ${times[19]} ms; the page drew ${fps.toFixed(1)} frames/s (headless, software WebGL): modulate applies at the next frame`);
    expect(times[18]!).toBeLessThan(Math.max(250, 3000 / Math.max(fps, 1)));
  });

  it('a flood of 10,000 messages in a second (some bad): counted and dropped or coalesced, the latest value applied, the show goes on', async () => {
    const before = await status(page);
    const N = 10_000;
    const start = performance.now();
    for (let i = 0; i < N; i += 100) {
      const batch = [];
      for (let j = i; j < i + 100; j++) {
        const kind = j % 100;
        const packet =
          kind === 7 ? osc('/dreamscape/set/mood/arousal', 'loud') : kind === 13 ? osc('/dreamscape/set/mood/arousal', f(Number.NaN)) : kind === 29 ? osc('/dreamscape/do/explode') : osc('/dreamscape/set/mood/arousal', f((j + 1) / N));
        batch.push(sendUdp(sender.socket, bridge.udpPort, packet));
      }
      await Promise.all(batch);
      const due = start + ((i + 100) / N) * 1000;
      if (performance.now() < due) await sleep(due - performance.now());
    }
    const seconds = (performance.now() - start) / 1000;
    await page.waitForFunction((x) => Math.abs(window.dreamscape.state().mood.arousal - x) < 1e-6, N / N, { timeout: 10_000, polling: 50 });
    await sleep(1200); // the bridge's counts come once a second
    const after = await status(page);
    const delta = (k: string) => (after.bridge[k] ?? 0) - (before.bridge[k] ?? 0);
    const applied = after.applied - before.applied;
    console.info(
      `OSC flood: ${N} sent in ${seconds.toFixed(2)} s; bridge: ${delta('coalesced')} coalesced, ${delta('wrong type')} wrong type, ${delta('not a finite number')} NaN, ${delta('unknown address')} unknown address; page: ${after.received - before.received} received, ${applied} applied, dropped ${JSON.stringify(after.dropped)}`,
    );
    expect(delta('wrong type')).toBe(100);
    expect(delta('not a finite number')).toBe(100);
    expect(delta('unknown address')).toBe(100);
    expect(delta('coalesced')).toBeGreaterThan(9000);
    expect(applied).toBeLessThanOrEqual(Math.ceil(seconds * 60) + 5);
    expect(await page.evaluate(() => window.dreamscape.pageErrors?.().count ?? 0)).toBe(0);
    expect(errors).toEqual([]);
    expect(bridge.proc.exitCode).toBeNull();
  });
});

describe('OSC in LAN mode: the token', () => {
  let lan: BridgeProcess;
  beforeAll(async () => {
    lan = await startBridgeProcess(['--lan', '--host', '127.0.0.1', '--allow', '127.0.0.1', '--port', '0', '--ws-port', '0']);
  });
  afterAll(async () => {
    await lan?.stop();
  });

  it('links with the token from the printed #fragment, which leaves the address bar and is never shown', async () => {
    const printed = new URL(lan.performer);
    const token = new URLSearchParams(printed.hash.slice(1)).get('osctoken')!;
    const { page } = await open(`view=performer&room=osc-lan&tiles=400&osc=${encodeURIComponent(lan.wsUrl)}`, printed.hash);
    await waitLink(page, 'open');
    expect(page.url()).not.toContain(token);
    expect(page.url()).toContain('osc=');
    const s = await status(page);
    expect(s.token).toBe(true);
    expect(JSON.stringify(s)).not.toContain(token);
    expect(await page.content()).not.toContain(token);
    expect(await page.evaluate(() => JSON.stringify(window.dreamscape.sync!()))).not.toContain(token);
    await sendUdp(sender.socket, lan.udpPort, osc('/dreamscape/set/mood/valence', f(-0.4)));
    await page.waitForFunction(() => Math.abs(window.dreamscape.state().mood.valence + 0.4) < 1e-6, undefined, { timeout: 5000, polling: 20 });
  });

  it('refuses a page without the token: the performer is told, and the show goes on', async () => {
    const { page, errors } = await open(`view=performer&room=osc-lan2&tiles=400&osc=${encodeURIComponent(lan.wsUrl)}`);
    await waitLink(page, 'refused');
    await page.waitForFunction(() => /OSC bridge.*token/s.test(document.querySelector('[data-testid="problems"]')?.textContent ?? ''), undefined, { timeout: 5000, polling: 100 });
    await lan.waitLog(/refused a page without the right token/);
    expect(await page.evaluate(() => typeof window.dreamscape.state().mood.valence)).toBe('number');
    expect(errors).toEqual([]);
  });

  it('an audience view never links, even with ?osc= and a token', async () => {
    const printed = new URL(lan.performer);
    const linksBefore = (lan.log().match(/a performer page linked/g) ?? []).length;
    const { page } = await open(`view=audience&room=osc-lan&osc=${encodeURIComponent(lan.wsUrl)}`, printed.hash);
    await sleep(1500);
    expect(await page.evaluate(() => typeof window.dreamscape.osc)).toBe('undefined');
    expect(page.url()).not.toContain('osctoken');
    expect((lan.log().match(/a performer page linked/g) ?? []).length).toBe(linksBefore);
  });
});
