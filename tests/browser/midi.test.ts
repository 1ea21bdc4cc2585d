import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, openView } from './browser.ts';
import { FAKE_MIDI } from '../../scripts/lib/fake-midi.ts';
import type { FakeMidi } from '../../scripts/lib/fake-midi.ts';

/**
 * MIDI in the performer view, through a fake Web MIDI injected before the page loads: learn (by
 * the API and by key L and a click), CC, 14-bit CC, both relative encodings, notes to actions,
 * program change, takeover, feedback out, clock in and out, hot-plug, the profile kept across a
 * reload, export and import of a bad file, a browser without Web MIDI, a refused permission, and a
 * show played by MIDI replayed to the same states. One page does most of it, to stay fast.
 */

const PARAMS = { view: 'performer', room: 'midi-test', tiles: 1000, preset: 'dream-temple', seed: 7 };
type W = Window & { __midi: FakeMidi };

const streamText = async (stream: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
};

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext();
  await context.addInitScript(() => ((window as unknown as { __name: unknown }).__name = (f: unknown) => f));
  for (const script of FAKE_MIDI) await context.addInitScript(script);
  ({ page, errors } = await openView(context, PARAMS));
  await page.waitForFunction(() => window.dreamscape.midi?.status().state === 'on', undefined, { timeout: 20_000 });
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Send bytes from the fake input `name`; continuous values apply at the next frame or clock step:
 * a step of 0 s applies them now (software WebGL draws few frames a second here).
 */
const midi = (p: Page, name: string, ...messages: number[][]) =>
  p.evaluate(
    ({ name, messages }) => {
      for (const m of messages) (window as unknown as W).__midi.send(name, m);
      window.dreamscape.clock.step(0);
    },
    { name, messages },
  );
const get = (p: Page, path: string) => p.evaluate((path) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], window.dreamscape.state()), path) as Promise<number>;
const add = (p: Page, mapping: unknown) => p.evaluate((m) => window.dreamscape.mappings!.add(m as never).id, mapping);

describe('MIDI', () => {
  it('asks when the view opens; devices(); learn by the API: the next CC is mapped, moves its target in the next frame, and is fed back', async () => {
    const devices = await page.evaluate(() => window.dreamscape.midi!.enable());
    expect(devices).toEqual([
      { id: 'in-1', name: 'Box', manufacturer: 'Fake Instruments', type: 'input' },
      { id: 'out-1', name: 'Box', manufacturer: 'Fake Instruments', type: 'output' },
    ]);
    const learned = page.evaluate(() => window.dreamscape.mappings!.learn('mood.arousal'));
    await page.waitForTimeout(50);
    await midi(page, 'Box', [0xb0, 7, 100]);
    expect(await learned).toMatchObject({ source: { kind: 'midi', type: 'cc', channel: 1, number: 7, port: 'Box' }, target: 'mood.arousal' });
    await midi(page, 'Box', [0xb0, 7, 127]);
    expect(await get(page, 'mood.arousal')).toBeCloseTo(1, 3);
    await midi(page, 'Box', [0xb0, 7, 0]);
    expect(await get(page, 'mood.arousal')).toBeCloseTo(0, 3);
    // Feedback: another input moves the target; the controller hears where it went, once.
    await page.evaluate(() => (window as unknown as W).__midi.clearSent());
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'mood.arousal', value: 0.5 }));
    await page.waitForFunction(() => (window as unknown as W).__midi.sent('Box').length > 0, undefined, { timeout: 5000 });
    await page.waitForTimeout(200);
    const out = await page.evaluate(() => (window as unknown as W).__midi.sent('Box').map((s) => s.data));
    expect(out).toContainEqual([0xb0, 7, 64]);
    expect(out.filter((d) => d[1] === 7)).toHaveLength(1);
  });

  it('14-bit CC, both relative encodings, takeover pickup', async () => {
    await add(page, { source: { kind: 'midi', type: 'cc14', channel: 2, number: 1 }, target: 'depth' });
    await midi(page, 'Box', [0xb1, 1, 0x40], [0xb1, 33, 0x00]);
    expect(await get(page, 'depth')).toBeCloseTo(8192 / 16383, 4);
    await midi(page, 'Box', [0xb1, 1, 0x7f], [0xb1, 33, 0x7f]);
    expect(await get(page, 'depth')).toBeCloseTo(1, 6);
    await add(page, { source: { kind: 'midi', type: 'cc', channel: 1, number: 16, encoding: 'relative-twos' }, target: 'unity' });
    await add(page, { source: { kind: 'midi', type: 'cc', channel: 1, number: 17, encoding: 'relative-offset' }, target: 'unity' });
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'unity', value: 0.5 }));
    await midi(page, 'Box', [0xb0, 16, 10]);
    expect(await get(page, 'unity')).toBeCloseTo(0.5 + 10 / 128, 4);
    await midi(page, 'Box', [0xb0, 16, 124]);
    expect(await get(page, 'unity')).toBeCloseTo(0.5 + 6 / 128, 4);
    await midi(page, 'Box', [0xb0, 17, 60]);
    expect(await get(page, 'unity')).toBeCloseTo(0.5 + 2 / 128, 4);
    await midi(page, 'Box', [0xb0, 17, 70]);
    expect(await get(page, 'unity')).toBeCloseTo(0.5 + 8 / 128, 4);
    // Pickup: the fader far from the value does nothing until it crosses it.
    await add(page, { source: { kind: 'midi', type: 'cc', channel: 1, number: 20 }, target: 'dreamers.0.presence', takeover: 'pickup' });
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'set', path: 'dreamers.0.presence', value: 0.5 }));
    await midi(page, 'Box', [0xb0, 20, 10]);
    await midi(page, 'Box', [0xb0, 20, 40]);
    expect(await get(page, 'dreamers.0.presence')).toBeCloseTo(0.5, 6);
    await midi(page, 'Box', [0xb0, 20, 80]);
    expect(await get(page, 'dreamers.0.presence')).toBeCloseTo(80 / 127, 4);
  });

  it('notes and program changes fire actions (source midi); note off does not', async () => {
    await add(page, { source: { kind: 'midi', type: 'note', channel: 10, number: 36 }, target: { action: 'glitch', amount: 0.4 } });
    await add(page, { source: { kind: 'midi', type: 'program', channel: 1, number: 2 }, target: { action: 'act', to: 'next' } });
    const before = await page.evaluate(() => ({ act: window.dreamscape.state().act.index, n: window.dreamscape.log!().entries.length }));
    await midi(page, 'Box', [0x99, 36, 100], [0x89, 36, 0], [0xc0, 2]);
    const after = await page.evaluate((n) => window.dreamscape.log!().entries.slice(n).filter((e) => e.action.type !== 'sweep').map((e) => [e.source, e.action.type]), before.n);
    expect(after).toEqual([
      ['midi', 'glitch'],
      ['midi', 'act'],
    ]);
    expect(await page.evaluate(() => window.dreamscape.state().act.index)).toBe(before.act + 1);
  });
});

