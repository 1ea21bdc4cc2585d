import { useDream } from '../app/runtime-context.tsx';
import { LIVE_ACTIONS } from './live-actions.ts';
import { useLiveAction } from './useLiveActions.ts';

/** The big, obvious live buttons, each with its key beside it. */
export const LiveBar = () => {
  const run = useLiveAction();
  const panic = useDream((s) => s.dream.output.panic);
  return (
    <nav className="live-bar" aria-label="live actions">
      {LIVE_ACTIONS.map((a) => (
        <button key={a.id} type="button" className={`live live-${a.id}${a.id === 'panic' && panic ? ' active' : ''}`} data-testid={`live-${a.id}`} onClick={() => run(a.id)}>
          <span className="live-label">{a.id === 'panic' && panic ? 'Recover' : a.label}</span>
          <kbd>{a.keyLabel}</kbd>
        </button>
      ))}
    </nav>
  );
};
