import { useDream, useRuntime } from '../app/runtime-context.tsx';

/** Shows why a preset or a URL parameter was refused; the dream keeps running behind it. */
export const ProblemsPanel = () => {
  const problems = useDream((s) => s.problems);
  const { store } = useRuntime();
  if (!problems) return null;
  return (
    <div className="problems" role="alert" data-testid="problems">
      <div className="problems-head">
        <strong>{problems.source}</strong>: {problems.problems.length} problem{problems.problems.length === 1 ? '' : 's'}; the dream goes on.
        <button type="button" onClick={() => store.setState({ problems: null })} aria-label="dismiss">
          ×
        </button>
      </div>
      <ul>
        {problems.problems.slice(0, 50).map((p, i) => (
          <li key={i}>
            <code>{p.path}</code> {p.message}
            {p.expected ? (
              <span className="problem-detail">
                {' '}
                (expected {p.expected}, found {p.found})
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
};
