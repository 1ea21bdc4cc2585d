import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DREAMER_PARAMS, PARAMS } from '../../../src/model/param-table.ts';
import type { ParamSpec } from '../../../src/model/param-table.ts';
import { addressOf, checkOscMessage, DEFAULT_TABLES, formatAddressList, oscAddresses } from '../../../src/inputs/osc/addresses.ts';
import { changedValues, stateValues } from '../../../src/inputs/osc/outgoing.ts';
import { parseToBridge, parseToPage } from '../../../src/inputs/osc/wire.ts';
import { fixtureState } from '../../model/fixture.ts';

const command = (address: string, args: unknown[]) => {
  const c = checkOscMessage(address, args);
  if (!c.ok) throw new Error(`${c.reason}: ${c.detail}`);
  return c.command;
};
const reason = (address: unknown, args: unknown) => {
  const c = checkOscMessage(address, args);
  return c.ok ? 'ok' : c.reason;
};

describe('the OSC address table, derived from the parameter table', () => {
  it('has a set address for every mappable row (dreamer rows with <id>), none for safety.*, and the live actions', () => {
    const all = oscAddresses();
    const sets = all.filter((a) => a.kind === 'set').map((a) => a.address);
    for (const [path, spec] of Object.entries(PARAMS)) {
      const expected = (spec as ParamSpec).mappable && !path.startsWith('safety.');
      expect(sets.includes(addressOf(path)), path).toBe(expected);
    }
    expect(sets).toContain('/dreamscape/set/mood/valence');
    expect(sets).toContain('/dreamscape/set/dreamers/<id>/presence');
    expect(sets.filter((a) => a.startsWith('/dreamscape/set/dreamers/')).length).toBe(Object.values(DREAMER_PARAMS).filter((s) => (s as ParamSpec).mappable).length);
    expect(sets.some((a) => a.includes('safety'))).toBe(false);
    expect(all.filter((a) => a.kind === 'do').map((a) => a.address)).toEqual(
      ['fracture', 'glitch', 'restabilize', 'act', 'act/next', 'act/prev', 'panic', 'recover', 'tap'].map((n) => `/dreamscape/do/${n}`),
    );
    // Every address of the list is one line of --list.
    expect(formatAddressList().split('\n')).toHaveLength(all.length);
  });

  it('a row added to the table (mappable) gets its address; a mappable row named safety.* still gets none', () => {
    const shimmer: ParamSpec = { ...PARAMS['mood.arousal'], label: 'shimmer' };
    const tables = { ...DEFAULT_TABLES, params: { ...PARAMS, 'mood.shimmer': shimmer, 'safety.strobe': shimmer } };
    const sets = oscAddresses(tables).map((a) => a.address);
    expect(sets).toContain('/dreamscape/set/mood/shimmer');
    expect(sets).not.toContain('/dreamscape/set/safety/strobe');
    expect(checkOscMessage('/dreamscape/set/mood/shimmer', [0.4], tables)).toMatchObject({ ok: true, command: { kind: 'set', path: 'mood.shimmer', value: 0.4, continuous: true } });
    expect(checkOscMessage('/dreamscape/set/safety/strobe', [0.4], tables)).toMatchObject({ ok: false, reason: 'unknown address' });
  });
});

