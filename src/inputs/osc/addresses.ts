import { DREAMER_PARAMS, PARAMS } from '../../model/param-table.ts';
import type { ParamSpec, ParamTable } from '../../model/param-table.ts';

/**
 * The OSC addresses of the dream, derived from the parameter table: every row a controller may be
 * mapped onto (`mappable`, never `safety.*`) is `/dreamscape/set/<group>/<field>` (dreamer rows
 * `/dreamscape/set/dreamers/<id or index>/<field>`), and the live actions are
 * `/dreamscape/do/<action>`. Pure: the bridge (scripts/osc.ts) and the page (index.ts) check every
 * message with the same function, and the state goes out at the same addresses.
 */

export const OSC_ROOT = '/dreamscape';
const SET = `${OSC_ROOT}/set/`;
const DO = `${OSC_ROOT}/do/`;

/** Why a message was not applied: counted per reason by the bridge and the page. */
export type DropReason =
  | 'not allowed'
  | 'malformed packet'
  | 'unknown address'
  | 'wrong type'
  | 'not a finite number'
  | 'too fast'
  | 'flood'
  | 'unknown dreamer'
  | 'refused'
  | 'not available'
  | 'no listener';

export type OscAction =
  | { type: 'fracture' | 'glitch'; amount?: number }
  | { type: 'restabilize' }
  | { type: 'act'; to: 'next' | 'prev' | number }
  | { type: 'panic' }
  | { type: 'recover' };

export type OscCommand =
  /** Set a parameter: `path` as the runtime takes it (`mood.valence`, `dreamers.lara.presence`). */
  | { kind: 'set'; path: string; value: number | string | boolean; continuous: boolean }
  /** A live action; `coalesce`: a fader's latest value wins (fracture 0.8), else every press counts. */
  | { kind: 'do'; action: OscAction; coalesce: boolean }
  | { kind: 'tap' }
  /** A button let go (its 0 or false): nothing to do. */
  | { kind: 'release' }
  /** An address outside /dreamscape/: for a mapping (`{kind: 'osc', address}`) to listen to. */
  | { kind: 'foreign' };

export type Checked = { ok: true; command: OscCommand } | { ok: false; reason: DropReason; detail: string };

export interface OscAddress {
  address: string;
  kind: 'set' | 'do';
  /** What it takes, for --list and the README. */
  takes: string;
  doc: string;
  /** The parameter's path (`dreamers.<id>.presence` for dreamer rows); set addresses only. */
  path?: string;
}

export interface Tables {
  params: ParamTable;
  dreamerParams: ParamTable;
}
export const DEFAULT_TABLES: Tables = { params: PARAMS, dreamerParams: DREAMER_PARAMS };

/** May OSC set this row? The table says (`mappable`); the performer's safety settings never. */
export const oscSettable = (path: string, spec: ParamSpec): boolean => spec.mappable && !path.startsWith('safety.');

const takesOf = (spec: ParamSpec): string => {
  switch (spec.kind) {
    case 'number':
      return `${spec.integer ? 'int' : 'float'} ${spec.min}..${spec.max}${spec.unit ? ` ${spec.unit}` : ''}`;
    case 'enum':
      return `string ${spec.values.join('|')}`;
    case 'colour':
      return 'string #rrggbb';
    case 'boolean':
      return 'true|false or 1|0';
  }
};

const BUTTON = 'none, or 1 (a button: its 0 is ignored)';
const ACTIONS: readonly OscAddress[] = [
  { address: `${DO}fracture`, kind: 'do', takes: 'none (a step up), or float 0..1', doc: 'fracture the mosaic' },
  { address: `${DO}glitch`, kind: 'do', takes: 'none (a step up), or float 0..1', doc: 'glitch the mosaic' },
  { address: `${DO}restabilize`, kind: 'do', takes: BUTTON, doc: "restabilize over the preset's restabilize time" },
  { address: `${DO}act`, kind: 'do', takes: 'string next|prev, or int n (from 0)', doc: 'go to the next, previous or n-th act' },
  { address: `${DO}act/next`, kind: 'do', takes: BUTTON, doc: 'next act' },
  { address: `${DO}act/prev`, kind: 'do', takes: BUTTON, doc: 'previous act' },
  { address: `${DO}panic`, kind: 'do', takes: BUTTON, doc: 'fade to black and silence' },
  { address: `${DO}recover`, kind: 'do', takes: BUTTON, doc: 'recover from panic' },
  { address: `${DO}tap`, kind: 'do', takes: BUTTON, doc: 'tap the tempo (where tap tempo is built in)' },
];