describe('MIDI: learn by hand, hot-plug, clock, profile', () => {
  it('key L, a click on a live button picks it (without firing it), the next note is mapped; a click on a panel slider picks its parameter', async () => {
    const n = await page.evaluate(() => window.dreamscape.log!().entries.length);
    await page.keyboard.press('l');
    await page.getByTestId('learn-banner').waitFor();
    await page.getByTestId('live-fracture').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="learn-banner"]')?.textContent?.includes('move a control'));
    expect(await page.evaluate((n) => window.dreamscape.log!().entries.slice(n).filter((e) => e.action.type === 'fracture').length, n)).toBe(0);
    await midi(page, 'Box', [0x90, 40, 90]);
    await page.waitForFunction(() => !document.querySelector('[data-testid="learn-banner"]'));
    const list = await page.evaluate(() => window.dreamscape.mappings!.list());
    expect(list.at(-1)).toMatchObject({ source: { type: 'note', number: 40, channel: 1 }, target: { action: 'fracture' } });
    // A leva slider: its row's label names the control (Dream folder, valence).
    await page.keyboard.press('l');
    const row = page.locator('label[for="Dream.valence"]');
    if ((await row.count()) === 0) console.log('leva labels:', await page.evaluate(() => [...document.querySelectorAll('label[for]')].map((l) => l.getAttribute('for')).slice(0, 20)));
    await row.click();
    await midi(page, 'Box', [0xb0, 21, 30]);
    await page.waitForFunction(() => !document.querySelector('[data-testid="learn-banner"]'));
    expect((await page.evaluate(() => window.dreamscape.mappings!.list())).at(-1)).toMatchObject({ source: { type: 'cc', number: 21 }, target: 'mood.valence' });
  });

  it('key T and the Tap button tap the tempo; ×2 doubles it; release tempo lets the acts lead', async () => {
    await page.evaluate(() => window.dreamscape.tempo!.release());
    await page.getByTestId('mappings-toggle').click();
    for (let i = 0; i < 4; i++) {
      if (i % 2 === 0) await page.keyboard.press('t');
      else await page.getByTestId('tap').click();
      await page.waitForTimeout(400);
    }
    const tapped = await page.evaluate(() => window.dreamscape.tempo!.status());
    expect(tapped.taps).toBe(4);
    expect(tapped.held).toBe(true);
    expect(tapped.bpm).toBeGreaterThan(100);
    await page.getByTestId('tempo-x2').click();
    expect((await page.evaluate(() => window.dreamscape.tempo!.status())).bpm).toBeCloseTo(Math.min(240, tapped.bpm * 2), 0);
    await page.getByTestId('tempo-x1').click();
    await page.getByTestId('tempo-release').click();
    expect((await page.evaluate(() => window.dreamscape.tempo!.status())).held).toBe(false);
    await page.getByTestId('mappings-toggle').click();
  });

  it('hot-plug: a controller plugged in during the show is listened to, and unplugged is let go', async () => {
    await page.evaluate(() => (window as unknown as W).__midi.plug('Pads'));
    expect((await page.evaluate(() => window.dreamscape.midi!.devices())).map((d) => d.name)).toEqual(['Box', 'Pads', 'Box', 'Pads']);
    await page.getByText('MIDI: Pads connected').waitFor({ timeout: 3000 });
    const learned = page.evaluate(() => window.dreamscape.mappings!.learn({ action: 'restabilize' }));
    await page.waitForTimeout(30);
    await midi(page, 'Pads', [0x90, 50, 100]);
    expect(await learned).toMatchObject({ source: { port: 'Pads', type: 'note', number: 50 } });
    await page.evaluate(() => (window as unknown as W).__midi.unplug('Pads'));
    expect((await page.evaluate(() => window.dreamscape.midi!.devices())).map((d) => d.name)).toEqual(['Box', 'Box']);
  });

  it('clock in sets the tempo and holds it; clock out sends 24 pulses a beat ahead, with start and stop', async () => {
    // 132 BPM for four beats, stamped as a driver stamps them (with ±1 ms of jitter), sent at once.
    const r = await page.evaluate(() => {
      const m = (window as unknown as W).__midi;
      const t0 = performance.now();
      const period = 60_000 / (132 * 24);
      m.send('Box', [0xfa], t0 - 1);
      for (let i = 0; i < 96; i++) m.send('Box', [0xf8], t0 + i * period + ((i * 7919) % 21) / 10 - 1);
      const d = window.dreamscape.state();
      return { tempo: d.tempo, held: d.show.tempoHold, bpm: window.dreamscape.midi!.status().clockIn.bpm };
    });
    expect(Math.abs(r.tempo - 132)).toBeLessThan(0.5);
    expect(r.held).toBe(true);
    const sent = await page.evaluate(async () => {
      const m = (window as unknown as W).__midi;
      m.clearSent();
      window.dreamscape.midi!.clockOut('out-1');
      await new Promise((res) => setTimeout(res, 1500));
      window.dreamscape.midi!.clockOut(null);
      return { sent: m.sent('Box').filter((s) => s.data[0]! >= 0xf8), tempo: window.dreamscape.state().tempo, now: performance.now() };
    });
    const pulses = sent.sent.filter((s) => s.data[0] === 0xf8);
    expect(sent.sent[0]!.data).toEqual([0xfa]);
    expect(sent.sent.at(-1)!.data).toEqual([0xfc]);
    // On one grid: pulse i at the first's time + i periods (a long frame here sends missed pulses at once, late, but counted).
    const period = 60_000 / (sent.tempo * 24);
    pulses.forEach((p, i) => expect(p.timestamp! - pulses[0]!.timestamp!).toBeCloseTo(i * period, 1));
    expect(pulses.length).toBeGreaterThan(10);
  });
});

