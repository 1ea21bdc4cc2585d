import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Inputs } from '../inputs/index.ts';
import { MappingProblemsError } from '../inputs/mappings/engine.ts';
import type { MappingView } from '../inputs/mappings/engine.ts';
import type { MidiStatus } from '../inputs/midi/midi-module.ts';
import type { MappingTarget } from '../model/mapping.ts';
import { bundledPresetIds } from '../store/bundled-presets.ts';
import { useDream, useRuntime } from '../app/runtime-context.tsx';
import { useInputs } from '../views/useInputs.ts';
import { ListenSection } from './ListenSection.tsx';
import { download } from './download.ts';
import { learnState, targetLabel } from './learn.ts';
import { MappingRow } from './MappingRows.tsx';
import type { Update } from './MappingRows.tsx';
import { showNotice } from './notices.ts';
import { panelLayout } from './panel-layout.ts';
import { startLearning, toggleLearn, useLearnPicking } from './useLearn.ts';
import { usePresetSuggestions } from './PresetSuggestions.tsx';
import './mappings.css';

/** How often the panel reads the mappings' last values and the MIDI status while open. */
const REFRESH_MS = 250;

const useTicking = (on: boolean): number => {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, [on]);
  return tick;
};

const LIVE_TARGETS: MappingTarget[] = [{ action: 'fracture' }, { action: 'glitch' }, { action: 'restabilize' }, { action: 'act', to: 'next' }, { action: 'act', to: 'prev' }, { action: 'panic' }, { action: 'recover' }, { action: 'tap' }];

