import { DreamScene } from '../scene/DreamScene.tsx';
import { SymphonyGate } from './SymphonyGate.tsx';
import { CueList } from '../controls/CueList.tsx';
import { LiveBar } from '../controls/LiveBar.tsx';
import { Notices } from '../controls/Notices.tsx';
import { Panels } from '../controls/panels.tsx';
import { PresetBar } from '../controls/PresetBar.tsx';
import { useLiveKeys } from '../controls/useLiveActions.ts';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { RelayStatus } from './RelayStatus.tsx';
import { OtherPerformer } from './OtherPerformer.tsx';
import { CalmBoundary } from './CalmBoundary.tsx';
import { KeepShow } from '../controls/KeepShow.tsx';
import { ShowLogBar } from '../controls/ShowLogBar.tsx';
import { useInputs, useStartInputs } from './useInputs.ts';
import { MappingsPanel } from '../controls/MappingsPanel.tsx';
import { toggleLearn } from '../controls/useLearn.ts';

/**
 * The performer's view (loaded on demand, so the audience bundle carries none of it): a live
 * preview of the dream, leva panels bound to the store, the cue list, presets and live actions.
 */
const PerformerView = () => {
  useStartInputs();
  const inputs = useInputs();
  // T taps the tempo, L arms learning (beside the live keys).
  useLiveKeys({ t: () => void inputs?.tempo.tap('key'), l: () => toggleLearn(inputs) });
  return (
    <main className="performer">
      <div className="stage" data-testid="stage">
        <CalmBoundary part="dreamscape">
          <DreamScene audience={false} />
        </CalmBoundary>
      </div>
      <aside className="side">
        <PresetBar />
        <ShowLogBar />
        <CueList />
        <RelayStatus />
        <OtherPerformer />
      </aside>
      <MappingsPanel />
      <LiveBar />
      <CalmBoundary part="control panel">
        <Panels />
      </CalmBoundary>
      <SymphonyGate />
      <Notices />
      <ProblemsPanel />
      <KeepShow />
    </main>
  );
};
export default PerformerView;
