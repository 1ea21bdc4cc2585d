import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { Inputs } from '../inputs/index.ts';
import { MappingProblemsError } from '../inputs/mappings/engine.ts';
import { MAPPINGS_FORMAT, MAPPINGS_VERSION } from '../model/mapping.ts';
import type { MappingInput } from '../model/mapping.ts';
import { bundledPreset } from '../store/bundled-presets.ts';
import { useRuntime } from '../app/runtime-context.tsx';
import { showNotice } from './notices.ts';

interface Suggestion {
  preset: string;
  mappings: MappingInput[];
}

/**
 * A preset may suggest controller mappings: when one loads (or the view opens on one), the
 * performer is offered them, to accept (merged into the profile) or dismiss. A replayed log's
 * presets offer nothing.
 */
export const usePresetSuggestions = (inputs: Inputs | null): ReactNode => {
  const { store, bus } = useRuntime();
  const [offer, setOffer] = useState<Suggestion | null>(() => {
    const id = store.getState().dream.preset;
    const mappings = bundledPreset(id)?.mappings;
    return mappings?.length ? { preset: id, mappings } : null;
  });
  useEffect(
    () =>
      bus.onEntry((e) => {
        if (e.action.type !== 'preset' || e.source === 'replay') return;
        const mappings = e.action.preset.mappings;
        if (!mappings?.length) return setOffer(null);
        setOffer({ preset: e.action.preset.id, mappings });
        showNotice(`preset ${e.action.preset.id} suggests ${mappings.length} controller mapping${mappings.length === 1 ? '' : 's'}: accept them in the Mappings panel`);
      }),
    [bus],
  );
  if (!offer) return null;
  const accept = () => {
    try {
      const added = inputs?.mappings()?.import({ format: MAPPINGS_FORMAT, version: MAPPINGS_VERSION, mappings: offer.mappings }, { merge: true }) ?? [];
      showNotice(`${added.length} mapping${added.length === 1 ? '' : 's'} from ${offer.preset} added`);
      setOffer(null);
    } catch (err) {
      if (err instanceof MappingProblemsError) store.setState({ problems: { source: `${offer.preset}'s mappings`, problems: err.problems } });
      else showNotice((err as Error).message);
    }
  };
  return (
    <div className="mapping-offer" data-testid="mapping-offer">
      <span>
        {offer.preset} suggests {offer.mappings.length} mapping{offer.mappings.length === 1 ? '' : 's'}
      </span>
      <button type="button" data-testid="mapping-offer-accept" onClick={accept}>
        Accept
      </button>
      <button type="button" aria-label="dismiss" onClick={() => setOffer(null)}>
        ×
      </button>
    </div>
  );
};
