import { DreamScene } from '../scene/DreamScene.tsx';
import { SymphonyGate } from '../audio/SymphonyGate.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';

/** The performer's view: a live preview of the dream and the controls. */
const PerformerView = () => (
  <main className="performer">
    <div className="stage" data-testid="stage">
      <DreamScene audience={false} />
    </div>
    <SymphonyGate />
    <ProblemsPanel />
  </main>
);
export default PerformerView;
