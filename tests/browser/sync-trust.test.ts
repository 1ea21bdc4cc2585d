import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openView, relayPerFile } from './browser.ts';

// Consent on the wire, bad messages, one performer per room: real Chromium, BroadcastChannel
// between pages of one context, and a real nats-server between contexts.
const shared = relayPerFile('trust-relay');
const { context } = shared;

interface Sync {
  performer?: string | null;
  otherPerformer?: { id: string; holdsRoom?: boolean } | null;
  standby?: boolean;
  link: string;
}
const sync = (page: Page) => page.evaluate(() => (window.dreamscape.sync as () => Sync)());
const stateJson = (page: Page) => page.evaluate(() => JSON.stringify(window.dreamscape.state()));
const unity = (page: Page) => page.evaluate(() => window.dreamscape.state().unity);
const waitFor = (page: Page, check: string, timeout = 10_000) =>
  page.waitForFunction(new Function(`const s = window.dreamscape.state(); const y = window.dreamscape.sync(); return ${check};`) as () => boolean, undefined, { timeout, polling: 50 });

/** A private dreamer's personal data as it would show in JSON (dream-hub's Kian, the lounge's Ezra). */
const PRIVATE = {
  'dream-hub': ['"kian"', 'Kian Sarai', 'cultural critic', '[-7,null,-4,-7]'],
  'dreamscape-lounge': ['"ezra"', 'Ezra Quinn', 'Restful Sovereignty Enforcer', '[-7,-7,-3,null,-5]'],
};
const leaks = (json: string, preset: keyof typeof PRIVATE) => PRIVATE[preset].filter((t) => json.includes(t));

describe('what an audience receives', () => {
  it('over BroadcastChannel: the audience state() holds no private dreamer, from boot, at rest and mid-morph; the slot and its veil stay', async () => {
    const room = `consent-${Date.now()}`;
    const ctx = await context();
    // booted alone from the bundled preset, before any message: already the projection
    const { page: audience, errors } = await openView(ctx, { room, view: 'audience', preset: 'dream-hub', tiles: 256 });
    expect(leaks(await stateJson(audience), 'dream-hub')).toEqual([]);
    const { page: performer } = await openView(ctx, { room, preset: 'dream-hub', tiles: 256 });
    expect(leaks(await stateJson(performer), 'dream-hub')).toHaveLength(4); // the performer has it all
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.321 }));
    await waitFor(audience, 'Math.abs(s.unity - 0.321) < 1e-9');
    const s = JSON.parse(await stateJson(audience)) as { dreamers: { id: string; name: string; consent: string; colour: string }[]; acts: { note: string }[] };
    expect(leaks(JSON.stringify(s), 'dream-hub')).toEqual([]);
    expect(s.dreamers[3]).toMatchObject({ id: 'private-3', name: '', consent: 'private' }); // the slot and the veil's consent
    expect(s.dreamers).toHaveLength(4);
    expect(s.acts.every((a) => a.note === '')).toBe(true);
    // mid-morph to the lounge (whose Ezra is private): the target travels projected too
    await performer.evaluate(() => window.dreamscape.loadPreset('dreamscape-lounge', { morphSeconds: 20 }));
    await waitFor(audience, "s.morph !== null && s.morph.target !== null && s.morph.target.preset === 'dreamscape-lounge'");
    const mid = await stateJson(audience);
    expect(leaks(mid, 'dream-hub')).toEqual([]);
    expect(leaks(mid, 'dreamscape-lounge')).toEqual([]);
    expect(errors).toEqual([]);
    await audience.close();
    await performer.close();
  });

  it('over the relay: the same', async () => {
    const { page: performer } = await openView(await context(), { room: shared.relay.room, relay: shared.relay.wsUrl, pass: shared.relay.secret, preset: 'dream-hub', tiles: 256 });
    const { page: audience, errors } = await openView(await context(), { room: shared.relay.room, relay: shared.relay.wsUrl, view: 'audience', preset: 'dream-hub', tiles: 256 });
    await waitFor(performer, "y.link === 'connected'", 20_000);
    await waitFor(audience, "y.link === 'connected'", 20_000);
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.654 }));
    await waitFor(audience, 'Math.abs(s.unity - 0.654) < 1e-9', 15_000);
    expect(leaks(await stateJson(audience), 'dream-hub')).toEqual([]);
    await performer.evaluate(() => window.dreamscape.loadPreset('dreamscape-lounge', { morphSeconds: 20 }));
    await waitFor(audience, "s.morph !== null && s.morph.target !== null && s.morph.target.preset === 'dreamscape-lounge'", 15_000);
    const mid = await stateJson(audience);
    expect(leaks(mid, 'dream-hub')).toEqual([]);
    expect(leaks(mid, 'dreamscape-lounge')).toEqual([]);
    expect(errors.filter((e) => !/WebSocket/.test(e))).toEqual([]);
    await audience.close();
    await performer.close();
  });
});

