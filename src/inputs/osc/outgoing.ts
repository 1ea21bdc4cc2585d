import type { DreamState } from '../../model/state.ts';
import { readAt } from '../../model/tree.ts';
import { addressOf, DEFAULT_TABLES, OSC_ROOT, oscSettable } from './addresses.ts';
import type { Tables } from './addresses.ts';
import type { OscValue } from './wire.ts';

/**
 * The dream's values at their OSC addresses, for a TouchOSC-style layout to show: every settable
 * row (shared dreamers by id; a private dreamer's not at all) and the act's index at /dreamscape/do/act. Pure.
 */
export const stateValues = (dream: DreamState, tables: Tables = DEFAULT_TABLES): Map<string, OscValue> => {
  const out = new Map<string, OscValue>();
  const record = dream as unknown as Record<string, unknown>;
  for (const [path, spec] of Object.entries(tables.params)) {
    if (!oscSettable(path, spec)) continue;
    const v = readAt(record, path);
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out.set(addressOf(path), v);
  }
  for (const dreamer of dream.dreamers) {
    // A private dreamer's values never leave this machine (the bridge may send to another one).
    if (dreamer.consent === 'private') continue;
    const fields = dreamer as unknown as Record<string, unknown>;
    for (const [field, spec] of Object.entries(tables.dreamerParams)) {
      const v = fields[field];
      if (oscSettable(field, spec) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) out.set(addressOf(`dreamers.${dreamer.id}.${field}`), v);
    }
  }
  out.set(`${OSC_ROOT}/do/act`, dream.show.index);
  return out;
};

/** What changed since the values last sent (numbers: by more than `epsilon`); updates `sent`. */
export const changedValues = (sent: Map<string, OscValue>, now: Map<string, OscValue>, epsilon = 1e-6): [string, OscValue][] => {
  const changed: [string, OscValue][] = [];
  for (const [address, v] of now) {
    const before = sent.get(address);
    const same = typeof v === 'number' && typeof before === 'number' ? Math.abs(v - before) <= epsilon : v === before;
    if (!same) {
      changed.push([address, v]);
      sent.set(address, v);
    }
  }
  return changed;
};
