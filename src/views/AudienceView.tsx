import { DreamScene } from '../scene/DreamScene.tsx';
import { SymphonyGate } from '../audio/SymphonyGate.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';

/** The audience sees only the dream. */
export const AudienceView = () => (
  <main className="audience">
    <div className="stage" data-testid="stage">
      <DreamScene audience />
    </div>
    <SymphonyGate />
    <ProblemsPanel />
  </main>
);
