import { useEffect, useState } from 'react';
import { showNotice } from './notices.ts';
import { replaceDream } from '../store/dream-store.ts';
import { useRuntime } from '../app/runtime-context.tsx';
import { startKeepingShow } from '../persist/keep-show.ts';
import { decodeSavedShow } from '../persist/saved-show.ts';
import type { SavedShow } from '../persist/saved-show.ts';
import { createShowDb, writeSession } from '../persist/show-storage.ts';
import './keep-show.css';

const clockTime = (ms: number): string => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/**
 * The performer's show kept across reloads (mounted in the performer view only). A reloaded tab
 * has already taken its show up at boot; a new tab of a room with a kept show asks whether to
 * resume it or start fresh, and keeps nothing in the room's copy until answered.
 */
export const KeepShow = () => {
  const runtime = useRuntime();
  const [offer, setOffer] = useState<SavedShow | null>(null);
  const [answer, setAnswer] = useState<((resume: boolean) => void) | null>(null);
  useEffect(() => {
    const { store, clock, sync, resume, room } = runtime;
    if (sync.role !== 'performer') return;
    const performer = sync.sync;
    if (resume?.problem) showNotice(resume.show ? `the show was resumed, but ${resume.problem}` : `the show kept in this tab could not be resumed (${resume.problem}); it starts from its preset`, 8000);
    const db = createShowDb();
    const keeper = startKeepingShow({
      store,
      room,
      paused: clock.paused,
      audio: () => ({ choice: performer.audioChoice(), devices: performer.audioDevices() }),
      log: () => runtime.showLog?.keptLog() ?? null,
      onAudioChange: performer.onChange,
      writeSession,
      db: null,
      notice: (m) => showNotice(m, 8000),
    });
    let cancelled = false;
    if (resume?.show) keeper.useDb(db);
    else {
      void db.get(room).then((r) => {
        if (cancelled) return;
        if (!r.ok) {
          showNotice(`kept shows cannot be read in this browser (${r.error}); the show goes on`, 8000);
          return;
        }
        const kept = r.value === null ? null : decodeSavedShow(r.value, room, runtime.checkDream);
        if (!kept?.ok) {
          keeper.useDb(db);
          return;
        }
        if (kept.warning) showNotice(`a kept show was found, but ${kept.warning}`, 8000);
        setOffer(kept.show);
        setAnswer(() => (yes: boolean) => {
          setOffer(null);
          setAnswer(null);
          if (yes) {
            replaceDream(store, { base: kept.show.dream, ahead: kept.show.ahead });
            const log = kept.show.log;
            if (log) runtime.showLog?.recorder.reset({ preset: log.preset, seed: log.seed, ...(log.tiles === undefined ? {} : { tiles: log.tiles }) }, log.entries);
            performer.setAudioChoice(kept.show.audio.choice);
            performer.setAudioDevices(kept.show.audio.devices);
            if (kept.show.paused) clock.pause();
            keeper.keep();
          }
          keeper.useDb(db);
        });
      });
    }
    return () => {
      cancelled = true;
      keeper.stop();
      db.close();
    };
  }, [runtime]);
  if (!offer || !answer) return null;
  return (
    <div className="resume-offer" role="dialog" aria-label="resume a kept show" data-testid="resume-offer">
      <p>
        A show of room <b>{offer.room}</b> was kept in this browser: <b>{offer.dream.title}</b>, act {offer.dream.show.index + 1} of {offer.dream.acts.length}
        {offer.dream.acts[offer.dream.show.index] ? ` (${offer.dream.acts[offer.dream.show.index]!.name})` : ''}.
      </p>
      <div className="resume-buttons">
        <button type="button" onClick={() => answer(true)} data-testid="resume-kept">
          resume the show saved at {clockTime(offer.savedAt)}
        </button>
        <button type="button" onClick={() => answer(false)} data-testid="start-fresh">
          start fresh
        </button>
      </div>
    </div>
  );
};