describe('bad messages over BroadcastChannel', () => {
  it('each malformed state of the issue is dropped with a console line; the audience keeps dreaming and still follows its performer', async () => {
    const room = `bad-${Date.now()}`;
    const ctx = await context();
    const { page: performer } = await openView(ctx, { room, tiles: 256 });
    const { page: audience, errors } = await openView(ctx, { room, view: 'audience', tiles: 256 });
    const warnings: string[] = [];
    audience.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('dreamscape: dropped')) warnings.push(m.text());
    });
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.25 }));
    await waitFor(audience, 'Math.abs(s.unity - 0.25) < 1e-9');
    await audience.waitForFunction(() => typeof window.dreamscape.stats === 'function', undefined, { timeout: 30_000 });
    // a real message from the performer, caught on the channel, is the base of each bad one
    const deepest = await audience.evaluate(async (room) => {
      const ch = new BroadcastChannel(`dreamscape:${room}`);
      const real = await new Promise<Record<string, any>>((resolve) => {
        ch.onmessage = (e) => {
          if (e.data?.kind === 'state' && e.data.dream.acts) resolve(e.data);
        };
      });
      const w = window as unknown as { real: Record<string, any>; post: (m: unknown) => void };
      w.real = real;
      w.post = (m) => ch.postMessage(m);
      // How deep a value Chromium can post at all (its structured clone recurses): 120,000 if it can.
      const deep = (n: number) => {
        let v: unknown = [];
        for (let i = 0; i < n; i++) v = [v];
        return v;
      };
      let n = 120_000;
      for (;;) {
        try {
          ch.postMessage({ ...real, seq: real.seq + 1000, devices: deep(n) });
          return n;
        } catch {
          n = Math.floor(n / 2);
        }
      }
    }, room);
    console.log(`the deepest value Chromium's BroadcastChannel would carry in this run: ${deepest} levels (posted)`);
    expect(deepest).toBeGreaterThan(12);
    const bads = [
      'm.dream.show = undefined; delete m.dream.show',
      'm.dream.mosaic.tiles = 1e9',
      "m.dream.tempo = 'fast'",
      'm.dream.acts = Array.from({ length: 50000 }, () => m.dream.acts[0])',
      'm.seq = 1e308; m.dream.unity = 0.9',
    ];
    // (each with a seq far above the performer's, so that nothing but the check keeps it out)
    for (const [i, edit] of bads.entries()) {
      const before = await audience.evaluate(() => ({ clock: window.dreamscape.state().clock, unity: window.dreamscape.state().unity }));
      await audience.evaluate(
        ([edit, i]) => {
          const w = window as unknown as { real: Record<string, any>; post: (m: unknown) => void };
          const m = structuredClone(w.real);
          m.seq = (w.real.seq as number) + 2000 * (i + 1);
          new Function('m', edit)(m);
          w.post(m);
        },
        [edit, i] as const,
      );
      // it keeps dreaming: its clock goes on, nothing of the bad message is in its state
      await audience.waitForFunction((c) => window.dreamscape.state().clock > c + 0.2, before.clock, { timeout: 10_000 });
      const s = await audience.evaluate(() => window.dreamscape.state());
      expect(s.unity, edit).toBeCloseTo(0.25, 9);
      expect(s.mosaic.tiles).toBe(256);
      expect(s.show).toBeDefined();
    }
    // the performer's next real state is still taken (seq 1e308 did not silence it)
    await performer.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.75 }));
    await waitFor(audience, 'Math.abs(s.unity - 0.75) < 1e-9');
    expect(await audience.evaluate(() => window.dreamscape.stats!().pageErrors)).toBe(0);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(bads.length + 1); // at most one line a second
    expect(warnings[0]).toMatch(/^dreamscape: dropped a message from another window: \$\.devices(\[0\])+: nested deeper than 12 levels/);
    expect(errors).toEqual([]);
    await audience.close();
    await performer.close();
  });
});

