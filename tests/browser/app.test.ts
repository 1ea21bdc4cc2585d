import { describe, expect, it } from 'vitest';

import { browserPerFile, openView } from './browser.ts';

const shared = browserPerFile();

describe('app shell and scripting API', () => {
  it('boots the default preset and exposes the scripting API', async () => {
    const { page, errors } = await openView(shared.context);
    const s = await page.evaluate(() => ({ v: window.dreamscape.version, presets: window.dreamscape.presets(), state: window.dreamscape.state() }));
    expect(s.presets).toContain('dream-temple');
    expect(s.presets).toHaveLength(5);
    expect(s.state.preset).toBe('dream-temple');
    expect(s.state.act.index).toBe(0);
    expect(s.state.mosaic.tiles).toBe(4096);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('dispatches actions and refuses bad ones with a clear error', async () => {
    const { page } = await openView(shared.context, { preset: 'sleep-square', seed: 7, tiles: 1000 });
    const r = await page.evaluate(() => {
      const d = window.dreamscape;
      d.dispatch({ type: 'fracture', amount: 0.8 });
      d.dispatch({ type: 'glitch', amount: 0.5 });
      d.dispatch({ type: 'act', to: 'next' });
      let error = '';
      try {
        d.dispatch({ type: 'set', path: 'mood.nope', value: 1 });
      } catch (e) {
        error = (e as Error).message;
      }
      const s = d.state();
      return { preset: s.preset, seed: s.seed, tiles: s.mosaic.tiles, fracture: s.mosaic.fracture, glitch: s.mosaic.glitch, act: s.act.index, error };
    });
    expect(r).toMatchObject({ preset: 'sleep-square', seed: 7, tiles: 1000, fracture: 0.8, glitch: 0.5, act: 1 });
    expect(r.error).toMatch(/unknown path 'mood\.nope'/);
    await page.close();
  });

  it('reports a bad URL parameter on screen and starts anyway', async () => {
    const { page, errors } = await openView(shared.context, { tiles: 'lots', preset: 'nowhere' });
    await page.getByTestId('problems').waitFor();
    const text = await page.getByTestId('problems').innerText();
    expect(text).toContain('?tiles=lots');
    expect(text).toContain('?preset=nowhere');
    expect(await page.evaluate(() => window.dreamscape.state().preset)).toBe('dream-temple');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rejects a bad preset with its problems, shows them and keeps the dream', async () => {
    const { page } = await openView(shared.context);
    await page.evaluate(() => window.dreamscape.dispatch({ type: 'fracture', amount: 0.4 }));
    const rejected = await page.evaluate(async () => {
      try {
        await window.dreamscape.loadPreset({ version: 1, id: 'broken', tempo: 900, mosaic: { tilez: 3 } });
        return null;
      } catch (e) {
        return { message: (e as Error).message, problems: (e as { problems: { path: string; message: string }[] }).problems };
      }
    });
    expect(rejected).not.toBeNull();
    expect(rejected!.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['$.tempo', '$.mosaic.tilez']));
    const text = await page.getByTestId('problems').innerText();
    expect(text).toContain('$.tempo');
    expect(text).toContain('$.mosaic.tilez');
    const s = await page.evaluate(() => window.dreamscape.state());
    expect(s.preset).toBe('dream-temple');
    expect(s.mosaic.fracture).toBeCloseTo(0.4);
    await page.close();
  });

  it('loads a bundled preset by id with a morph', async () => {
    const { page } = await openView(shared.context);
    await page.evaluate(() => window.dreamscape.clock.pause());
    const mid = await page.evaluate(async () => {
      await window.dreamscape.loadPreset('dream-hub', { morphSeconds: 4 });
      window.dreamscape.clock.step(1);
      const early = window.dreamscape.state().preset;
      window.dreamscape.clock.step(2);
      const late = window.dreamscape.state().preset;
      window.dreamscape.clock.step(2);
      return { early, late, morph: window.dreamscape.state().morph };
    });
    expect(mid).toEqual({ early: 'dream-temple', late: 'dream-hub', morph: null });
    await page.close();
  });
});
