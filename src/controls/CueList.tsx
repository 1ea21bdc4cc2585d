import { useEffect, useState } from 'react';
import { actOrSay } from './notices.ts';
import { useDream, useRuntime } from '../app/runtime-context.tsx';

const mmss = (s: number): string => {
  const t = Math.max(0, Math.ceil(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
};

/** The acts as a cue list: the current act and the time left always visible; click to jump. */
export const CueList = () => {
  const { store, bus } = useRuntime();
  const acts = useDream((s) => s.dream.acts);
  const index = useDream((s) => s.dream.show.index);
  const auto = useDream((s) => s.dream.show.auto);
  const title = useDream((s) => s.dream.title);
  // Time left changes every frame: read it 4 times a second rather than re-render per frame.
  const [left, setLeft] = useState(0);
  useEffect(() => {
    const update = () => {
      const d = store.getState().dream;
      const act = d.acts[d.show.index];
      setLeft(act ? act.duration - d.show.elapsed : 0);
    };
    update();
    const t = setInterval(update, 250);
    return () => clearInterval(t);
  }, [store]);
  return (
    <section className="cue-list" aria-label="acts">
      <header>
        <h2>{title}</h2>
        <label>
          <input type="checkbox" checked={auto} onChange={(e) => actOrSay(bus, { type: 'set', path: 'show.auto', value: e.target.checked }, 'cue')} /> auto-advance
        </label>
      </header>
      <ol>
        {acts.map((a, i) => (
          <li key={i} className={i === index ? 'current' : i < index ? 'done' : ''}>
            <button type="button" onClick={() => actOrSay(bus, { type: 'act', to: i }, 'cue')} data-testid={`cue-${i}`}>
              <span className="cue-name">{a.name}</span>
              <span className="cue-time">{i === index ? `${mmss(left)} left` : mmss(a.duration)}</span>
            </button>
          </li>
        ))}
      </ol>
      <p className="cue-now" data-testid="cue-now">
        Act {index + 1} of {acts.length}: {acts[index]?.name} · {mmss(left)} left{auto ? '' : ' (held)'}
      </p>
    </section>
  );
};
