/**
 * The symphony's place in the app: one controller per runtime that starts the live engine on
 * the "enter the dream" gesture, lends it the dream clock while the music plays, brings the
 * sound back after the audio context is suspended or interrupted, and adds the symphony's
 * functions to `window.dreamscape`. Tone is loaded only when it is needed.
 */
import { registerApi } from '../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../api/dreamscape-api.ts';
import type { DreamAction, DreamState } from '../model/index.ts';
import { resolvePreset, validatePreset } from '../model/index.ts';
import { bundledPreset, bundledPresetIds } from '../store/bundled-presets.ts';
import type { DreamRuntime } from '../app/runtime-context.tsx';
import type { LiveSymphony } from './live.ts';
import type { RenderOptions } from './offline.ts';
import { encodeWav } from './wav.ts';

export type SymphonyPhase = 'idle' | 'starting' | 'playing' | 'paused' | 'error';

export interface SymphonyStatus {
  phase: SymphonyPhase;
  /** The audio context's state ('none' before the symphony is loaded). */
  context: 'none' | 'suspended' | 'running' | 'closed' | 'interrupted';
  /** True once the audience has entered the dream (the music should be playing). */
  entered: boolean;
  error: string | null;
}

export interface RenderAudioOptions {
  seconds: number;
  /** A bundled preset id (or a preset object): render it from its start. Default: the live dream from now. */
  preset?: unknown;
  sampleRate?: number;
  seed?: number;
  /** Actions to dispatch during the render, at seconds from its start. */
  actions?: { at: number; action: DreamAction }[];
  /** The audience's mix (private dreamers silent). Default: as this view hears it. */
  audience?: boolean;
}

export interface RenderAudioResult {
  sampleRate: number;
  channels: Float32Array[];
}

export interface SymphonyApi {
  status(): SymphonyStatus;
  /** Enter the dream: start the audio context and the music (call from a user gesture). */
  enter(): Promise<SymphonyStatus>;
  /** Resume after the context was suspended or interrupted. */
  resume(): Promise<SymphonyStatus>;
  /** Fade out and stop the music (until enter() again). */
  leave(): void;
  /** Audio nodes of the symphony: persistent ones and those of sounding notes. */
  nodes(): { persistent: number; notes: number; total: number };
  /** The last notes the live engine scheduled. */
  scheduled(): unknown[];
  /** The live engine's current parameter targets. */
  params(): unknown;
  /** The page's audio context (for diagnostics and tests). */
  rawContext(): BaseAudioContext | null;
  /** The Transport seconds the dream clock last read (the "one clock"); null before the music. */
  clockSource(): number | null;
}

export interface ExportWavOptions {
  download?: boolean | string;
  sampleRate?: number;
  bitDepth?: 16 | 32;
}

declare module '../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Render the music offline (the same score the page plays): channels of samples. */
    renderAudio(options: RenderAudioOptions): Promise<{ sampleRate: number; channels: Float32Array[] }>;
    /** The next `seconds` of the music as a WAV file (and a download, unless told not to). */
    exportWav(seconds: number, options?: ExportWavOptions): Promise<Blob>;
    symphony: SymphonyApi;
  }
}

const RETRY_SECONDS = 2;

