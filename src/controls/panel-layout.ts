import { DREAMER_PARAMS, PANEL_FOLDERS, PARAMS } from '../model/param-table.ts';
import type { PanelFolder, ParamSpec, ParamTable } from '../model/param-table.ts';
import type { Dreamer } from '../model/state.ts';

/** One panel control bound to a parameter path. */
export interface Binding {
  /** The control's name in its folder (unique there). */
  key: string;
  path: string;
  spec: ParamSpec;
  label: string;
}

export type PanelLayout = Record<PanelFolder, Binding[]>;

/**
 * The performer's panels, derived from the parameter table: each row with a `panel` goes to its
 * folder in the table's order, global rows first, then each dreamer's rows, dreamer by dreamer
 * (`<id> presence`, labelled with the dreamer's first name).
 */
export const panelLayout = (dreamers: readonly Pick<Dreamer, 'id' | 'name'>[], table: ParamTable = PARAMS, dreamerTable: ParamTable = DREAMER_PARAMS): PanelLayout => {
  const layout = Object.fromEntries(PANEL_FOLDERS.map((f) => [f, [] as Binding[]])) as PanelLayout;
  for (const [path, spec] of Object.entries(table)) {
    if (spec.panel) layout[spec.panel.folder].push({ key: spec.panel.key, path, spec, label: spec.panel.key });
  }
  dreamers.forEach((d, i) => {
    for (const [field, spec] of Object.entries(dreamerTable)) {
      if (spec.panel) layout[spec.panel.folder].push({ key: `${d.id} ${spec.panel.key}`, path: `dreamers.${i}.${field}`, spec, label: `${d.name.split(' ')[0]} ${spec.panel.key}` });
    }
  });
  return layout;
};
