import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { reduce, resolvePreset, validatePreset } from '../../src/model/index.ts';
import { StateDecoder, StateEncoder, partKey } from '../../src/sync/state-message.ts';
import { checkSyncMessage } from '../../src/sync/validate.ts';

const temple = () => {
  const v = validatePreset(JSON.parse(readFileSync(new URL('../../presets/dream-temple.json', import.meta.url), 'utf8')));
  if (!v.ok) throw new Error('dream-temple');
  return resolvePreset(v.preset, { tiles: 64 });
};
const header = (seq: number) => ({ from: 'p1', seq, clock: 0, sentAt: 1.7e12, clockAt: 1.7e12, audio: 'audience' as const, devices: 'all' as const });

describe('the scene travels like the acts: by key, in full only when it changes', () => {
  it('a state carries the scene on a heartbeat and after a change, and only its key otherwise', () => {
    const enc = new StateEncoder();
    let d = temple();
    const first = enc.message(header(1), d, false);
    expect(first.dream.scene).toEqual(d.scene);
    expect(first.sceneKey).toBe(partKey(d.scene));
    d = reduce(d, { type: 'set', path: 'mood.arousal', value: 0.9 });
    const second = enc.message(header(2), d, false);
    expect(second.dream.scene).toBeUndefined();
    expect(second.dream.acts).toBeUndefined();
    expect(JSON.stringify(second).length).toBeLessThan(JSON.stringify(first).length);
    expect(enc.message(header(3), d, true).dream.scene).toEqual(d.scene);
    d = reduce(d, { type: 'set', path: 'scene.sky.kind', value: 'aurora' });
    const changed = enc.message(header(4), d, false);
    expect(changed.dream.scene?.sky.kind).toBe('aurora');
    expect(changed.sceneKey).not.toBe(first.sceneKey);
    expect(checkSyncMessage(JSON.parse(JSON.stringify(changed)) as unknown)).toMatchObject({ ok: true });
  });

  it('a patch carries the scene when its key changed; a device fills it in from the last one it got', () => {
    const enc = new StateEncoder();
    const dec = new StateDecoder();
    let d = temple();
    expect(dec.dream(enc.message(header(1), d, true))?.scene).toEqual(d.scene);
    d = reduce(d, { type: 'set', path: 'scene.camera.motion', value: 'orbit' });
    const patch = enc.patch({ from: 'p1', seq: 2, sentAt: 1.7e12 }, d, ['scene']);
    expect(dec.patch(patch)?.scene?.camera.motion).toBe('orbit');
    const later = enc.message(header(3), d, false);
    expect(later.dream.scene).toBeUndefined();
    expect(dec.dream(later)?.scene.camera.motion).toBe('orbit');
    // A device that joins late and missed the scene skips messages until a heartbeat brings it.
    const late = new StateDecoder();
    expect(late.dream(later)).toBeNull();
    expect(late.dream(enc.message(header(4), d, true))?.scene.camera.motion).toBe('orbit');
  });
});
