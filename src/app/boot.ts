import { resolvePreset } from '../model/index.ts';
import { createDreamscapeApi, registerApi } from '../api/dreamscape-api.ts';
import type { DreamscapeApi } from '../api/dreamscape-api.ts';
import { bundledPreset, bundledPresetIds, DEFAULT_PRESET } from '../store/bundled-presets.ts';
import { createRuntime } from '../runtime/runtime.ts';
import { createRecorder } from '../log/recorder.ts';
import { showLogModule } from '../log/show-log-module.ts';
import { createDreamStore, replaceDream } from '../store/dream-store.ts';
import { MAX_SOURCE_DT } from '../store/clock.ts';
import type { DreamRuntime } from './runtime-context.tsx';
import { parseUrlOptions } from './url-params.ts';
import { takeCredential } from './credential.ts';
import { windowQuality } from '../scene/quality-setting.ts';
import { countPageError, pageErrors, watchPageErrors } from './page-errors.ts';
import { startFrameLoop, throttledConsole } from './frame-loop.ts';
import { RESUME_LONG_FRAMES_S, takeUpSession } from '../persist/resume.ts';
import { checkDream, dreamToResume } from '../persist/saved-show.ts';
import { connectSync } from '../sync/connect.ts';
import type { SyncHandle, SyncStatus } from '../sync/connect.ts';
import { registerSyncApi } from '../sync/sync-api.ts';
import type { CredentialKind } from './credential.ts';
import type { UrlOptions } from './url-params.ts';
import { videoOutput } from '../outputs/video/index.ts';

declare global {
  interface Window {
    dreamscape: DreamscapeApi;
  }
}

declare module '../api/dreamscape-api.ts' {
  interface DreamscapeModules {
    /** Page errors seen in this window: uncaught errors, failed frames, parts that failed to render. */
    pageErrors(): { count: number; last: string };
    /** The sync's status: role, room, carrier and link, where the symphony plays. */
    sync(): SyncStatus & { role: 'performer' | 'audience'; room: string; audioHere: boolean; credential: CredentialKind | null };
  }
}

export interface Boot {
  runtime: DreamRuntime;
  api: DreamscapeApi;
  options: UrlOptions;
  sync: SyncHandle;
}