describe('MIDI: profile, presets, refusals', () => {
  it('a preset change is fed back; a refused permission is one calm line, and asking again works', async () => {
    await page.evaluate(() => (window as unknown as W).__midi.clearSent());
    await page.evaluate(() => window.dreamscape.loadPreset('sleep-square'));
    await page.waitForFunction(() => (window as unknown as W).__midi.sent('Box').some((s) => s.data[1] === 7), undefined, { timeout: 5000 });
    await page.waitForTimeout(300);
    const arousal = await get(page, 'mood.arousal');
    const cc7 = await page.evaluate(() => (window as unknown as W).__midi.sent('Box').filter((s) => s.data[1] === 7).map((s) => s.data[2]));
    expect(cc7.at(-1)).toBe(Math.round(arousal * 127));
    await page.evaluate(() => ((window as unknown as W).__midi.mode = 'refuse'));
    expect(await page.evaluate(() => window.dreamscape.midi!.enable())).toEqual([]);
    expect(await page.evaluate(() => window.dreamscape.midi!.status().state)).toBe('refused');
    await page.getByText('MIDI access was refused').first().waitFor({ timeout: 3000 });
    await page.evaluate(() => ((window as unknown as W).__midi.mode = 'ok'));
    expect((await page.evaluate(() => window.dreamscape.midi!.enable())).length).toBe(2);
  });

  it('export gives the profile file; a bad file shows its problems with paths and changes nothing', async () => {
    const before = await page.evaluate(() => window.dreamscape.mappings!.export());
    await page.getByTestId('mappings-toggle').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('mappings-export').click()]);
    const file = JSON.parse(await streamText(await download.createReadStream())) as unknown;
    expect(file).toEqual(before);
    const bad = { format: 'dreamscape-mappings', version: 1, mappings: [{ source: { kind: 'midi', type: 'cc', channel: 17, number: 1 }, target: 'mood.arousal' }, { source: { kind: 'midi', type: 'cc', channel: 1, number: 2 }, target: 'safety.flashGuard' }] };
    await page.getByTestId('mappings-import').setInputFiles({ name: 'bad-profile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const problems = page.getByTestId('problems');
    await problems.waitFor({ timeout: 3000 });
    const text = await problems.textContent();
    expect(text).toContain('bad-profile.json');
    expect(text).toContain('$.mappings[0].source.channel');
    expect(await page.evaluate(() => window.dreamscape.mappings!.export())).toEqual(before);
  });

  it('the profile survives a reload', async () => {
    const before = await page.evaluate(() => window.dreamscape.mappings!.list().map(({ last: _last, ...m }) => m));
    expect(before.length).toBeGreaterThan(8);
    await page.reload();
    await page.waitForFunction(() => window.dreamscape.midi?.status().state === 'on', undefined, { timeout: 20_000 });
    expect(await page.evaluate(() => window.dreamscape.mappings!.list().map(({ last: _last, ...m }) => m))).toEqual(before);
    await midi(page, 'Box', [0xb0, 7, 127]);
    expect(await get(page, 'mood.arousal')).toBeCloseTo(1, 3);
  });

  it('a preset that suggests mappings offers them; Accept merges them into the profile', async () => {
    const before = await page.evaluate(() => window.dreamscape.mappings!.list().length);
    await page.evaluate(() =>
      window.dreamscape.loadPreset({
        version: 1,
        id: 'suggesting',
        mappings: [
          { source: { kind: 'midi', type: 'cc', channel: 5, number: 1 }, target: 'mood.arousal' },
          { source: { kind: 'midi', type: 'note', channel: 5, number: 60 }, target: { action: 'panic' } },
        ],
      }),
    );
    await page.getByTestId('mapping-offer').waitFor({ timeout: 3000 });
    expect(await page.getByTestId('mapping-offer').textContent()).toContain('suggesting suggests 2 mappings');
    await page.getByTestId('mapping-offer-accept').click();
    await page.getByTestId('mapping-offer').waitFor({ state: 'detached', timeout: 3000 });
    expect(await page.evaluate(() => window.dreamscape.mappings!.list().length)).toBe(before + 2);
    await midi(page, 'Box', [0xb4, 1, 127]);
    expect(await get(page, 'mood.arousal')).toBeCloseTo(1, 3);
  });

  it('a browser without Web MIDI says so in one line, and the rest works', async () => {
    const other = await openView(context, { ...PARAMS, room: 'midi-none', 'midi-fake': 'none' });
    await other.page.getByText('this browser has no Web MIDI').waitFor({ timeout: 5000 });
    await other.page.waitForFunction(() => window.dreamscape.midi !== undefined && window.dreamscape.mappings !== undefined);
    const r = await other.page.evaluate(async () => {
      const devices = await window.dreamscape.midi!.enable();
      window.dreamscape.dispatch({ type: 'fracture' });
      return { devices, status: window.dreamscape.midi!.status().state, fracture: window.dreamscape.state().mosaic.fracture, hasMappings: typeof window.dreamscape.mappings?.list === 'function' };
    });
    expect(r).toMatchObject({ devices: [], status: 'unavailable', hasMappings: true });
    expect(r.fracture).toBeGreaterThan(0);
    expect(other.errors).toEqual([]);
    await other.page.close();
  });
});

