import { useSyncStatus } from './useSyncStatus.ts';

/**
 * A discreet mark in the audience view's corner while this device is cut off from the performer
 * (the relay is unreachable, or no state for 3 s). The dream keeps running on its last state
 * meanwhile, and the mark goes as soon as a state arrives. Mount it in the audience view.
 */
export const CutOffIndicator = () => {
  const s = useSyncStatus(500);
  if (s.role !== 'audience' || !s.cutOff) return null;
  const why = s.link !== 'connected' ? (s.link === 'connecting' ? 'finding the relay…' : 'reconnecting…') : 'waiting for the performer…';
  return (
    <div
      data-testid="cut-off"
      role="status"
      aria-live="polite"
      style={{
        position: 'absolute',
        right: 12,
        bottom: 12,
        zIndex: 15,
        display: 'flex',
        alignItems: 'center',
        gap: 6,
        padding: '3px 8px',
        borderRadius: 10,
        background: 'rgba(3, 4, 12, 0.45)',
        color: 'rgba(216, 220, 255, 0.6)',
        font: '11px system-ui, sans-serif',
        pointerEvents: 'none',
      }}
    >
      <span aria-hidden style={{ width: 6, height: 6, borderRadius: 3, background: '#ffb86b', opacity: 0.8 }} />
      {why}
    </div>
  );
};
