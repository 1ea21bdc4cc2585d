import { useEffect, useRef, useState } from 'react';
import type { Inputs } from '../inputs/index.ts';
import type { FeatureFrame } from '../inputs/listen/features.ts';
import type { ListenInput } from '../inputs/listen/source.ts';
import type { ListenApi } from '../inputs/listen/listen-module.ts';
import './listen.css';

/**
 * Listening, in the Mappings panel: the source (an input, or the symphony as this window hears
 * it), a channel or pair, the trim, start and stop, and the meters: the level (dBFS, with its
 * peak), the four bands (normalised level; a hit lights the bar), onsets, the centroid, and the
 * beat (tempo, phase, confidence). The meters are a canvas drawn from features() each frame: no
 * React state changes per frame.
 */

const W = 284;
const H = 112;
const BANDS = ['bass', 'lowMid', 'highMid', 'high'] as const;
const dbfs = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);
/** -60..0 dBFS as 0..1 of the meter. */
const meter = (x: number) => Math.max(0, Math.min(1, (dbfs(x) + 60) / 60));

interface Flash {
  hits: number[];
  onsets: number;
  lit: number[];
  onsetLit: number;
  peak: number;
  peakAt: number;
}

const drawLevel = (g: CanvasRenderingContext2D, f: FeatureFrame, flash: Flash, now: number) => {
  if (f.peak >= flash.peak || now - flash.peakAt > 1500) {
    flash.peak = f.peak;
    flash.peakAt = now;
  }
  g.fillStyle = '#9fb0ff';
  g.fillText('level', 6, 14);
  g.fillStyle = 'rgba(255,255,255,0.08)';
  g.fillRect(48, 6, 170, 10);
  g.fillStyle = f.peak > 0.98 ? '#ff6b6b' : '#7ee0a1';
  g.fillRect(48, 6, 170 * meter(f.levelRaw), 10);
  g.fillStyle = '#fff';
  g.fillRect(48 + 170 * meter(flash.peak) - 1, 5, 2, 12);
  g.fillStyle = '#cfd6ff';
  g.fillText(`${Math.max(-99, dbfs(f.levelRaw)).toFixed(0)} dB`, 224, 14);
};