describe('one performer per room', () => {
  it('the audience follows the first; the second is warned and can take over; a reloaded tab is the same performer; 5 s after the holder leaves the other has the room', async () => {
    const room = `two-${Date.now()}`;
    const ctx = await context();
    const { page: first, errors } = await openView(ctx, { room, tiles: 256 });
    const { page: audience } = await openView(ctx, { room, view: 'audience', tiles: 256 });
    await first.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.1 }));
    await waitFor(audience, 'Math.abs(s.unity - 0.1) < 1e-9');
    const firstId = (await sync(first)).performer;
    expect((await sync(audience)).performer).toBe(firstId);

    const { page: second } = await openView(ctx, { room, tiles: 256 });
    const secondId = (await sync(second)).performer;
    expect(secondId).not.toBe(firstId);
    // the second hears the first, stands by and says so in its panel and in stats()
    await second.waitForFunction(() => window.dreamscape.stats?.().otherPerformer?.holdsRoom === true, undefined, { timeout: 10_000 });
    await second.getByTestId('other-performer').waitFor();
    expect(await second.getByTestId('other-performer').innerText()).toMatch(/Another performer is live/);
    await second.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.9 }));
    await audience.waitForTimeout(1500);
    expect(await unity(audience)).toBeCloseTo(0.1, 9);
    expect((await sync(audience)).performer).toBe(firstId);

    // take over (the panel's button): the audience follows the second; the first now stands by
    await second.getByTestId('take-over').click();
    await waitFor(audience, `y.performer === ${JSON.stringify(secondId)} && Math.abs(s.unity - 0.9) < 1e-9`);
    await first.waitForFunction(() => window.dreamscape.stats?.().otherPerformer?.holdsRoom === true, undefined, { timeout: 10_000 });
    await first.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.2 }));
    await audience.waitForTimeout(1500);
    expect(await unity(audience)).toBeCloseTo(0.9, 9);

    // the holder reloads: the same performer (its id from the tab), followed at once, no 5 s wait
    await second.reload();
    await second.waitForFunction(() => typeof window.dreamscape?.sync === 'function', undefined, { timeout: 60_000 });
    expect((await sync(second)).performer).toBe(secondId);
    const t0 = Date.now();
    await second.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.45 }));
    await waitFor(audience, 'Math.abs(s.unity - 0.45) < 1e-9', 4000);
    console.log(`the reloaded performer was followed ${Date.now() - t0} ms after its first change`);
    expect((await sync(audience)).performer).toBe(secondId);

    // the holder leaves: 5 s later the first has the room, without taking it over
    await second.close();
    const left = Date.now();
    await waitFor(audience, `y.performer === ${JSON.stringify(firstId)}`, 15_000);
    const after = Date.now() - left;
    console.log(`the first performer had the room ${after} ms after the holder closed`);
    expect(after).toBeGreaterThanOrEqual(4500);
    await waitFor(audience, 'Math.abs(s.unity - 0.2) < 1e-9', 5000);
    await first.waitForFunction(() => window.dreamscape.stats?.().otherPerformer === null, undefined, { timeout: 10_000 });
    expect(errors).toEqual([]);
    await first.close();
    await audience.close();
  });
});
