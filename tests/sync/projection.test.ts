import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { resolvePreset, tick, validatePreset } from '../../src/model/index.ts';
import type { DreamState, Dreamer } from '../../src/model/index.ts';
import { createDreamStore, loadPresetInto } from '../../src/store/dream-store.ts';
import { audienceProjection, privateId } from '../../src/sync/projection.ts';
import { StateEncoder } from '../../src/sync/state-message.ts';
import type { StateHeader } from '../../src/sync/state-message.ts';
import { PROTOCOL } from '../../src/sync/protocol.ts';

const dir = new URL('../../presets/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort();
const raw = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Record<string, unknown>;
const resolve = (r: unknown): DreamState => {
  const v = validatePreset(r);
  if (!v.ok) throw new Error('preset');
  return resolvePreset(v.preset, { tiles: 64 });
};
/** The preset with dreamer `i` made private (-1: as written). */
const withPrivate = (r: Record<string, unknown>, i: number) => ({ ...r, dreamers: (r.dreamers as Record<string, unknown>[]).map((d, j) => (j === i ? { ...d, consent: 'private' } : d)) });

const header: StateHeader = { from: 'perf', seq: 1, clock: 0, sentAt: 0, clockAt: 0, audio: 'audience', devices: 'all' };
/** What crosses for this dream: a full message (the acts) and a lean one, as bytes. */
const wire = (dream: DreamState): string => {
  const enc = new StateEncoder();
  return JSON.stringify(enc.message(header, dream, true)) + JSON.stringify(enc.message({ ...header, seq: 2 }, dream, false));
};

/** What must not be in the bytes: each private dreamer's id, name, role and motif, unless a shared dreamer has it too. */
const secrets = (dreams: DreamState[]): string[] => {
  const all: Dreamer[] = dreams.flatMap((d) => [...d.dreamers, ...(d.morph?.target?.dreamers ?? [])]);
  const tokens = (d: Dreamer) => [`"${d.id}"`, `.${d.id}.`, JSON.stringify(d.name), ...(d.role ? [JSON.stringify(d.role)] : []), JSON.stringify(d.motif)];
  const shared = new Set(all.filter((d) => d.consent === 'shared').flatMap(tokens));
  return [...new Set(all.filter((d) => d.consent === 'private').flatMap(tokens))].filter((t) => !shared.has(t));
};
const notes = (d: DreamState) => [...d.acts, ...(d.morph?.target?.acts ?? [])].map((a) => a.note).filter((n) => n !== '');

const leaks = (dream: DreamState): string[] => {
  const bytes = wire(dream);
  return [...secrets([dream]), ...notes(dream).map((n) => JSON.stringify(n))].filter((t) => bytes.includes(t));
};

describe('what an audience receives: the projection of the dream', () => {
  it('every preset, at rest and with each dreamer private in turn: no private id, name, role or motif, and no act notes, in the bytes', () => {
    let checked = 0;
    let privateSeen = 0;
    for (const f of files) {
      const r = raw(f);
      for (let i = -1; i < (r.dreamers as unknown[]).length; i++) {
        const dream = resolve(withPrivate(r, i));
        privateSeen += secrets([dream]).length;
        expect(leaks(dream), `${f}, dreamer ${i} private`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(files.length + files.reduce((n, f) => n + (raw(f).dreamers as unknown[]).length, 0));
    expect(privateSeen).toBeGreaterThan(50);
  });

  it('mid-morph from every preset to every other (each dreamer of either private in turn): nothing personal of the target either', () => {
    let checked = 0;
    for (const a of files) {
      for (const b of files) {
        if (a === b) continue;
        const ra = raw(a);
        const rb = raw(b);
        const na = (ra.dreamers as unknown[]).length;
        for (let i = -1; i < na; i++) {
          // the target's dreamer i (mod its count) private as well
          const j = i < 0 ? -1 : i % (rb.dreamers as unknown[]).length;
          const store = createDreamStore(resolve(withPrivate(ra, i)));
          loadPresetInto(store, withPrivate(rb, j), 'test', { morphSeconds: 8, tiles: 64 });
          const before = tick(store.getState().dream, 1.5); // before the midpoint: the target travels
          expect(before.morph?.target, `${a} -> ${b}`).toBeTruthy();
          expect(leaks(before), `${a} (dreamer ${i}) -> ${b} (dreamer ${j}), before the midpoint`).toEqual([]);
          const after = tick(before, 3); // past it: the target's dreamers are the dream's
          expect(leaks(after), `${a} -> ${b}, after the midpoint`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBe(files.reduce((n, f) => n + ((raw(f).dreamers as unknown[]).length + 1) * (files.length - 1), 0));
  });

  it('a private dreamer keeps its slot, colour, voice, presence and consent; the rest is gone; shared dreamers are untouched', () => {
    const dream = resolve(raw('dream-hub.json'));
    const k = dream.dreamers.findIndex((d) => d.id === 'kian');
    expect(dream.dreamers[k]!.consent).toBe('private');
    const p = audienceProjection(dream);
    expect(p.dreamers).toHaveLength(dream.dreamers.length);
    expect(p.dreamers[k]).toEqual({ ...dream.dreamers[k], id: privateId(k), name: '', role: '', motif: [], level: 0, consent: 'private' });
    dream.dreamers.forEach((d, i) => i !== k && expect(p.dreamers[i]).toBe(d));
    expect(p.acts.map((a) => a.name)).toEqual(dream.acts.map((a) => a.name));
    expect(dream.dreamers[k]!.name).toBe('Kian Sarai'); // the performer's dream is not changed
  });

  it('devices run the projected show as the performer runs its own: the same presences, values and picture inputs through every act', () => {
    // dream-temple with Kian private: its acts have timed events on dreamers.kian.presence.
    const r = raw('dream-temple.json');
    const k = (r.dreamers as { id: string }[]).findIndex((d) => d.id === 'kian');
    let performer = resolve(withPrivate(r, k));
    expect(JSON.stringify(performer.acts)).toContain('dreamers.kian.presence');
    let audience = audienceProjection(performer);
    // (a private dreamer's level is 0 on the audience, which never plays it: left out of the comparison)
    const audible = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([p]) => p !== `dreamers.${k}.level`));
    const view = (d: DreamState) => ({
      ...d,
      dreamers: d.dreamers.map((x) => [x.presence, x.colour, x.consent, x.voice]),
      acts: d.acts.length,
      morph: d.morph && { ...d.morph, from: audible(d.morph.from), to: audible(d.morph.to), target: null },
      glides: d.glides.filter((g) => g.path !== `dreamers.${k}.level`),
    });
    let fired = 0;
    for (let s = 0; s < 900; s += 0.5) {
      performer = tick(performer, 0.5);
      audience = tick(audience, 0.5);
      fired += performer.show.fired;
      expect(view(audience), `at ${s} s`).toEqual(view(performer));
    }
    expect(performer.show.index).toBeGreaterThan(2);
    expect(fired).toBeGreaterThan(0);
  });

  it('the acts key is that of the projected acts, and it changes when a dreamer turns private', () => {
    const dream = resolve(raw('dream-temple.json'));
    const enc = new StateEncoder();
    const shared = enc.message(header, dream, true);
    const priv = enc.message(header, resolve(withPrivate(raw('dream-temple.json'), 1)), false);
    expect(priv.actsKey).not.toBe(shared.actsKey);
    expect(priv.dream.acts).toBeDefined(); // new acts: carried at once
    expect(shared.kind).toBe('state');
    expect(shared.protocol).toBe(PROTOCOL);
  });
});

describe('a private dreamer\'s voice level never travels', () => {
  it('is 0 in the projection wherever it stands: the dreamer, a glide, a morph, act values and timed events', async () => {
    const { reduce } = await import('../../src/model/index.ts');
    const r = raw('dream-temple.json');
    const k = (r.dreamers as { id: string }[]).findIndex((d) => d.id === 'kian');
    const acts = (r.acts as Record<string, unknown>[]).map((a, i) =>
      i === 0 ? { ...a, values: { ...(a.values as object), dreamers: { kian: { level: 0.6123 } } }, events: [{ at: 1, action: { type: 'set', path: 'dreamers.kian.level', value: 0.6234 } }] } : a,
    );
    let d = resolve({ ...withPrivate(r, k), acts });
    d = reduce(d, { type: 'set', path: 'dreamers.kian.level', value: 0.6345, seconds: 4 });
    d = reduce(d, { type: 'act', to: 0 });
    const p = audienceProjection(d);
    const levels: number[] = [];
    const at = `dreamers.${k}.level`;
    levels.push(p.dreamers[k]!.level);
    for (const g of p.glides) if (g.path === at) levels.push(g.from as number, g.to as number);
    for (const rec of [p.morph?.from ?? {}, p.morph?.to ?? {}, ...p.acts.map((a) => a.values)]) if (at in rec) levels.push(rec[at] as number);
    for (const a of p.acts) for (const e of a.events) if (e.action.type === 'set' && e.action.path === at) levels.push(e.action.value as number);
    // it was there to be found (the glide, the act's value and event, the morph)
    expect(levels.length).toBeGreaterThanOrEqual(5);
    expect(levels.every((v) => v === 0)).toBe(true);
    expect(JSON.stringify(p)).not.toMatch(/0\.6(123|234|345)/);
    // the performer's own dream keeps them
    expect(JSON.stringify(d)).toMatch(/0\.6234/);
  });
});