describe('checking an OSC message', () => {
  it('sets parameters: continuous rows, dreamer rows by id or index; out-of-range values are left to the runtime to clamp', () => {
    expect(command('/dreamscape/set/mood/valence', [0.3])).toEqual({ kind: 'set', path: 'mood.valence', value: 0.3, continuous: true });
    expect(command('/dreamscape/set/depth', [1])).toEqual({ kind: 'set', path: 'depth', value: 1, continuous: true });
    expect(command('/dreamscape/set/dreamers/lara/presence', [0.9])).toEqual({ kind: 'set', path: 'dreamers.lara.presence', value: 0.9, continuous: true });
    expect(command('/dreamscape/set/dreamers/0/level', [0.1])).toMatchObject({ path: 'dreamers.0.level' });
    expect(command('/dreamscape/set/tempo', [500])).toMatchObject({ value: 500 });
  });

  it('drops unknown addresses, safety settings, non-mappable rows, wrong types, NaN and infinities, with the reason', () => {
    expect(reason('/dreamscape/set/mood/nope', [0.1])).toBe('unknown address');
    expect(reason('/dreamscape/set/safety/masterCap', [-3])).toBe('unknown address');
    expect(reason('/dreamscape/set/safety/flashGuard', [0])).toBe('unknown address');
    expect(reason('/dreamscape/set/mosaic/tiles', [64])).toBe('unknown address');
    expect(reason('/dreamscape/set/key', ['C'])).toBe('unknown address');
    expect(reason('/dreamscape/set/dreamers/ann/colour', ['#ffffff'])).toBe('unknown address');
    expect(reason('/dreamscape/set/dreamers/a b/presence', [1])).toBe('unknown address');
    expect(reason('/dreamscape/do/explode', [])).toBe('unknown address');
    expect(reason('/dreamscape', [])).toBe('unknown address');
    expect(reason('/dreamscape/set/mood/*', [0.1])).toBe('unknown address');
    expect(reason('no slash', [])).toBe('unknown address');
    expect(reason(42, [])).toBe('unknown address');
    expect(reason(`/${'x'.repeat(300)}`, [])).toBe('unknown address');
    expect(reason('/dreamscape/set/mood/valence', ['0.3'])).toBe('wrong type');
    expect(reason('/dreamscape/set/mood/valence', [true])).toBe('wrong type');
    expect(reason('/dreamscape/set/mood/valence', [])).toBe('wrong type');
    expect(reason('/dreamscape/set/mood/valence', [0.1, 0.2])).toBe('wrong type');
    expect(reason('/dreamscape/set/mood/valence', [Buffer.from('x')])).toBe('wrong type');
    expect(reason('/dreamscape/set/mood/valence', 'not a list')).toBe('wrong type');
    expect(reason('/dreamscape/set/mood/valence', [NaN])).toBe('not a finite number');
    expect(reason('/dreamscape/set/mood/valence', [Infinity])).toBe('not a finite number');
    expect(reason('/dreamscape/do/fracture', [NaN])).toBe('not a finite number');
    expect(reason('/dreamscape/do/act', [1.5])).toBe('wrong type');
    expect(reason('/dreamscape/do/act', [-1])).toBe('wrong type');
    expect(reason('/dreamscape/do/act', ['later'])).toBe('wrong type');
    expect(reason('/dreamscape/do/act', [])).toBe('wrong type');
    expect(reason('/dreamscape/do/panic', ['now'])).toBe('wrong type');
  });

  it('runs live actions: an amount for fracture and glitch (a fader: coalesced), presses for the rest, a button\'s 0 is its release', () => {
    expect(command('/dreamscape/do/fracture', [0.8])).toEqual({ kind: 'do', action: { type: 'fracture', amount: 0.8 }, coalesce: true });
    expect(command('/dreamscape/do/fracture', [3])).toEqual({ kind: 'do', action: { type: 'fracture', amount: 1 }, coalesce: true });
    expect(command('/dreamscape/do/glitch', [])).toEqual({ kind: 'do', action: { type: 'glitch' }, coalesce: false });
    expect(command('/dreamscape/do/restabilize', [])).toEqual({ kind: 'do', action: { type: 'restabilize' }, coalesce: false });
    expect(command('/dreamscape/do/act', ['next'])).toMatchObject({ action: { type: 'act', to: 'next' } });
    expect(command('/dreamscape/do/act', ['prev'])).toMatchObject({ action: { type: 'act', to: 'prev' } });
    expect(command('/dreamscape/do/act', [2])).toMatchObject({ action: { type: 'act', to: 2 } });
    expect(command('/dreamscape/do/act/next', [1])).toMatchObject({ action: { type: 'act', to: 'next' } });
    expect(command('/dreamscape/do/panic', [1])).toEqual({ kind: 'do', action: { type: 'panic' }, coalesce: false });
    expect(command('/dreamscape/do/panic', [0])).toEqual({ kind: 'release' });
    expect(command('/dreamscape/do/recover', [true])).toMatchObject({ action: { type: 'recover' } });
    expect(command('/dreamscape/do/recover', [false])).toEqual({ kind: 'release' });
    expect(command('/dreamscape/do/tap', [])).toEqual({ kind: 'tap' });
  });

  it('passes addresses outside /dreamscape/ on for mappings, with plain arguments only', () => {
    expect(command('/1/fader1', [0.5])).toEqual({ kind: 'foreign' });
    expect(command('/pad/3', ['on', true, 1])).toEqual({ kind: 'foreign' });
    expect(reason('/1/fader1', [NaN])).toBe('not a finite number');
    expect(reason('/1/fader1', [Buffer.from('blob')])).toBe('wrong type');
    expect(reason('/1/fader1', new Array(17).fill(1))).toBe('wrong type');
  });

  it('never throws, whatever arrives (generated addresses and arguments)', () => {
    const arg = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.object());
    const address = fc.oneof(fc.string(), fc.constantFrom(...oscAddresses().map((a) => a.address)), fc.string().map((s) => `/dreamscape/set/${s}`), fc.string().map((s) => `/dreamscape/do/${s}`));
    fc.assert(
      fc.property(address, fc.array(arg, { maxLength: 20 }), (a, args) => {
        const c = checkOscMessage(a, args);
        if (c.ok && c.command.kind === 'set') expect(typeof c.command.value === 'number' ? Number.isFinite(c.command.value) : true).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the state going out', () => {
  it('is every settable value at its set address (dreamers by id) and the act index; only changes are sent again', () => {
    const dream = fixtureState();
    const values = stateValues(dream);
    expect(values.get('/dreamscape/set/mood/valence')).toBe(0.2);
    expect(values.get('/dreamscape/set/dreamers/ann/presence')).toBe(0.5);
    expect(values.get('/dreamscape/do/act')).toBe(0);
    expect([...values.keys()].some((a) => a.includes('safety'))).toBe(false);
    // Bo is private in the fixture: nothing of Bo's goes out (a --send target may be another machine).
    expect(dream.dreamers[1]!.consent).toBe('private');
    expect([...values.keys()].filter((a) => a.includes('/dreamers/bo'))).toEqual([]);
    for (const address of values.keys()) expect(checkOscMessage(address, [values.get(address)]).ok, address).toBe(true);
    const sent = new Map();
    expect(changedValues(sent, values)).toHaveLength(values.size);
    expect(changedValues(sent, values)).toEqual([]);
    const next = stateValues({ ...dream, mood: { ...dream.mood, valence: -0.5 } });
    expect(changedValues(sent, next)).toEqual([['/dreamscape/set/mood/valence', -0.5]]);
  });
});

describe('the wire between bridge and page', () => {
  it('takes only well-formed frames', () => {
    expect(parseToPage('{"type":"osc","address":"/a","args":[1,"x",true]}')).toEqual({ type: 'osc', address: '/a', args: [1, 'x', true] });
    expect(parseToPage('{"type":"osc","address":"/a","args":[null]}')).toBeNull();
    expect(parseToPage('{"type":"welcome","lan":true}')).toEqual({ type: 'welcome', lan: true });
    expect(parseToPage('not json')).toBeNull();
    expect(parseToPage(new ArrayBuffer(4))).toBeNull();
    expect(parseToBridge('{"type":"hello","token":"abc"}')).toEqual({ type: 'hello', token: 'abc' });
    expect(parseToBridge('{"type":"state","values":[["/dreamscape/set/depth",0.4]]}')).toEqual({ type: 'state', values: [['/dreamscape/set/depth', 0.4]] });
    expect(parseToBridge('{"type":"state","values":[["/dreamscape/set/depth"]]}')).toBeNull();
    expect(parseToBridge(JSON.stringify({ type: 'state', values: new Array(600).fill(['/a', 1]) }))).toBeNull();
    expect(parseToBridge('x'.repeat(70_000))).toBeNull();
  });
});
