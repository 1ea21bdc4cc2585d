import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { DreamProvider } from '../../src/app/runtime-context.tsx';
import type { DreamRuntime } from '../../src/app/runtime-context.tsx';
import type { SyncHandle, SyncStatus } from '../../src/sync/connect.ts';
import { RelayStatus } from '../../src/views/RelayStatus.tsx';
import { CutOffIndicator } from '../../src/views/CutOffIndicator.tsx';
import { OtherPerformer } from '../../src/views/OtherPerformer.tsx';
import { observable } from '../../src/sync/protocol.ts';

const relayLink = observable({ carrier: 'relay' as const, relay: 'ws://127.0.0.1:8090', state: 'connected' as const, since: 0, connects: 1, refused: null, error: null });

const render = (view: 'performer' | 'audience', status: Partial<SyncStatus>, component: () => unknown) => {
  const base: SyncStatus = { role: view, carrier: 'relay', relay: 'ws://127.0.0.1:8090', link: 'connected', linkForMs: 5000, connects: 1, refused: null, error: null, audio: 'audience', devices: 'all' };
  const s = { ...base, ...status };
  const sync = (
    view === 'performer'
      ? { role: 'performer', link: relayLink, status: () => s, stop: () => undefined, sync: { audioDevices: () => s.devices } }
      : { role: 'audience', link: relayLink, status: () => s, stop: () => undefined, clock: null, sync: {} }
  ) as unknown as SyncHandle;
  const runtime = { store: null, clock: null, view, sync } as unknown as DreamRuntime;
  return renderToStaticMarkup(createElement(DreamProvider, { runtime, children: createElement(component as () => null) }));
};

describe('sync components', () => {
  it('RelayStatus shows the link, the devices, a refusal, and the choice of devices that play', () => {
    const ok = render('performer', { audiences: 37, sent: 120 }, RelayStatus);
    expect(ok).toContain('data-state="connected"');
    expect(ok).toContain('ws://127.0.0.1:8090');
    expect(ok).toContain('37 devices');
    expect(ok).toContain('every device');
    const refused = render('performer', { refused: 'Permissions Violation for Publish to "dreamscape.show.state"', link: 'connected' }, RelayStatus);
    expect(refused).toContain('data-testid="relay-refused"');
    expect(refused).toContain('Permissions Violation');
    const down = render('performer', { link: 'reconnecting', connects: 3 }, RelayStatus);
    expect(down).toContain('reconnecting');
    expect(down).toContain('2 reconnects');
    // nothing in an audience view
    expect(render('audience', {}, RelayStatus)).toBe('');
  });

  it('CutOffIndicator shows only while the audience is cut off', () => {
    expect(render('audience', { cutOff: false }, CutOffIndicator)).toBe('');
    const cut = render('audience', { cutOff: true, link: 'reconnecting' }, CutOffIndicator);
    expect(cut).toContain('data-testid="cut-off"');
    expect(cut).toContain('reconnecting');
    expect(render('audience', { cutOff: true, link: 'connected' }, CutOffIndicator)).toContain('waiting for the performer');
    expect(render('performer', { cutOff: true }, CutOffIndicator)).toBe('');
  });
});

// The other-performer warning, over the broadcast carrier (one browser's windows).
const broadcastLink = observable({ carrier: 'broadcast' as const, relay: null, state: 'connected' as const, since: 0, connects: 1, refused: null, error: null });

const renderOther = (view: 'performer' | 'audience', status: Partial<SyncStatus>) => {
  const base: SyncStatus = { role: view, carrier: 'broadcast', relay: null, link: 'connected', linkForMs: 5000, connects: 1, refused: null, error: null, audio: 'audience', devices: 'all' };
  const s = { ...base, ...status };
  const sync = { role: view, link: broadcastLink, status: () => s, stop: () => undefined, sync: { takeOver: () => undefined } } as unknown as SyncHandle;
  const runtime = { store: null, clock: null, view, sync } as unknown as DreamRuntime;
  return renderToStaticMarkup(createElement(DreamProvider, { runtime, children: createElement(OtherPerformer) }));
};

describe('the other-performer warning', () => {
  it('shows nothing alone; warns with "take over" when another holds the room; says so when this one holds it; nothing for an audience', () => {
    expect(renderOther('performer', { otherPerformer: null })).toBe('');
    const held = renderOther('performer', { otherPerformer: { id: 'p2', lastHeardMs: 300, holdsRoom: true } });
    expect(held).toContain('data-testid="other-performer"');
    expect(held).toContain('Another performer is live');
    expect(held).toContain('data-testid="take-over"');
    const holding = renderOther('performer', { otherPerformer: { id: 'p2', lastHeardMs: 300, holdsRoom: false } });
    expect(holding).toContain('the audience follows this window');
    expect(holding).not.toContain('take-over');
    expect(renderOther('audience', { otherPerformer: { id: 'p2', lastHeardMs: 300 } })).toBe('');
  });
});