const drawBands = (g: CanvasRenderingContext2D, f: FeatureFrame, flash: Flash, now: number) => {
  BANDS.forEach((name, i) => {
    const b = f.bands[name];
    if (b.hits !== flash.hits[i]) flash.lit[i] = now;
    flash.hits[i] = b.hits;
    const lit = now - (flash.lit[i] ?? -1e9) < 120;
    const x = 10 + i * 52;
    g.fillStyle = 'rgba(255,255,255,0.08)';
    g.fillRect(x, 24, 40, 50);
    g.fillStyle = lit ? '#ffd27a' : '#8fb8ff';
    g.fillRect(x, 74 - 50 * b.level, 40, 50 * b.level);
    g.fillStyle = '#9fb0ff';
    g.fillText(name, x, 86);
  });
  if (f.onsets !== flash.onsets) flash.onsetLit = now;
  flash.onsets = f.onsets;
  g.fillStyle = now - flash.onsetLit < 100 ? '#ff9de2' : 'rgba(255,255,255,0.12)';
  g.beginPath();
  g.arc(230, 34, 7, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#9fb0ff';
  g.fillText('onset', 244, 38);
};

const drawBeat = (g: CanvasRenderingContext2D, f: FeatureFrame) => {
  g.fillStyle = '#9fb0ff';
  g.fillText('centroid', 214, 58);
  g.fillStyle = 'rgba(255,255,255,0.08)';
  g.fillRect(214, 62, 64, 6);
  g.fillStyle = '#c9a7ff';
  g.fillRect(214 + 62 * f.centroid, 60, 3, 10);
  g.fillStyle = '#cfd6ff';
  g.fillText(`${Math.round(f.centroidHz)} Hz`, 214, 82);
  const y = 102;
  g.fillStyle = '#cfd6ff';
  g.fillText(f.tempo === null ? 'beat: listening…' : `${f.tempo.toFixed(1)} BPM`, 6, y);
  g.fillStyle = 'rgba(255,255,255,0.08)';
  g.fillRect(92, y - 8, 100, 8);
  g.fillStyle = f.confidence >= 0.75 ? '#7ee0a1' : '#ffd27a';
  g.fillRect(92, y - 8, 100 * f.confidence, 8);
  const phaseX = 212 + 60 * f.phase;
  g.fillStyle = 'rgba(255,255,255,0.12)';
  g.fillRect(212, y - 5, 62, 2);
  g.fillStyle = f.tempo === null ? '#666' : '#fff';
  g.beginPath();
  g.arc(phaseX, y - 4, 4, 0, Math.PI * 2);
  g.fill();
};

/** The meters: drawn every animation frame while the section is open and listening. */
const Meters = ({ listen }: { listen: ListenApi }) => {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = W * dpr;
    c.height = H * dpr;
    g.scale(dpr, dpr);
    g.font = '11px system-ui, sans-serif';
    const flash: Flash = { hits: [], onsets: 0, lit: [], onsetLit: -1e9, peak: 0, peakAt: 0 };
    let raf = 0;
    const draw = (now: number) => {
      raf = requestAnimationFrame(draw);
      g.clearRect(0, 0, W, H);
      const f = listen.features();
      if (!f) return;
      drawLevel(g, f, flash, now);
      drawBands(g, f, flash, now);
      drawBeat(g, f);
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [listen]);
  return <canvas ref={canvas} className="listen-meters" data-testid="listen-meters" style={{ width: W, height: H }} />;
};

const channelChoices = (n: number): { label: string; value: string }[] => {
  const out = [{ label: 'all channels', value: '' }];
  for (let c = 1; c <= n; c++) out.push({ label: `channel ${c}`, value: String(c) });
  for (let c = 1; c + 1 <= n; c += 2) out.push({ label: `pair ${c}-${c + 1}`, value: `${c},${c + 1}` });
  return out;
};

const parseChannel = (v: string): number | [number, number] | undefined => {
  if (!v) return undefined;
  const [a, b] = v.split(',').map(Number);
  return b === undefined ? a : [a!, b];
};

export const ListenSection = ({ inputs }: { inputs: Inputs | null }) => {
  const listen = inputs?.listen ?? null;
  const [devices, setDevices] = useState<ListenInput[]>([]);
  const [source, setSource] = useState('default');
  const [channel, setChannel] = useState('');
  const [trim, setTrim] = useState(0);
  const [state, setState] = useState(listen?.status() ?? null);
  if (!listen) return null;
  const refresh = () => setState(listen.status());
  const loadDevices = () => {
    listen.inputs().then(setDevices, () => undefined);
  };
  const device = devices.find((d) => d.id === source);
  const start = () => {
    const options = source === 'symphony' ? { source: 'symphony' as const, trimDb: trim } : { source: 'input' as const, trimDb: trim, ...(source === 'default' ? {} : { device: source }), ...(parseChannel(channel) === undefined ? {} : { channel: parseChannel(channel)! }) };
    setState({ ...listen.status(), state: 'starting' });
    // A refusal is said once, by the listen module (its one calm line).
    listen.start(options).then(refresh, refresh);
  };
  const on = state?.state === 'on';
  return (
    <div className="listen" data-testid="listen-section">
      <div className="listen-row">
        <strong>Listen</strong>
        <select aria-label="listen to" value={source} onFocus={loadDevices} onChange={(e) => setSource(e.target.value)} disabled={on}>
          <option value="default">default input</option>
          {devices.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
          <option value="symphony">the symphony (this window)</option>
        </select>
        {device && device.channels > 1 ? (
          <select aria-label="channel" value={channel} onChange={(e) => setChannel(e.target.value)} disabled={on}>
            {channelChoices(device.channels).map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        ) : null}
        <button type="button" data-testid="listen-toggle" className={on ? 'active' : ''} disabled={state?.state === 'starting'} onClick={() => (on ? (listen.stop(), refresh()) : start())}>
          {on ? 'Stop' : state?.state === 'starting' ? '…' : 'Listen'}
        </button>
      </div>
      <label className="listen-trim">
        trim
        <input type="range" min={-24} max={24} step={0.5} value={trim} onChange={(e) => (setTrim(Number(e.target.value)), listen.setTrim(Number(e.target.value)))} />
        {trim > 0 ? '+' : ''}
        {trim} dB
      </label>
      {on ? <Meters listen={listen} /> : null}
      {on ? <span className="listen-hop">hop {state.hop} samples at {state.sampleRate} Hz ({state.hopMs.toFixed(1)} ms)</span> : null}
      {state?.why ? <p className="listen-why">{state.why}</p> : null}
    </div>
  );
};
