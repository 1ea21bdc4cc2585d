import type { MappingTarget } from '../model/mapping.ts';
import type { ParamSpec } from '../model/param-table.ts';
import { observable } from '../lib/observable.ts';
import type { LiveAction } from './live-actions.ts';
import type { PanelLayout } from './panel-layout.ts';

/**
 * Learning, as the performer sees it: key L (or a learn button) arms it; while `picking`, a click
 * on a panel control or a live-action button picks the target; then the mapping engine waits for
 * the first control that moves (`listening`). Shared by the key, the click catcher and the panel.
 */
export type LearnState = { phase: 'idle' } | { phase: 'picking' } | { phase: 'listening'; target: MappingTarget; label: string };

export const learnState = observable<LearnState>({ phase: 'idle' });

/** The mapping target a live-action button stands for (null: it cannot be mapped). */
export const liveActionTarget = (id: LiveAction['id']): MappingTarget | null => {
  switch (id) {
    case 'fracture':
    case 'glitch':
    case 'restabilize':
    case 'panic':
      return { action: id };
    case 'next':
    case 'prev':
      return { action: 'act', to: id };
    default:
      return null;
  }
};

/** A target in words ("mood valence", "act next", "morph to dream-hub"). */
export const targetLabel = (t: MappingTarget): string => {
  if (typeof t === 'string') return t;
  switch (t.action) {
    case 'act':
      return `act ${String(t.to)}`;
    case 'morph':
      return `morph to ${t.preset}`;
    default:
      return t.action;
  }
};

export interface PanelBinding {
  path: string;
  spec: ParamSpec;
  label: string;
}

/** leva's id for a control is its path, `Folder.key`: the bound parameter of each. */
export const levaPaths = (layout: PanelLayout): Map<string, PanelBinding> => {
  const out = new Map<string, PanelBinding>();
  for (const [folder, bindings] of Object.entries(layout)) for (const b of bindings) out.set(`${folder}.${b.key}`, { path: b.path, spec: b.spec, label: b.label });
  return out;
};

export type Picked = { target: MappingTarget; label: string } | { refused: string } | null;

/**
 * What a click during picking landed on: a live-action button (`data-testid="live-…"`), or a leva
 * row (the nearest ancestor holding a `label[for]`, whose `for` is the control's path).
 */
export const pickTarget = (el: Element | null, paths: Map<string, PanelBinding>): Picked => {
  const live = el?.closest('[data-testid^="live-"]');
  if (live) {
    const id = live.getAttribute('data-testid')!.slice('live-'.length) as LiveAction['id'];
    const target = liveActionTarget(id);
    return target ? { target, label: targetLabel(target) } : { refused: `${id} cannot be mapped` };
  }
  for (let a: Element | null = el, depth = 0; a && depth < 8; a = a.parentElement, depth++) {
    const label = a.matches('label[for]') ? a : a.querySelector('label[for]');
    if (!label) continue;
    const b = paths.get(label.getAttribute('for') ?? '');
    if (!b) return { refused: `${label.textContent?.trim() || 'that control'} is not a parameter` };
    if (!b.spec.mappable) return { refused: `${b.label} cannot be mapped (only continuous parameters, never safety)` };
    return { target: b.path, label: b.label };
  }
  return null;
};
