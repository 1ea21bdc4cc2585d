import { useCallback, useEffect, useState } from 'react';
import { presetFromState, validatePresetText } from '../model/index.ts';
import { bundledPreset, bundledPresetIds } from '../store/bundled-presets.ts';
import { loadPresetInto, PresetProblemsError } from '../store/dream-store.ts';
import { useDream, useRuntime } from '../app/runtime-context.tsx';
import { LIMITS } from '../model/index.ts';
import { showNotice } from './notices.ts';
import { openIfShowLog } from '../log/show-file.ts';
import { download } from './download.ts';

/** Pick a preset and morph to it; export the dream as a preset file; import one by picker or drop. */
export const PresetBar = () => {
  const runtime = useRuntime();
  const { store, bus } = runtime;
  const current = useDream((s) => s.dream.preset);
  const [choice, setChoice] = useState(current);
  const [seconds, setSeconds] = useState(8);
  const morphTo = useCallback(
    (raw: unknown, source: string) => {
      try {
        loadPresetInto(store, raw, source, { morphSeconds: seconds }, (a) => bus.act(a, 'panel'));
      } catch (err) {
        if (!(err instanceof PresetProblemsError)) showNotice((err as Error).message);
      }
    },
    [store, bus, seconds],
  );
  const importFile = useCallback(
    async (file: File) => {
      // A show log (by its content) opens as a show; anything else is a preset.
      if (await openIfShowLog(runtime, file)) return;
      if (file.size > LIMITS.fileBytes) {
        store.setState({ problems: { source: file.name, problems: [{ path: '$', message: `file too large: ${file.size} bytes`, expected: `at most ${LIMITS.fileBytes} bytes`, found: `${file.size} bytes` }] } });
        return;
      }
      const result = validatePresetText(await file.text());
      if (!result.ok) store.setState({ problems: { source: file.name, problems: result.problems } });
      else morphTo(result.preset, file.name);
    },
    [runtime, store, morphTo],
  );
  // Drop a preset anywhere on the performer view.
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const f = e.dataTransfer?.files[0];
      if (f) void importFile(f);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [importFile]);
  return (
    <section className="preset-bar" aria-label="presets">
      <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="preset-select" aria-label="preset">
        {bundledPresetIds().map((id) => (
          <option key={id} value={id}>
            {bundledPreset(id)?.title ?? id}
          </option>
        ))}
      </select>
      <label className="morph-seconds">
        morph
        <input type="number" min={0} max={120} step={1} value={seconds} onChange={(e) => setSeconds(Math.max(0, Math.min(120, Number(e.target.value) || 0)))} aria-label="morph seconds" />s
      </label>
      <button type="button" data-testid="preset-morph" onClick={() => morphTo(bundledPreset(choice), choice)}>
        Morph
      </button>
      <button type="button" data-testid="preset-export" onClick={() => download(`${store.getState().dream.preset}.json`, `${JSON.stringify(presetFromState(store.getState().dream), null, 2)}\n`)}>
        Export
      </button>
      <label className="import-button">
        Import…
        <input
          type="file"
          accept=".json,application/json"
          data-testid="preset-import"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFile(f);
            e.target.value = '';
          }}
        />
      </label>
    </section>
  );
};
