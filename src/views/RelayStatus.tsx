import { useEffect, useReducer, useRef, useState } from 'react';
import type { CSSProperties, FormEvent } from 'react';
import { credentialFromInput, pageCredential } from '../app/credential.ts';
import type { CredentialHolder } from '../app/credential.ts';
import { useRuntime } from '../app/runtime-context.tsx';
import { useSyncStatus } from './useSyncStatus.ts';
import type { LinkState } from '../sync/protocol.ts';
import type { SyncStatus } from '../sync/connect.ts';
import type { PerformerSync } from '../sync/performer-sync.ts';

const COLOURS: Record<LinkState, string> = { connected: '#7dffb0', connecting: '#ffd36b', reconnecting: '#ffb86b', closed: '#ff5c7a' };
const LABELS: Record<LinkState, string> = { connected: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'closed' };

const box: CSSProperties = {
  background: 'rgba(10, 12, 30, 0.78)',
  border: '1px solid rgba(140, 150, 255, 0.25)',
  borderRadius: 10,
  padding: '8px 10px',
  fontSize: 12,
  lineHeight: 1.5,
  color: '#d8dcff',
};
const field: CSSProperties = { background: '#1a1d3a', color: 'inherit', border: '1px solid #3a3f7a', borderRadius: 6, padding: '2px 6px', font: 'inherit' };

/**
 * The performer's secret, asked for when the relay refuses this tab's (it was rotated, or the page
 * was opened without one): a password or an nkey seed, kept in the tab's sessionStorage, and the
 * relay link reconnects with it. The field is never echoed: an uncontrolled password input that is
 * cleared on submit (a controlled one would write the value into the DOM's value attribute).
 */
const CredentialForm = ({ holder, prompt }: { holder: CredentialHolder; prompt: string }) => {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const el = input.current;
    if (!el) return;
    const c = credentialFromInput(el.value);
    el.value = '';
    if ('problem' in c) {
      setProblem(c.problem);
      return;
    }
    setProblem(null);
    holder.set(c);
  };
  return (
    <form data-testid="credential-form" onSubmit={submit} style={{ marginTop: 4 }} autoComplete="off">
      <div>{prompt}</div>
      <div style={{ display: 'flex', gap: 6, marginTop: 2 }}>
        <input
          ref={input}
          type="password"
          name="performer-secret"
          aria-label="performer secret (password or nkey seed)"
          placeholder="password or nkey seed (SU…)"
          autoComplete="off"
          spellCheck={false}
          style={{ ...field, flex: 1, minWidth: 0 }}
        />
        <button type="submit" style={field}>
          sign in
        </button>
      </div>
      {problem && <div style={{ color: '#ffb86b' }}>{problem}</div>}
    </form>
  );
};

/** The page's credential holder, re-rendering when it changes. */
const usePageCredential = (): CredentialHolder | null => {
  const holder = pageCredential();
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => holder?.subscribe(bump), [holder]);
  return holder;
};

const ago = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min`);

/**
 * The performer's view of the sync: the relay (or this browser's windows), its link, the devices
 * heard from, and which audience devices play the symphony. Mount it in the performer view.
 */
export const RelayStatus = () => {
  const { sync } = useRuntime();
  const s = useSyncStatus();
  const credential = usePageCredential();
  if (sync.role !== 'performer') return null;
  const relay = s.carrier === 'relay';
  const held = credential?.kind() ?? null;
  // The relay turned this tab's credential away (rotated), or there is none: ask for one.
  const signedOut = relay && credential !== null && (held === null || (s.refused !== null && /Authorization Violation|Permissions Violation for Publish/i.test(s.refused)));
  return (
    <section className="relay-status" data-testid="relay-status" data-state={s.link} style={box}>
      <div>
        <span aria-hidden style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, marginRight: 6, background: COLOURS[s.link] }} />
        {relay ? (
          <>
            relay <strong>{LABELS[s.link]}</strong> for {ago(s.linkForMs)}
            {s.connects > 1 ? ` · ${s.connects - 1} reconnect${s.connects > 2 ? 's' : ''}` : ''}
          </>
        ) : (
          <>this browser's windows (no relay)</>
        )}
      </div>
      {relay && <div style={{ opacity: 0.7, wordBreak: 'break-all' }}>{s.relay}</div>}
      <div>
        {s.audiences ?? 0} {relay ? 'device' : 'audience window'}
        {(s.audiences ?? 0) === 1 ? '' : 's'} · {s.sent ?? 0} states sent
      </div>
      {relay && (
        <div data-testid="credential-kind" style={{ opacity: 0.7 }}>
          {held === 'nkey' ? 'signs in with an nkey' : held === 'password' ? 'signs in with a password' : 'no performer secret in this tab'}
          {credential?.storageProblem() ? '' : held ? ' (kept in this tab only)' : ''}
        </div>
      )}
      {credential?.storageProblem() && (
        <div role="status" data-testid="credential-storage" style={{ color: '#ffb86b' }}>
          {credential.storageProblem()}
        </div>
      )}
      {s.refused && (
        <div role="alert" data-testid="relay-refused" style={{ color: '#ff8aa0' }}>
          the relay refused: {s.refused}
        </div>
      )}
      {signedOut && credential && (
        <CredentialForm
          holder={credential}
          prompt={held === null ? 'enter the performer secret npm run relay printed:' : "the relay refused this tab's secret (was it rotated?): enter the new one:"}
        />
      )}
      {s.error && s.link !== 'connected' && <div style={{ color: '#ffb86b' }}>{s.error}</div>}
      {/* Which devices play is a relay matter; where the music plays at all is the Symphony panel's "plays in". */}
      {relay && <AudioDevicesChoice status={s} performer={sync.sync} />}
    </section>
  );
};

/** Which audience devices play the symphony when it plays in the audience: every one, or the named ones. */
const AudioDevicesChoice = ({ status: s, performer }: { status: SyncStatus; performer: PerformerSync }) => {
  const [names, setNames] = useState(() => {
    const d = performer.audioDevices();
    return d === 'all' ? '' : d.join(', ');
  });
  const devices = s.devices;
  const setDevices = (mode: string, text = names) => {
    performer.setAudioDevices(mode === 'all' ? 'all' : text.split(/[\s,]+/).filter(Boolean));
  };
  return (
    <>
      <label style={{ display: 'flex', gap: 6, alignItems: 'center', marginTop: 4 }}>
        symphony on
        <select
          aria-label="audience devices that play"
          data-testid="audio-devices"
          style={field}
          value={devices === 'all' ? 'all' : 'named'}
          onChange={(e) => setDevices(e.target.value)}
          disabled={s.audio !== 'audience'}
          title={s.audio !== 'audience' ? 'the symphony plays in this window' : ''}
        >
          <option value="all">every device</option>
          <option value="named">named devices</option>
        </select>
      </label>
      {devices !== 'all' && s.audio === 'audience' && (
        <input
          aria-label="device names"
          placeholder="?device= names, comma separated"
          style={{ ...field, width: '100%', boxSizing: 'border-box', marginTop: 4 }}
          value={names}
          onChange={(e) => {
            setNames(e.target.value);
            setDevices('named', e.target.value);
          }}
        />
      )}
    </>
  );
};
