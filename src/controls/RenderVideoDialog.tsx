import { useCallback, useRef, useState, useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import { useRuntime } from '../app/runtime-context.tsx';
import { showNotice } from './notices.ts';
import { showFileName } from '../log/show-file.ts';
import { bundledPresetIds } from '../store/bundled-presets.ts';
import { cancelRender, renderVideo, rendering } from '../outputs/video/index.ts';
import { clockText, FORMATS, FRAME_RATES, QUALITIES } from '../outputs/video/options.ts';
import type { RenderProgress, RenderQuality, RenderVideoOptions, VideoFormat } from '../outputs/video/options.ts';
import { logDuration } from '../model/index.ts';
import './render-video.css';

const SIZES = ['640x360', '1280x720', '1920x1080', '2560x1440', '3840x2160'] as const;

interface Choice {
  /** 'show': this show's log (or the one replaying); otherwise a bundled preset's id, playing by itself. */
  source: string;
  from: number;
  to: number;
  size: string;
  fps: number;
  format: VideoFormat;
  quality: RenderQuality;
  audio: boolean;
  private: boolean;
}

const showSeconds = (): number => {
  const log = window.dreamscape.log?.();
  const end = log ? logDuration(log) : 0;
  return Math.max(1, Math.ceil(Math.max(end, window.dreamscape.state().clock)));
};

const initialChoice = (): Choice => ({ source: 'show', from: 0, to: Math.min(showSeconds(), 600), size: '1280x720', fps: 30, format: 'mp4', quality: 'medium', audio: true, private: false });

/** The file's name: the show's (or the preset's) and the time, with the format's extension. */
const fileName = (c: Choice): string => {
  const preset = c.source === 'show' ? (window.dreamscape.log?.().preset.id ?? 'show') : c.source;
  return showFileName(preset).replace(/\.show\.json$/, `.${c.format}`);
};

const optionsOf = (c: Choice, onProgress: (p: RenderProgress) => void): RenderVideoOptions => {
  const [width, height] = c.size.split('x').map(Number) as [number, number];
  const source = c.source === 'show' ? { log: window.dreamscape.log?.() } : { preset: c.source };
  return { ...source, from: c.from, to: c.to, width, height, fps: c.fps, format: c.format, quality: c.quality, audio: c.audio, private: c.private, onProgress };
};

const saveBlob = (name: string, blob: Blob): void => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

/** "Render video…": the button in the show log bar and its dialog (options, progress, cancel; the file saved when done). */
export const RenderVideoButton = () => {
  const { showLog } = useRuntime();
  const [open, setOpen] = useState(false);
  const busy = useSyncExternalStore(rendering.subscribe, rendering.get);
  if (!showLog) return null;
  return (
    <>
      <button type="button" data-testid="render-video" onClick={() => setOpen(true)} title="render this show (or a preset) to a video file, frame by frame at full quality, with its music">
        {busy ? 'Rendering…' : 'Render video…'}
      </button>
      {/* On the page's body: the side column's blur would hold a fixed dialog inside its box. */}
      {open ? createPortal(<RenderVideoDialog onClose={() => setOpen(false)} />, document.body) : null}
    </>
  );
};

const RenderVideoDialog = ({ onClose }: { onClose: () => void }) => {
  const [choice, setChoice] = useState<Choice>(initialChoice);
  const [progress, setProgress] = useState<RenderProgress | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const busy = useSyncExternalStore(rendering.subscribe, rendering.get);
  const lastShown = useRef(0);
  const set = <K extends keyof Choice>(k: K, v: Choice[K]) => setChoice((c) => ({ ...c, [k]: v }));

  const start = useCallback(async () => {
    setResult(null);
    const name = fileName(choice);
    const follow = (p: RenderProgress) => {
      // A few times a second is enough for the bar (a render reports every frame).
      if (p.stage === 'video' && p.frames < p.totalFrames && performance.now() - lastShown.current < 250) return;
      lastShown.current = performance.now();
      setProgress(p);
    };
    try {
      const r = await renderVideo(optionsOf(choice, follow));
      if (r.blob) saveBlob(name, r.blob);
      const text = `saved ${name}: ${r.frames ? `${r.frames} frames, ` : ''}${r.seconds.toFixed(1)} s, ${(r.bytes / 1e6).toFixed(1)} MB (${[r.codecs.video, r.codecs.audio].filter(Boolean).join(' + ')}), ${r.framesPerSecond ? `${r.framesPerSecond.toFixed(1)} frames/s` : ''}`;
      setResult(text);
      showNotice(text);
    } catch (e) {
      setResult(e instanceof Error ? e.message : String(e));
    } finally {
      setProgress(null);
    }
  }, [choice]);

  return (
    <div className="render-video-backdrop" role="presentation">
      <section className="render-video-dialog" role="dialog" aria-modal="true" aria-label="Render video" data-testid="render-video-dialog">
        <h2>Render video</h2>
        <RenderOptionsForm choice={choice} set={set} disabled={busy} />
        {progress ? <ProgressView progress={progress} /> : null}
        {result ? (
          <p className="render-video-result" data-testid="render-video-result">
            {result}
          </p>
        ) : null}
        <div className="render-video-actions">
          {busy ? (
            <button type="button" data-testid="render-video-cancel" onClick={() => cancelRender()}>
              Cancel
            </button>
          ) : (
            <button type="button" className="render-video-start" data-testid="render-video-start" onClick={() => void start()}>
              Render
            </button>
          )}
          <button type="button" onClick={onClose} disabled={busy}>
            Close
          </button>
        </div>
      </section>
    </div>
  );
};

const ProgressView = ({ progress: p }: { progress: RenderProgress }) => (
  <div className="render-video-progress" data-testid="render-video-progress">
    <progress max={Math.max(1, p.totalFrames)} value={p.frames} />
    <span>
      {p.stage === 'audio' ? 'rendering the music… ' : p.stage === 'finishing' ? 'finishing the file… ' : ''}
      {p.frames}/{p.totalFrames} frames, {p.fps.toFixed(1)} frames/s, {clockText(p.secondsLeft)} left, {(p.bytes / 1e6).toFixed(1)} MB
    </span>
  </div>
);

const RenderOptionsForm = ({ choice: c, set, disabled }: { choice: Choice; set: <K extends keyof Choice>(k: K, v: Choice[K]) => void; disabled: boolean }) => (
  <fieldset className="render-video-options" disabled={disabled}>
    <label>
      show
      <select value={c.source} onChange={(e) => set('source', e.target.value)}>
        <option value="show">this show's log</option>
        {bundledPresetIds().map((id) => (
          <option key={id} value={id}>
            preset {id} (its own acts)
          </option>
        ))}
      </select>
    </label>
    <label>
      from (s)
      <input type="number" min={0} step={1} value={c.from} onChange={(e) => set('from', Math.max(0, Number(e.target.value)))} />
    </label>
    <label>
      to (s)
      <input type="number" min={1} step={1} value={c.to} onChange={(e) => set('to', Math.max(0, Number(e.target.value)))} />
    </label>
    <label>
      size
      <select value={c.size} onChange={(e) => set('size', e.target.value)}>
        {SIZES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
    </label>
    <label>
      frame rate
      <select value={c.fps} onChange={(e) => set('fps', Number(e.target.value))}>
        {FRAME_RATES.map((f) => (
          <option key={f} value={f}>
            {f} fps
          </option>
        ))}
      </select>
    </label>
    <label>
      format
      <select value={c.format} onChange={(e) => set('format', e.target.value as VideoFormat)}>
        {FORMATS.map((f) => (
          <option key={f} value={f}>
            {f === 'mp4' ? '.mp4 (H.264)' : f === 'webm' ? '.webm (VP9 + Opus)' : '.wav (music only)'}
          </option>
        ))}
      </select>
    </label>
    <label>
      quality
      <select value={c.quality} onChange={(e) => set('quality', e.target.value as RenderQuality)}>
        {QUALITIES.map((q) => (
          <option key={q}>{q}</option>
        ))}
      </select>
    </label>
    <label className="render-video-check">
      <input type="checkbox" checked={c.audio} disabled={c.format === 'wav'} onChange={(e) => set('audio', e.target.checked)} /> with the music
    </label>
    <label className="render-video-check" title="private dreamers seen and heard: a render for yourself, not for an audience">
      <input type="checkbox" checked={c.private} onChange={(e) => set('private', e.target.checked)} /> private render (shows private dreamers)
    </label>
  </fieldset>
);
