import { useState } from 'react';
import type { MappingView } from '../inputs/mappings/engine.ts';
import { CURVES, ENCODINGS, TAKEOVERS } from '../model/mapping.ts';
import type { MappingInput } from '../model/mapping.ts';
import { targetLabel } from './learn.ts';
import { showNotice } from './notices.ts';
import { sourceLabel } from './useLearn.ts';

type Patch = Partial<Omit<MappingInput, 'id'>>;
export type Update = (id: string, patch: Patch) => void;

const formatLast = (m: MappingView): string => {
  if (!m.last) return '–';
  return typeof m.last.value === 'number' ? String(Math.round(m.last.value * 1000) / 1000) : m.last.value;
};

/** A number field that commits on Enter or blur (empty: the parameter's own end). */
const RangeField = ({ label, value, onCommit, testid }: { label: string; value: number | undefined; onCommit: (v: number | undefined) => void; testid: string }) => {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value === undefined ? '' : String(value));
  }
  const commit = () => {
    const t = text.trim();
    const v = t === '' ? undefined : Number(t);
    if (v !== undefined && !Number.isFinite(v)) return showNotice(`${label}: "${t}" is not a number`);
    if (v !== value) onCommit(v);
  };
  return (
    <label className="mapping-field">
      {label}
      <input type="text" inputMode="decimal" size={4} value={text} placeholder="–" data-testid={testid} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
    </label>
  );
};

const Choice = <T extends string>({ label, value, options, onChange, testid }: { label: string; value: T; options: readonly T[]; onChange: (v: T) => void; testid: string }) => (
  <label className="mapping-field">
    {label}
    <select value={value} data-testid={testid} onChange={(e) => onChange(e.target.value as T)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  </label>
);

/** One mapping: source → target, its last value; its range, curve, takeover, invert, encoding; remove. */
export const MappingRow = ({ m, update, remove }: { m: MappingView; update: Update; remove: (id: string) => void }) => {
  const param = typeof m.target === 'string';
  const src = m.source;
  const cc = src.kind === 'midi' && src.type === 'cc';
  return (
    <li className="mapping" data-testid={`mapping-${m.id}`}>
      <div className="mapping-head">
        <span className="mapping-target">{targetLabel(m.target)}</span>
        <output className="mapping-last" data-testid={`mapping-last-${m.id}`}>{formatLast(m)}</output>
        <button type="button" className="mapping-remove" aria-label={`remove mapping ${m.id}`} data-testid={`mapping-remove-${m.id}`} onClick={() => remove(m.id)}>
          ×
        </button>
      </div>
      <div className="mapping-source">← {sourceLabel(src)}</div>
      {param ? (
        <div className="mapping-edit">
          <RangeField label="min" value={m.min} testid={`mapping-min-${m.id}`} onCommit={(v) => update(m.id, { min: v })} />
          <RangeField label="max" value={m.max} testid={`mapping-max-${m.id}`} onCommit={(v) => update(m.id, { max: v })} />
          <Choice label="curve" value={m.curve ?? 'linear'} options={CURVES} testid={`mapping-curve-${m.id}`} onChange={(v) => update(m.id, { curve: v })} />
          <Choice label="takeover" value={m.takeover ?? 'none'} options={TAKEOVERS} testid={`mapping-takeover-${m.id}`} onChange={(v) => update(m.id, { takeover: v })} />
          {cc ? <Choice label="encoder" value={src.encoding ?? 'absolute'} options={ENCODINGS} testid={`mapping-encoding-${m.id}`} onChange={(v) => update(m.id, { source: { ...src, encoding: v } })} /> : null}
          <label className="mapping-field">
            <input type="checkbox" checked={m.invert ?? false} data-testid={`mapping-invert-${m.id}`} onChange={(e) => update(m.id, { invert: e.target.checked })} />
            invert
          </label>
        </div>
      ) : null}
    </li>
  );
};
