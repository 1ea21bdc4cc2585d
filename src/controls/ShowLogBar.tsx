import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useRuntime } from '../app/runtime-context.tsx';
import { showNotice } from './notices.ts';
import { actMarks, openShowText, showFileName } from '../log/show-file.ts';
import type { ActMarks } from '../log/show-file.ts';
import type { ReplayStatus } from '../log/show-log-module.ts';
import './show-log.css';
import { download } from './download.ts';
import { RenderVideoButton } from './RenderVideoDialog.tsx';

/** m:ss.s of dream time. */
const clockText = (t: number): string => {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  return `${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
};

const IDLE: ReplayStatus = { playing: false, duration: 0 };
/** How often the scrub bar follows the dream (a few times a second). */
const FOLLOW_MS = 200;

/**
 * The show log for the performer: Save show (the log as a file), Open show… (a file, checked, then
 * replayed), and while a log plays: play/pause, a scrub bar in dream seconds with the acts marked,
 * and take over (live inputs are off until then). It sits in the side column, clear of the
 * symphony's gate and the notices.
 */
export const ShowLogBar = () => {
  const runtime = useRuntime();
  const { showLog } = runtime;
  const status = useSyncExternalStore(showLog?.status.subscribe ?? (() => () => undefined), showLog?.status.get ?? (() => IDLE));

  const save = useCallback(() => {
    const log = window.dreamscape.log?.();
    if (!log) return showNotice('no show log here');
    const text = `${JSON.stringify(log)}\n`;
    download(showFileName(log.preset.id), text);
    showNotice(`show saved: ${log.entries.length} entries, ${(text.length / 1e6).toFixed(2)} MB`);
  }, []);

  const open = useCallback(
    async (file: File) => {
      openShowText(runtime, file.name, await file.text());
    },
    [runtime],
  );

  if (!showLog) return null;
  return (
    <section className="show-log-bar" aria-label="show log">
      <button type="button" data-testid="show-save" onClick={save} title="download this show's log (every action with its dream time)">
        Save show
      </button>
      <label className="show-open-button" title="replay a saved show (.show.json)">
        Open show…
        <input
          type="file"
          accept=".json,application/json"
          data-testid="show-open"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void open(f);
            e.target.value = '';
          }}
        />
      </label>
      <RenderVideoButton />
      {status.playing ? <span className="show-replaying">replaying</span> : null}
      {status.playing ? <ReplayStrip status={status} /> : null}
    </section>
  );
};

const ReplayStrip = ({ status }: { status: ReplayStatus }) => {
  const { store, clock, showLog } = useRuntime();
  const [now, setNow] = useState(() => store.getState().dream.clock);
  const [paused, setPaused] = useState(() => clock.paused());
  const [marks, setMarks] = useState<ActMarks>({ marks: [], until: 0 });
  const dragging = useRef(false);
  const pendingSeek = useRef<number | null>(null);
  // The log itself, not the API's copy: its act marks are kept by its identity.
  const log = showLog?.playingLog() ?? null;
  const max = Math.max(status.duration, now, 1);

  // Follow the dream a few times a second; find the acts a little at a time meanwhile.
  useEffect(() => {
    const follow = () => {
      if (!dragging.current) setNow(store.getState().dream.clock);
      setPaused(clock.paused());
      if (log) {
        const m = actMarks(log, Math.ceil(Math.max(status.duration, store.getState().dream.clock)));
        setMarks((prev) => (prev.marks === m.marks && prev.until === m.until ? prev : m));
      }
    };
    follow();
    const id = setInterval(follow, FOLLOW_MS);
    return () => clearInterval(id);
  }, [store, clock, log, status.duration]);

  // A drag seeks once a frame at most, to where the thumb is.
  const seek = useCallback(
    (t: number) => {
      setNow(t);
      if (pendingSeek.current === null)
        requestAnimationFrame(() => {
          const target = pendingSeek.current;
          pendingSeek.current = null;
          if (target === null || !showLog) return;
          try {
            showLog.seek(target);
          } catch (err) {
            showNotice(err instanceof Error ? err.message : String(err));
          }
        });
      pendingSeek.current = t;
    },
    [showLog],
  );

  const onDrag = useCallback((down: boolean) => {
    dragging.current = down;
  }, []);
  const actNames = store.getState().dream.acts;
  return (
    <div className="replay-strip" role="group" aria-label="replay">
      <div className="replay-row">
        <button
          type="button"
          className="replay-play"
          data-testid="show-play"
          aria-label={paused ? 'play' : 'pause'}
          onClick={() => {
            if (clock.paused()) clock.resume();
            else clock.pause();
            setPaused(clock.paused());
          }}
        >
          {paused ? '▶' : '❚❚'}
        </button>
        <span className="replay-time" data-testid="show-time">
          {clockText(now)} / {clockText(max)}
        </span>
        <button type="button" className="replay-takeover" data-testid="show-takeover" onClick={() => showLog?.takeOver()}>
          Take over
        </button>
      </div>
      <ReplayTrack now={now} max={max} duration={status.duration} marks={marks} actNames={actNames} onDrag={onDrag} seek={seek} />
      <p className="replay-note">Replaying a show log: live inputs are off until you take over.</p>
    </div>
  );
};

/** The scrub bar with the acts marked on it, and where the log ends. */
const ReplayTrack = ({ now, max, duration, marks, actNames, onDrag, seek }: { now: number; max: number; duration: number; marks: ActMarks; actNames: readonly { name?: string }[]; onDrag: (down: boolean) => void; seek: (t: number) => void }) => (
  <div className="replay-track">
    <input
      type="range"
      min={0}
      max={max}
      step={0.1}
      value={Math.min(now, max)}
      data-testid="show-scrub"
      aria-label="dream time"
      aria-valuetext={`${clockText(now)} of ${clockText(max)}`}
      onPointerDown={() => onDrag(true)}
      onPointerUp={() => onDrag(false)}
      onPointerCancel={() => onDrag(false)}
      onChange={(e) => seek(Number(e.target.value))}
    />
    <div className="replay-marks" aria-hidden="true">
      {marks.marks.map((m) => (
        <span key={`${m.t}-${m.index}`} className="replay-mark" data-testid="show-act-mark" data-t={m.t} style={{ left: `${(m.t / max) * 100}%` }} title={`${clockText(m.t)}: ${actNames[m.index]?.name ?? `act ${m.index + 1}`}`} />
      ))}
      {duration > 0 && duration < max ? <span className="replay-end" style={{ left: `${(duration / max) * 100}%` }} title="the log ends here: the acts play on by themselves" /> : null}
    </div>
  </div>
);