/** Every target that can be learned: the mappable parameters in the panels' order, the live actions, a morph to each bundled preset. */
const LearnTargets = ({ inputs }: { inputs: Inputs | null }) => {
  const dreamers = useDream((s) => JSON.stringify(s.dream.dreamers.map((d) => ({ id: d.id, name: d.name }))));
  const params = useMemo(
    () =>
      Object.values(panelLayout(JSON.parse(dreamers) as { id: string; name: string }[]))
        .flat()
        .filter((b) => b.spec.mappable)
        .map((b) => ({ target: b.path, label: b.label })),
    [dreamers],
  );
  const actions = [...LIVE_TARGETS, ...bundledPresetIds().map((preset): MappingTarget => ({ action: 'morph', preset, seconds: 8 }))].map((target) => ({ target, label: targetLabel(target) }));
  return (
    <details className="learn-targets">
      <summary>Learn a target</summary>
      <ul>
        {[...params, ...actions].map(({ target, label }) => (
          <li key={JSON.stringify(target)}>
            <span>{label}</span>
            <button type="button" className="learn-button" data-testid={`learn-${typeof target === 'string' ? target : label.replace(/\s+/g, '-')}`} onClick={() => startLearning(inputs, target, label)}>
              learn
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
};

const TempoSection = ({ inputs }: { inputs: Inputs | null }) => {
  const bpm = useDream((s) => Math.round(s.dream.tempo * 10) / 10);
  const held = useDream((s) => s.dream.show.tempoHold);
  const [multiplier, setMultiplier] = useState<0.5 | 1 | 2>(1);
  const choose = (m: 0.5 | 1 | 2) => {
    inputs?.tempo.setMultiplier(m);
    setMultiplier(m);
  };
  return (
    <div className="tempo-row">
      <span className="tempo-bpm" data-testid="tempo-bpm">
        {bpm} BPM{held ? ' (held)' : ''}
      </span>
      <button type="button" data-testid="tap" onClick={() => inputs?.tempo.tap('panel')}>
        Tap <kbd>T</kbd>
      </button>
      {([0.5, 1, 2] as const).map((m) => (
        <button key={m} type="button" className={multiplier === m ? 'active' : ''} data-testid={`tempo-x${m}`} onClick={() => choose(m)}>
          {m === 0.5 ? '½' : `×${m}`}
        </button>
      ))}
      <button type="button" disabled={!held} data-testid="tempo-release" onClick={() => inputs?.tempo.release()}>
        release tempo
      </button>
    </div>
  );
};

const MidiSection = ({ inputs, status }: { inputs: Inputs | null; status: MidiStatus }) => {
  const outputs = status.devices.filter((d) => d.type === 'output');
  const inputsCount = status.devices.filter((d) => d.type === 'input').length;
  const setClock = (id: string) => {
    try {
      inputs?.midi.clockOut(id || null);
    } catch (err) {
      showNotice((err as Error).message);
    }
  };
  return (
    <div className="midi-row" data-testid="midi-status">
      <button type="button" onClick={() => void inputs?.midi.enable()} title="ask for MIDI access again">
        MIDI
      </button>
      <span className="midi-state">{status.state === 'on' ? `${inputsCount} in, ${outputs.length} out${status.clockIn.bpm ? `, clock ${status.clockIn.bpm}` : ''}` : status.state}</span>
      <label className="mapping-field">
        clock out
        <select value={status.clockOut ?? ''} data-testid="clock-out" onChange={(e) => setClock(e.target.value)}>
          <option value="">off</option>
          {outputs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name || o.id}
            </option>
          ))}
        </select>
      </label>
      {status.last ? <span className="midi-last">last: {status.last}</span> : null}
      {status.why ? <p className="midi-why">{status.why}</p> : null}
    </div>
  );
};

export { MappingsPanelView as MappingsPanel };

/**
 * The Mappings panel: MIDI and tempo at the top, learning (key L, then a click; or a learn
 * button per target), every mapping with its last value and its settings, and the profile file.
 */
const MappingsPanelView = () => {
  const inputs = useInputs();
  const [open, setOpen] = useState(false);
  const tick = useTicking(open);
  const learn = useSyncExternalStore(learnState.subscribe, learnState.get);
  const engine = inputs?.mappings() ?? null;
  const [, setVersion] = useState(0);
  useEffect(() => engine?.onChange(() => setVersion((v) => v + 1)), [engine]);
  useLearnPicking(inputs);
  const suggestions = usePresetSuggestions(inputs);
  const list: MappingView[] = engine?.list() ?? [];
  const status = inputs?.midi.status();
  void tick;
  const update: Update = useCallback(
    (id, patch) => {
      try {
        engine?.update(id, patch);
      } catch (err) {
        showNotice(err instanceof MappingProblemsError ? err.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : (err as Error).message);
      }
    },
    [engine],
  );
  return (
    <section className="mappings" aria-label="mappings" data-testid="mappings-panel">
      <header>
        <button type="button" className="mappings-toggle" aria-expanded={open} data-testid="mappings-toggle" onClick={() => setOpen(!open)}>
          Mappings {open ? '▾' : '▸'} <span className="mappings-count">{list.length}</span>
        </button>
        <button type="button" className={`learn-key${learn.phase === 'idle' ? '' : ' active'}`} data-testid="learn-toggle" onClick={() => toggleLearn(inputs)}>
          Learn <kbd>L</kbd>
        </button>
      </header>
      {learn.phase !== 'idle' ? (
        <p className="learn-banner" data-testid="learn-banner" role="status">
          {learn.phase === 'picking' ? 'Learn: click a panel control or a live button (L stops)' : `Learn ${learn.label}: move a control (L stops)`}
        </p>
      ) : null}
      {suggestions}
      {open ? (
        <div className="mappings-body">
          {status ? <MidiSection inputs={inputs} status={status} /> : null}
          <TempoSection inputs={inputs} />
          <ListenSection inputs={inputs} />
          <ul className="mapping-list">
            {list.map((m) => (
              <MappingRow key={m.id} m={m} update={update} remove={(id) => engine?.remove(id)} />
            ))}
          </ul>
          {list.length === 0 ? <p className="mappings-empty">No mappings yet: press L, click a control, move a fader.</p> : null}
          <LearnTargets inputs={inputs} />
          <ProfileButtons inputs={inputs} />
        </div>
      ) : null}
    </section>
  );
};

/** Export the profile as a file; import one (a bad file shows its problems with paths). */
const ProfileButtons = ({ inputs }: { inputs: Inputs | null }) => {
  const { store } = useRuntime();
  const engine = inputs?.mappings() ?? null;
  const importFile = async (file: File) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch (err) {
      store.setState({ problems: { source: file.name, problems: [{ path: '$', message: `not JSON: ${(err as Error).message}`, expected: 'a mappings profile (JSON)', found: 'text' }] } });
      return;
    }
    try {
      const added = engine?.import(raw) ?? [];
      store.setState({ problems: null });
      showNotice(`${file.name}: ${added.length} mapping${added.length === 1 ? '' : 's'}`);
    } catch (err) {
      if (err instanceof MappingProblemsError) store.setState({ problems: { source: file.name, problems: err.problems } });
      else showNotice((err as Error).message);
    }
  };
  const exportProfile = () => {
    if (!engine) return;
    download('dreamscape-mappings.json', `${JSON.stringify(engine.export(), null, 2)}\n`);
  };
  return (
    <div className="profile-row">
      <button type="button" data-testid="mappings-export" onClick={exportProfile}>
        Export profile
      </button>
      <label className="import-button">
        Import profile
        <input type="file" accept=".json,application/json" data-testid="mappings-import" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
      </label>
    </div>
  );
};