export class SymphonyController {
  private live: LiveSymphony | null = null;
  private loading: Promise<typeof import('./live.ts')> | null = null;
  private current: SymphonyStatus = { phase: 'idle', context: 'none', entered: false, error: null };
  private readonly listeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];
  private retry: ReturnType<typeof setInterval> | null = null;
  private renders: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(readonly runtime: DreamRuntime) {
    if (typeof document !== 'undefined') {
      // Any gesture, or the page coming back into view, is a chance to resume.
      const poke = () => this.autoResume();
      for (const type of ['pointerdown', 'keydown', 'touchend'] as const) {
        document.addEventListener(type, poke, { capture: true });
        this.cleanups.push(() => document.removeEventListener(type, poke, { capture: true }));
      }
      document.addEventListener('visibilitychange', poke);
      window.addEventListener('focus', poke);
      this.cleanups.push(() => document.removeEventListener('visibilitychange', poke));
      this.cleanups.push(() => window.removeEventListener('focus', poke));
    }
  }

  get audience(): boolean {
    return this.runtime.view === 'audience';
  }

  status(): SymphonyStatus {
    return this.current;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<SymphonyStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Load Tone and the engine ahead of the gesture, so the click starts the sound at once. */
  preload(): Promise<typeof import('./live.ts')> {
    this.loading ??= import('./live.ts');
    return this.loading;
  }

  async enter(): Promise<SymphonyStatus> {
    if (this.disposed) return this.current;
    this.set({ entered: true, phase: 'starting', error: null });
    try {
      const mod = await this.preload();
      if (!this.live) {
        const live = mod.createLive(this.runtime.store, this.audience);
        this.live = live;
        this.cleanups.push(live.onStateChange(() => this.onContextChange()));
      }
      // Without a gesture a browser may leave resume() pending: start anyway, the notice and the
      // automatic retries take it from there.
      await Promise.race([this.live.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 1500))]);
      this.live.engine.start();
      this.onContextChange();
    } catch (err) {
      this.set({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
    }
    return this.current;
  }

  async resume(): Promise<SymphonyStatus> {
    if (!this.live) return this.enter();
    this.set({ entered: true });
    await Promise.race([this.live.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 1500))]);
    if (!this.live.engine.isPlaying) this.live.engine.start();
    this.onContextChange();
    return this.current;
  }

  leave(): void {
    this.set({ entered: false });
    this.live?.engine.stop();
    this.onContextChange();
  }

  private autoResume(): void {
    if (!this.live || !this.current.entered || this.live.state() === 'running' || this.live.state() === 'closed') return;
    void this.live.resume().catch(() => undefined);
  }

  /** The context changed state: lend or take back the dream clock, show or hide the notice. */
  private onContextChange(): void {
    const live = this.live;
    if (!live) return;
    const state = live.state();
    const running = state === 'running';
    const playing = running && this.current.entered && live.engine.isPlaying;
    // One clock: while the music plays the visuals read their time from the Transport; while the
    // context is suspended the page's clock keeps the dream moving.
    this.runtime.clock.setSource(playing ? () => live.engine.audibleSeconds() : null);
    this.set({ context: state, phase: playing ? 'playing' : this.current.entered ? 'paused' : 'idle' });
    if (this.current.entered && !running && state !== 'closed') {
      this.retry ??= setInterval(() => this.autoResume(), RETRY_SECONDS * 1000);
    } else if (this.retry !== null) {
      clearInterval(this.retry);
      this.retry = null;
    }
  }

  nodes(): { persistent: number; notes: number; total: number } {
    const live = this.live;
    if (!live) return { persistent: 0, notes: 0, total: 0 };
    return live.engine.nodeCount;
  }

  /** The dream a render starts from: a preset from its beginning, or the live dream as it is now. */
  private initialFor(options: RenderAudioOptions): DreamState {
    const live = this.runtime.store.getState().dream;
    if (options.preset === undefined) {
      const now = structuredClone(live);
      return options.seed === undefined ? now : { ...now, seed: options.seed >>> 0 };
    }
    const raw = typeof options.preset === 'string' ? bundledPreset(options.preset) : options.preset;
    if (raw === undefined) throw new Error(`renderAudio: no bundled preset '${typeof options.preset === 'string' ? options.preset : 'object'}'; bundled: ${bundledPresetIds().join(', ')}`);
    const r = validatePreset(raw);
    if (!r.ok) throw new Error(`renderAudio: the preset has ${r.problems.length} problem(s): ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const seed = options.seed ?? (live.preset === r.preset.id ? live.seed : undefined);
    return resolvePreset(r.preset, seed === undefined ? {} : { seed });
  }

  /** Render with an offline context; renders run one after another, the live show untouched. */
  renderAudio(options: RenderAudioOptions): Promise<RenderAudioResult & { renderSeconds: number }> {
    if (typeof options !== 'object' || options === null) return Promise.reject(new TypeError('renderAudio: pass {seconds, preset?, sampleRate?}'));
    const run = async () => {
      const initial = this.initialFor(options);
      const { renderDream } = await import('./offline.ts');
      const opts: RenderOptions = { seconds: options.seconds, audience: options.audience ?? this.audience };
      if (options.sampleRate !== undefined) opts.sampleRate = options.sampleRate;
      if (options.actions !== undefined) opts.actions = options.actions;
      const out = await renderDream(initial, opts);
      return { sampleRate: out.sampleRate, channels: out.channels, renderSeconds: out.renderSeconds };
    };
    const next = this.renders.then(run, run);
    this.renders = next.catch(() => undefined);
    return next;
  }

  /** A WAV of the next `seconds` of the dream; with `download`, the browser saves it too. */
  async exportWav(seconds: number, options: ExportWavOptions = {}): Promise<Blob> {
    const r = await this.renderAudio({ seconds, ...(options.sampleRate === undefined ? {} : { sampleRate: options.sampleRate }) });
    const blob = new Blob([encodeWav(r.channels, r.sampleRate, { bitDepth: options.bitDepth ?? 16 })], { type: 'audio/wav' });
    if (options.download && typeof document !== 'undefined') {
      const dream = this.runtime.store.getState().dream;
      const name = typeof options.download === 'string' ? options.download : `${dream.preset}-${Math.round(dream.clock)}s-${Math.round(seconds)}s.wav`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
    return blob;
  }

  api(): SymphonyApi {
    return {
      status: () => this.status(),
      enter: () => this.enter(),
      resume: () => this.resume(),
      leave: () => this.leave(),
      nodes: () => this.nodes(),
      scheduled: () => [...(this.live?.engine.scheduled() ?? [])],
      params: () => this.live?.engine.params() ?? null,
      rawContext: () => (this.live ? (this.live.context.rawContext) : null),
      clockSource: () => (this.live ? this.live.engine.lastClockRead : null),
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.retry !== null) clearInterval(this.retry);
    this.retry = null;
    for (const c of this.cleanups.splice(0)) c();
    this.runtime.clock.setSource(null);
    this.live?.dispose();
    this.live = null;
    this.listeners.clear();
  }
}

const controllers = new WeakMap<DreamRuntime, { controller: SymphonyController; users: number }>();

/**
 * Install the symphony for a runtime: `dreamscape.renderAudio`, `dreamscape.exportWav` and
 * `dreamscape.symphony`. Idempotent; returns an uninstall that disposes the controller when
 * its last user goes (React's strict mode mounts twice).
 */
export const installSymphony = (runtime: DreamRuntime, api: DreamscapeApi | undefined): { controller: SymphonyController; uninstall: () => void } => {
  let entry = controllers.get(runtime);
  if (!entry) {
    entry = { controller: new SymphonyController(runtime), users: 0 };
    controllers.set(runtime, entry);
  }
  entry.users++;
  const { controller } = entry;
  const unregister = api
    ? registerApi(api, {
        renderAudio: (options: RenderAudioOptions) => controller.renderAudio(options).then(({ sampleRate, channels }) => ({ sampleRate, channels })),
        exportWav: (seconds: number, options?: ExportWavOptions) => controller.exportWav(seconds, options),
        symphony: controller.api(),
      })
    : () => undefined;
  let done = false;
  return {
    controller,
    uninstall: () => {
      if (done) return;
      done = true;
      const e = controllers.get(runtime);
      if (!e) return;
      e.users--;
      // Strict mode unmounts and mounts again at once: let the second mount take it over.
      setTimeout(() => {
        if (e.users > 0) return;
        controllers.delete(runtime);
        e.controller.dispose();
        unregister();
      }, 0);
    },
  };
};
