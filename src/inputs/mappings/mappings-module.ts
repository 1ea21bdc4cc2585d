import { registerApi } from '../../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../../api/dreamscape-api.ts';
import type { Mapping, MappingInput, MappingTarget, Profile } from '../../model/mapping.ts';
import type { RuntimeModule } from '../../runtime/runtime.ts';
import { createMappingEngine } from './engine.ts';
import type { MappingDeps, MappingEngine, MappingView } from './engine.ts';

/** `dreamscape.mappings`: the scripting side of the mappings (the Mappings panel is the other). */
export interface MappingsApi {
  list(): MappingView[];
  /** Add a mapping (checked; a bad one throws with its problems); returns it with its id. */
  add(mapping: MappingInput): Mapping;
  /** Change a mapping's range, curve, takeover, invert, source or target. */
  update(id: string, patch: Partial<Omit<MappingInput, 'id'>>): Mapping;
  remove(id: string): boolean;
  /** Resolves with the mapping made from the next control that moves; rejects after 30 s or on cancelLearn(). */
  learn(target: MappingTarget): Promise<Mapping>;
  cancelLearn(): void;
  /** The profile: every mapping, as the file `export` saves. */
  export(): Profile;
  /** Replace the mappings with a profile's (or merge them in); rejects with its problems. */
  import(profile: unknown, options?: { merge?: boolean }): Promise<Mapping[]>;
}

declare module '../../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Controller mappings: MIDI, OSC and sound features onto parameters and live actions. */
    mappings: MappingsApi;
  }
}

/** The mapping engine as a runtime module: it registers `dreamscape.mappings` while it runs. */
export const mappingsModule = (api: DreamscapeApi, deps: MappingDeps): RuntimeModule & { engine(): MappingEngine | null } => {
  let engine: MappingEngine | null = null;
  return {
    name: 'mappings',
    engine: () => engine,
    start: (runtime) => {
      const e = createMappingEngine(runtime, deps);
      engine = e;
      const members: MappingsApi = {
        list: () => e.list(),
        add: (mapping) => e.add(mapping),
        update: (id, patch) => e.update(id, patch),
        remove: (id) => e.remove(id),
        learn: (target) => e.learn(target),
        cancelLearn: () => e.cancelLearn(),
        export: () => e.export(),
        import: (profile, options) => new Promise((resolve) => resolve(e.import(profile, options))),
      };
      const unregister = registerApi(api, { mappings: members });
      return () => {
        e.cancelLearn();
        unregister();
        engine = null;
      };
    },
  };
};
