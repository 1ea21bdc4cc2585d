import type { CSSProperties } from 'react';
import { useRuntime } from '../app/runtime-context.tsx';
import { useSyncStatus } from './useSyncStatus.ts';

const box: CSSProperties = {
  background: 'rgba(60, 20, 30, 0.85)',
  border: '1px solid rgba(255, 138, 160, 0.5)',
  borderRadius: 10,
  padding: '8px 10px',
  fontSize: 12,
  lineHeight: 1.5,
  color: '#ffd8e0',
};
const button: CSSProperties = { marginTop: 4, background: '#ff5c7a', color: '#1a0610', border: 0, borderRadius: 6, padding: '3px 10px', font: 'inherit', fontWeight: 600, cursor: 'pointer' };

/**
 * The performer panel's warning that another performer is live in the room (another tab, or
 * another device with the secret), with "take over" when the devices follow the other one.
 * One performer per room: see src/sync/performer-sync.ts. Mount it in the performer view.
 */
export const OtherPerformer = () => {
  const { sync } = useRuntime();
  const s = useSyncStatus(500);
  const other = s.otherPerformer;
  if (sync.role !== 'performer' || !other) return null;
  const holds = other.holdsRoom === true;
  return (
    <section role="alert" data-testid="other-performer" data-holds={holds ? 'other' : 'this'} style={box}>
      {holds ? (
        <>
          <strong>Another performer is live in this room</strong> and the audience follows it: this window stands by (its changes are not
          shown).
          <div>
            <button type="button" data-testid="take-over" style={button} onClick={() => sync.sync.takeOver()}>
              take over
            </button>
          </div>
        </>
      ) : (
        <>
          <strong>Another performer is heard in this room</strong> (standing by): the audience follows this window.
        </>
      )}
    </section>
  );
};
