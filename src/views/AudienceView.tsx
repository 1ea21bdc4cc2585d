import { DreamScene } from '../scene/DreamScene.tsx';
import { SymphonyGate } from './SymphonyGate.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { CutOffIndicator } from './CutOffIndicator.tsx';
import { CalmBoundary } from './CalmBoundary.tsx';
import { useAudienceScreen } from './useAudienceScreen.ts';

/** The audience sees only the dream: no panels, no cursor. It follows the performer (src/sync). */
export const AudienceView = () => {
  useAudienceScreen();
  return (
    <main className="audience">
      <div className="stage" data-testid="stage">
        <CalmBoundary part="dreamscape">
          <DreamScene audience />
        </CalmBoundary>
      </div>
      <SymphonyGate />
      <CutOffIndicator />
      <ProblemsPanel />
    </main>
  );
};