/** The first difference between two states (numbers within 1e-9 relative), with its path, or null. */
const firstDifference = (a: unknown, b: unknown, path = '$'): string | null => {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? null : `${path}: ${a} vs ${b}`;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
};

describe('MIDI: a show played by MIDI replays exactly', () => {
  it('faders, a 14-bit fader, an encoder, pads, program changes and a clock, stepped at 30 frames a second: the replay gives the same state at every second', async () => {
    const live = await openView(context, { ...PARAMS, room: 'midi-replay' });
    await live.page.waitForFunction(() => window.dreamscape.midi?.status().state === 'on', undefined, { timeout: 20_000 });
    const recorded = await live.page.evaluate(() => {
      const d = window.dreamscape;
      const m = (window as unknown as W).__midi;
      for (const id of d.mappings!.list().map((x) => x.id)) d.mappings!.remove(id);
      d.mappings!.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 7 }, target: 'mood.arousal', curve: 's' });
      d.mappings!.add({ source: { kind: 'midi', type: 'cc14', channel: 1, number: 1 }, target: 'depth' });
      d.mappings!.add({ source: { kind: 'midi', type: 'cc', channel: 1, number: 16, encoding: 'relative-twos' }, target: 'unity' });
      d.mappings!.add({ source: { kind: 'midi', type: 'note', channel: 10, number: 36 }, target: { action: 'fracture', amount: 0.6 } });
      d.mappings!.add({ source: { kind: 'midi', type: 'note', channel: 10, number: 38 }, target: { action: 'restabilize' } });
      d.mappings!.add({ source: { kind: 'midi', type: 'program', channel: 1, number: 1 }, target: { action: 'act', to: 'next' } });
      d.clock.pause();
      d.clock.step(Math.ceil(d.clock.time()) + 1 - d.clock.time());
      const states = [d.state()];
      const t0 = performance.now();
      for (let s = 0; s < 20; s++) {
        for (let f = 0; f < 30; f++) {
          const u = s + f / 30;
          m.send('Box', [0xb0, 7, Math.round(63.5 + 63.5 * Math.sin(u))]);
          const v = Math.round(8191 + 8191 * Math.cos(u / 2));
          m.send('Box', [0xb0, 1, v >> 7]);
          m.send('Box', [0xb0, 33, v & 0x7f]);
          if (f % 5 === 0) m.send('Box', [0xb0, 16, s < 10 ? 2 : 126]);
          if (f === 0 && s % 4 === 1) m.send('Box', [0x99, 36, 110]);
          if (f === 15 && s % 4 === 2) m.send('Box', [0x99, 38, 90]);
          if (f === 10 && s % 7 === 3) m.send('Box', [0xc0, 1]);
          // Two beats of a 124 BPM clock each second (as a driver stamps them).
          if (s === 5 && f === 0) m.send('Box', [0xfa], t0);
          if (s >= 5 && s < 9) for (let k = 0; k < 2; k++) m.send('Box', [0xf8], t0 + (((s - 5) * 30 + f) * 2 + k) * (60_000 / (124 * 24)));
          d.clock.step(1 / 30);
        }
        states.push(d.state());
      }
      return { states, log: d.log!() };
    });
    const kinds = [...new Set(recorded.log.entries.map((e) => `${e.source}:${e.action.type}`))].sort();
    expect(kinds).toEqual(expect.arrayContaining(['midi:act', 'midi:fracture', 'midi:restabilize', 'midi:tempo']));
    expect(recorded.log.entries.some((e) => e.action.type === 'sweep' && e.action.tracks.some((t) => t.source === 'midi'))).toBe(true);
    await live.page.close();
    const again = await openView(context, { ...PARAMS, room: 'midi-replay-2' });
    await again.page.waitForFunction(() => typeof window.dreamscape.replay === 'function', undefined, { timeout: 20_000 });
    const replayed = await again.page.evaluate(
      async ({ log, times }) => {
        const d = window.dreamscape;
        d.clock.pause();
        await d.replay!(log, { at: 0 });
        return times.map((t) => {
          d.clock.step(t - d.clock.time());
          return d.state();
        });
      },
      { log: recorded.log, times: recorded.states.map((s) => s.clock) },
    );
    const mismatches = recorded.states.map((s, i) => firstDifference(replayed[i], s)).filter((x) => x !== null);
    expect(mismatches).toEqual([]);
    expect(again.errors).toEqual([]);
    await again.page.close();
  });
});

describe('MIDI: the page', () => {
  it('logged no errors', () => {
    expect(errors).toEqual([]);
  });
});
