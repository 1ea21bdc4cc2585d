import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { DreamProvider } from '../../src/store/react.tsx';
import type { DreamRuntime } from '../../src/store/react.tsx';
import type { SyncHandle, SyncStatus } from '../../src/sync/connect.ts';
import { OtherPerformer } from '../../src/views/OtherPerformer.tsx';
import { observable } from '../../src/sync/protocol.ts';

const link = observable({ carrier: 'broadcast' as const, relay: null, state: 'connected' as const, since: 0, connects: 1, refused: null, error: null });

const render = (view: 'performer' | 'audience', status: Partial<SyncStatus>) => {
  const base: SyncStatus = { role: view, carrier: 'broadcast', relay: null, link: 'connected', linkForMs: 5000, connects: 1, refused: null, error: null, audio: 'audience', devices: 'all' };
  const s = { ...base, ...status };
  const sync = { role: view, link, status: () => s, stop: () => undefined, sync: { takeOver: () => undefined } } as unknown as SyncHandle;
  const runtime = { store: null, clock: null, view, sync } as unknown as DreamRuntime;
  return renderToStaticMarkup(createElement(DreamProvider, { runtime, children: createElement(OtherPerformer) }));
};

describe('the other-performer warning', () => {
  it('shows nothing alone; warns with "take over" when another holds the room; says so when this one holds it; nothing for an audience', () => {
    expect(render('performer', { otherPerformer: null })).toBe('');
    const held = render('performer', { otherPerformer: { id: 'p2', lastHeardMs: 300, holdsRoom: true } });
    expect(held).toContain('data-testid="other-performer"');
    expect(held).toContain('Another performer is live');
    expect(held).toContain('data-testid="take-over"');
    const holding = render('performer', { otherPerformer: { id: 'p2', lastHeardMs: 300, holdsRoom: false } });
    expect(holding).toContain('the audience follows this window');
    expect(holding).not.toContain('take-over');
    expect(render('audience', { otherPerformer: { id: 'p2', lastHeardMs: 300 } })).toBe('');
  });
});