/** `mood.valence` → `/dreamscape/set/mood/valence`; `dreamers.lara.presence` → `…/set/dreamers/lara/presence`. */
export const addressOf = (path: string): string => `${SET}${path.split('.').join('/')}`;

/** Every address, from the table: the settable rows (dreamer rows with `<id>`), then the actions. */
export const oscAddresses = (tables: Tables = DEFAULT_TABLES): OscAddress[] => {
  const sets: OscAddress[] = [];
  for (const [path, spec] of Object.entries(tables.params)) {
    if (oscSettable(path, spec)) sets.push({ address: addressOf(path), kind: 'set', takes: takesOf(spec), doc: spec.label, path });
  }
  for (const [field, spec] of Object.entries(tables.dreamerParams)) {
    if (oscSettable(field, spec)) {
      sets.push({ address: `${SET}dreamers/<id>/${field}`, kind: 'set', takes: takesOf(spec), doc: `${spec.label} of a dreamer (its id or index)`, path: `dreamers.<id>.${field}` });
    }
  }
  return [...sets, ...ACTIONS];
};

/** The address list as `npm run osc -- --list` prints it: one aligned line per address. */
export const formatAddressList = (tables: Tables = DEFAULT_TABLES): string => {
  const all = oscAddresses(tables);
  const w1 = Math.max(...all.map((a) => a.address.length));
  const w2 = Math.max(...all.map((a) => a.takes.length));
  return all.map((a) => `${a.address.padEnd(w1)}  ${a.takes.padEnd(w2)}  ${a.doc}`).join('\n');
};

// ---- checking a message --------------------------------------------------------------------------

export const MAX_ADDRESS_LENGTH = 256;
export const MAX_FOREIGN_ARGS = 16;
/** Printable ASCII without space and OSC's pattern characters (patterns are not matched here). */
const isAddress = (a: string) => /^\/[\x21-\x7e]*$/.test(a) && !/[#*,?[\]{}]/.test(a);
const DREAMER_REF = /^[A-Za-z0-9_-]{1,64}$/;

const drop = (reason: DropReason, detail: string): Checked => ({ ok: false, reason, detail });
const ok = (command: OscCommand): Checked => ({ ok: true, command });

const kindOfArg = (v: unknown): string => (v === null ? 'nil' : typeof v === 'object' ? 'a blob' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v);

/** A value for a row, or why not: numbers must be finite, enums among their values... */
const valueFor = (spec: ParamSpec, v: unknown, address: string): { value: number | string | boolean } | Checked => {
  switch (spec.kind) {
    case 'number':
      if (typeof v !== 'number') return drop('wrong type', `${address} takes a number, got ${kindOfArg(v)}`);
      if (!Number.isFinite(v)) return drop('not a finite number', `${address} got ${String(v)}`);
      return { value: v };
    case 'boolean':
      if (typeof v === 'boolean') return { value: v };
      if (v === 0 || v === 1) return { value: v === 1 };
      return drop('wrong type', `${address} takes true|false or 1|0, got ${kindOfArg(v)}`);
    case 'enum':
      if (typeof v === 'string' && spec.values.includes(v)) return { value: v };
      return drop('wrong type', `${address} takes one of ${spec.values.join('|')}`);
    case 'colour':
      if (typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v)) return { value: v };
      return drop('wrong type', `${address} takes a colour #rrggbb`);
  }
};

const checkSet = (address: string, args: readonly unknown[], tables: Tables): Checked => {
  const parts = address.slice(SET.length).split('/');
  let path: string;
  let spec: ParamSpec | undefined;
  if (parts[0] === 'dreamers' && parts.length === 3) {
    const [, ref = '', field = ''] = parts;
    spec = Object.prototype.hasOwnProperty.call(tables.dreamerParams, field) ? tables.dreamerParams[field] : undefined;
    if (!DREAMER_REF.test(ref)) return drop('unknown address', `${address}: a dreamer is its id or index`);
    path = `dreamers.${ref}.${field}`;
    if (spec && !oscSettable(field, spec)) spec = undefined;
  } else {
    path = parts.join('.');
    spec = Object.prototype.hasOwnProperty.call(tables.params, path) ? tables.params[path] : undefined;
    if (spec && !oscSettable(path, spec)) return drop('unknown address', `${address}: not settable by a controller`);
  }
  if (!spec) return drop('unknown address', address);
  if (args.length !== 1) return drop('wrong type', `${address} takes one argument, got ${args.length}`);
  const v = valueFor(spec, args[0], address);
  if ('ok' in v) return v;
  return ok({ kind: 'set', path, value: v.value, continuous: spec.continuous });
};

