import { useEffect, useMemo, useRef } from 'react';
import { Leva, useControls, button } from 'leva';
import type { Schema } from 'leva/dist/declarations/src/types';
import { getParam, isContinuous, resolvePath } from '../model/index.ts';
import type { ParamValue } from '../model/index.ts';
import { panelLayout } from './panel-layout.ts';
import type { Binding } from './panel-layout.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { useDream, useRuntime } from '../app/runtime-context.tsx';
import { actOrSay, showNotice } from './notices.ts';
import { useQualityFolder } from './quality-control.ts';
import type { AudioChoice } from '../sync/performer-sync.ts';

/** How often the panels catch up with changes made elsewhere (keys, cues, acts, the API). */
const SYNC_MS = 100;

const same = (a: unknown, b: unknown): boolean => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-6 : a === b);

const levaInput = (b: Binding, value: ParamValue) => {
  const base = { value, label: b.label };
  switch (b.spec.kind) {
    case 'number': {
      // Tiles rebuild the mosaic: offer a few counts rather than a slider that rebuilds per pixel.
      if (b.path === 'mosaic.tiles') return { ...base, options: [...new Set([256, 1024, 4096, 16_384, 65_536, 262_144, value as number])].sort((x, y) => x - y) };
      const step = b.spec.integer ? 1 : b.spec.max - b.spec.min > 10 ? 1 : 0.01;
      return { ...base, min: b.spec.min, max: b.spec.max, step };
    }
    case 'enum':
      return { ...base, options: [...b.spec.values] };
    default:
      return base;
  }
};

/**
 * A panel change on the bus (source `panel`): a continuous number (a slider being dragged) as a
 * modulation, coalesced per frame; anything else as a `set`. Turning the flash guard off is
 * deliberate: the performer confirms it.
 */
const setFromPanel = (bus: Runtime, path: string, value: ParamValue): boolean => {
  if (path === 'safety.flashGuard' && value === false) {
    const ok = window.confirm('Turn the flash guard off? Fast flashing can trigger seizures in photosensitive viewers. Only do this when no one at risk is watching.');
    if (!ok) return false;
    bus.act({ type: 'set', path, value, confirm: true }, 'panel');
    return true;
  }
  if (typeof value === 'number' && isContinuous(resolvePath(bus.store.getState().base, path))) bus.modulate(path, value, { source: 'panel' });
  else bus.act({ type: 'set', path, value }, 'panel');
  return true;
};

/**
 * One leva folder bound to the store. leva is a view of the store, never the truth: a change in
 * the panel dispatches a `set`; a change from anywhere else is pushed into the panel.
 */
const useBoundFolder = (folder: string, bindings: Binding[], deps: unknown[], extra: Record<string, unknown> = {}) => {
  const { store, bus } = useRuntime();
  // The panel's setter, for putting a refused value back (leva gives it after the schema is built).
  const revert = useRef<(patch: Record<string, unknown>) => void>(() => undefined);
  const [, set] = useControls(
    folder,
    (): Schema => {
      const d = store.getState().dream;
      const schema: Record<string, unknown> = {};
      for (const b of bindings) {
        schema[b.key] = {
          ...levaInput(b, getParam(d, b.path)),
          onChange: (v: ParamValue, _path: string, ctx: { initial: boolean; fromPanel?: boolean }) => {
            // Only the performer's hand: a value pushed in from the store (rounded to 1e-3 below) is not an input.
            if (ctx.initial || ctx.fromPanel === false) return;
            const now = store.getState().dream;
            let current: ParamValue;
            try {
              current = getParam(now, b.path);
            } catch {
              return; // the dreamer went away with a preset switch
            }
            if (same(v, current)) return;
            try {
              if (!setFromPanel(bus, b.path, v)) revert.current({ [b.key]: current });
            } catch (err) {
              showNotice((err as Error).message);
              revert.current({ [b.key]: current });
            }
          },
          transient: true,
        };
      }
      return { ...schema, ...extra } as Schema;
    },
    { collapsed: folder !== 'Dream' && folder !== 'Mosaic' },
    deps,
  ) as unknown as [unknown, (patch: Record<string, unknown>) => void];
  useEffect(() => {
    revert.current = set;
  }, [set]);
  useEffect(() => {
    const shown = new Map<string, ParamValue>();
    const t = setInterval(() => {
      const d = store.getState().dream;
      const patch: Record<string, ParamValue> = {};
      for (const b of bindings) {
        let v: ParamValue;
        try {
          v = getParam(d, b.path);
        } catch {
          continue;
        }
        if (typeof v === 'number') v = Math.round(v * 1000) / 1000;
        if (!same(shown.get(b.key), v)) {
          shown.set(b.key, v);
          patch[b.key] = v;
        }
      }
      if (Object.keys(patch).length) set(patch);
    }, SYNC_MS);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, set, ...deps]);
};

/** The performer's leva panels: Dream, Mosaic, Symphony, Dreamers, Acts, Safety (from the parameter table), Output. */
export const Panels = () => {
  const { sync, bus } = useRuntime();
  // Who the dreamers are (ids and names), as a string so a change of their values does not rebuild the panels.
  const dreamers = useDream((s) => JSON.stringify(s.dream.dreamers.map((d) => ({ id: d.id, name: d.name }))));
  const tiles = useDream((s) => s.dream.mosaic.tiles);
  const layout = useMemo(() => panelLayout(JSON.parse(dreamers) as { id: string; name: string }[]), [dreamers]);

  useBoundFolder('Dream', layout.Dream, []);
  useBoundFolder('Mosaic', layout.Mosaic, [tiles], {
    restabilize: button(() => actOrSay(bus, { type: 'restabilize' }, 'panel')),
  });
  // The world's layers (scene.*): collapsed until opened.
  useBoundFolder('Scene', layout.Scene, []);
  useBoundFolder('Symphony', layout.Symphony, [dreamers], {
    'WAV seconds': { value: 30, min: 1, max: 600, step: 1 },
    'export WAV': button((get) => {
      const exportWav = window.dreamscape.exportWav;
      if (!exportWav) return showNotice('the symphony is still loading');
      const seconds = Number(get('Symphony.WAV seconds')) || 30;
      showNotice(`rendering the next ${seconds} s of the symphony to a WAV file…`);
      exportWav(seconds, { download: true }).catch((err: unknown) => showNotice(`WAV export failed: ${(err as Error).message}`));
    }),
    ...(sync.role === 'performer'
      ? {
          'plays in': {
            value: sync.sync.audioChoice(),
            options: { 'audience when open': 'auto', 'audience window': 'audience', 'this window': 'performer' },
            onChange: (v: AudioChoice) => sync.sync.setAudioChoice(v),
          },
        }
      : {}),
  });
  useBoundFolder('Dreamers', layout.Dreamers, [dreamers]);
  useBoundFolder('Acts', layout.Acts, [], {
    'previous act': button(() => actOrSay(bus, { type: 'act', to: 'prev' }, 'panel')),
    'next act': button(() => actOrSay(bus, { type: 'act', to: 'next' }, 'panel')),
  });
  useBoundFolder('Safety', layout.Safety, []);
  useQualityFolder();
  return <Leva titleBar={{ title: 'dreamscape', filter: false }} theme={{ sizes: { rootWidth: '320px', controlWidth: '150px' } }} />;
};