/** Build the one store, its clock and the scripting API from the page's URL. */
export const boot = (search: string, hash = ''): Boot => {
  watchPageErrors();
  const options = parseUrlOptions(search, bundledPresetIds(), hash);
  // The performer's secret: out of `options` and the address bar, into this tab's sessionStorage.
  const credential = takeCredential(options);
  // ?quality=full locks the picture's quality in this window (a screen setting, not the dream's).
  if (options.quality) windowQuality.set(options.quality);
  const preset = bundledPreset(options.preset ?? DEFAULT_PRESET) ?? bundledPreset(bundledPresetIds()[0] ?? '');
  if (!preset) throw new Error('no bundled presets: presets/*.json are missing from the build');
  const resolveOptions = { ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.tiles === undefined ? {} : { tiles: options.tiles }) };
  const store = createDreamStore(resolvePreset(preset, resolveOptions));
  if (options.problems.length) {
    store.setState({ problems: { source: 'URL', problems: options.problems.map((m) => ({ path: 'URL', message: m, expected: '', found: '' })) } });
  }
  // A part that throws in a frame or a listener is counted (stats().pageErrors) and named on the
  // console, and the show goes on.
  const report = throttledConsole('dreamscape: a frame failed; the show goes on');
  const reportError = (error: unknown) => {
    countPageError(error instanceof Error ? error.message : String(error));
    report(error);
  };
  // A reloaded performer tab takes its show up before it says anything to its audiences.
  const resume = options.view === 'performer' ? takeUpSession(options.room, checkDream) : undefined;
  // A performer keeps the wall clock's pace through slow frames (its audiences do: see maxFrameSeconds).
  const pace = options.view === 'performer' ? { maxFrameSeconds: MAX_SOURCE_DT } : {};
  const bus = createRuntime(store, { onError: reportError, clock: resume?.show ? { ...pace, longFramesFor: RESUME_LONG_FRAMES_S, since: performance.now() / 1000 } : pace });
  const { clock } = bus;
  if (resume?.show) {
    replaceDream(store, dreamToResume(resume.show, Date.now()), { discrete: false });
    if (resume.show.paused) clock.pause();
  }
  const api = createDreamscapeApi(bus, { onListenerError: reportError });
  registerApi(api, { pageErrors });
  window.dreamscape = api;
  // The performer's show is a log: recorded from the bus, replayable, seekable (src/log). A full
  // log says so where the performer looks (the problems panel) and the show goes on.
  const reportFull = (message: string) => store.setState({ problems: { source: 'show log', problems: [{ path: '$.entries', message, expected: '', found: '' }] } });
  const showLog =
    options.view === 'performer'
      ? showLogModule(api, createRecorder({ preset, seed: store.getState().dream.seed, ...(options.tiles === undefined ? {} : { tiles: options.tiles }) }, { onFull: reportFull }), {
          onProblems: (source, problems) => store.setState({ problems: { source, problems } }),
        })
      : null;
  if (showLog) {
    bus.start(showLog);
    // A resumed show's log is whole: the kept one carries on.
    const kept = resume?.show?.log;
    if (kept) showLog.recorder.reset({ preset: kept.preset, seed: kept.seed, ...(kept.tiles === undefined ? {} : { tiles: kept.tiles }) }, kept.entries);
  }
  const syncOptions = {
    ...(options.relay === undefined ? {} : { relay: options.relay }),
    credential,
    ...(options.device === undefined ? {} : { device: options.device }),
    // An audience applies the performer's states right after its clock's frame advance.
    onFrame: (fn: () => void) => clock.onAdvance(() => fn()),
  };
  // The relay (or this browser's other windows) is an output and an input of the runtime: the
  // runtime owns its stop, which closes the link.
  const sync = connectSync(store, options.view, options.room, syncOptions);
  bus.start({ name: 'sync', start: () => () => sync.stop() });
  registerSyncApi(api, sync); // dreamscape.takeOver(), otherPerformer(): one performer per room
  if (options.view === 'performer') bus.start(videoOutput(api)); // dreamscape.renderVideo: a show to a file (src/outputs/video; the renderer is a chunk of its own)
  if (options.view === 'performer' && options.osc !== undefined) void import('../inputs/osc/index.ts').then((osc) => bus.start(osc.oscInput({ ...options, onProblem: (message) => store.setState({ problems: { source: 'OSC bridge', problems: [{ path: '?osc', message, expected: '', found: '' }] } }) }, api))); // ?osc=: OSC in and out (src/inputs/osc, a chunk of its own)
  if (resume?.show && sync.role === 'performer') {
    sync.sync.setAudioChoice(resume.show.audio.choice);
    sync.sync.setAudioDevices(resume.show.audio.devices);
  }
  registerApi(api, { sync: () => ({
    ...sync.status(),
    role: sync.role,
    room: options.room,
    audioHere: store.getState().audioHere,
    // Which kind of credential this tab holds ('password' | 'nkey' | null), never its value.
    credential: credential.kind(),
  }) });
  // One loop drives the dream: tick the model, then let the renderers draw.
  startFrameLoop({
    frame: (t) => clock.frame(t / 1000),
    request: (fn) => requestAnimationFrame(fn),
    cancel: (h) => cancelAnimationFrame(h),
    report: reportError,
    // A hidden performer tab has no animation frames: a timer keeps its dream (and its audiences') on time.
    ...(options.view === 'performer' ? { fallback: { every: 250, now: () => performance.now(), set: (fn: () => void, ms: number) => setInterval(fn, ms), clear: (h: unknown) => clearInterval(h as number) } } : {}),
  });
  const runtime: DreamRuntime = { store, clock, bus, showLog, view: options.view, room: options.room, sync, checkDream, ...(resume ? { resume } : {}) };
  return { runtime, api, options, sync };
};