/** A button: no argument or a press fires; 0 or false is the release. */
const button = (address: string, args: readonly unknown[], command: OscCommand): Checked => {
  if (args.length === 0) return ok(command);
  if (args.length > 1) return drop('wrong type', `${address} takes at most one argument`);
  const v = args[0];
  if (v === 0 || v === false) return ok({ kind: 'release' });
  if (typeof v === 'boolean') return ok(command);
  if (typeof v !== 'number') return drop('wrong type', `${address} takes no argument or a number, got ${kindOfArg(v)}`);
  return Number.isFinite(v) ? ok(command) : drop('not a finite number', `${address} got ${String(v)}`);
};

const checkAmount = (address: string, type: 'fracture' | 'glitch', args: readonly unknown[]): Checked => {
  if (args.length === 0) return ok({ kind: 'do', action: { type }, coalesce: false });
  const v = args[0];
  if (args.length > 1 || typeof v !== 'number') return drop('wrong type', `${address} takes no argument or one number 0..1`);
  if (!Number.isFinite(v)) return drop('not a finite number', `${address} got ${String(v)}`);
  return ok({ kind: 'do', action: { type, amount: Math.min(1, Math.max(0, v)) }, coalesce: true });
};

const checkAct = (address: string, args: readonly unknown[]): Checked => {
  const v = args[0];
  if (args.length !== 1) return drop('wrong type', `${address} takes next, prev or an act index`);
  if (v === 'next' || v === 'prev') return ok({ kind: 'do', action: { type: 'act', to: v }, coalesce: false });
  if (typeof v === 'number' && !Number.isFinite(v)) return drop('not a finite number', `${address} got ${String(v)}`);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000) return ok({ kind: 'do', action: { type: 'act', to: v }, coalesce: false });
  return drop('wrong type', `${address} takes next, prev or an act index from 0`);
};

const checkDo = (address: string, args: readonly unknown[]): Checked => {
  const name = address.slice(DO.length);
  switch (name) {
    case 'fracture':
    case 'glitch':
      return checkAmount(address, name, args);
    case 'act':
      return checkAct(address, args);
    case 'act/next':
    case 'act/prev':
      return button(address, args, { kind: 'do', action: { type: 'act', to: name === 'act/next' ? 'next' : 'prev' }, coalesce: false });
    case 'restabilize':
    case 'panic':
    case 'recover':
      return button(address, args, { kind: 'do', action: { type: name }, coalesce: false });
    case 'tap':
      return button(address, args, { kind: 'tap' });
    default:
      return drop('unknown address', address);
  }
};

/** An address outside /dreamscape/: passed on for mappings, with plain arguments only. */
const checkForeign = (address: string, args: readonly unknown[]): Checked => {
  if (args.length > MAX_FOREIGN_ARGS) return drop('wrong type', `${address}: more than ${MAX_FOREIGN_ARGS} arguments`);
  for (const v of args) {
    if (typeof v === 'number' && !Number.isFinite(v)) return drop('not a finite number', `${address} got ${String(v)}`);
    if (!(typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 256))) return drop('wrong type', `${address}: ${kindOfArg(v)} arguments are not passed on`);
  }
  return ok({ kind: 'foreign' });
};

/**
 * Check one OSC message (its address and its arguments' values, as decoded): what to do, or why
 * it is dropped. Out-of-range numbers are not refused: the runtime clamps them to the row's range.
 */
export const checkOscMessage = (address: unknown, args: unknown, tables: Tables = DEFAULT_TABLES): Checked => {
  if (typeof address !== 'string' || address.length > MAX_ADDRESS_LENGTH || !isAddress(address)) {
    return drop('unknown address', typeof address === 'string' ? `not an address we take: ${JSON.stringify(address.slice(0, 60))}` : 'no address');
  }
  if (!Array.isArray(args)) return drop('wrong type', `${address}: no argument list`);
  if (address.startsWith(SET)) return checkSet(address, args, tables);
  if (address.startsWith(DO)) return checkDo(address, args);
  if (address === OSC_ROOT || address.startsWith(`${OSC_ROOT}/`)) return drop('unknown address', address);
  return checkForeign(address, args);
};
