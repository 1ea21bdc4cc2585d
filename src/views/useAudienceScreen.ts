import { useEffect } from 'react';

/**
 * The audience screen: click or F for fullscreen, and keep the screen awake while the dream runs
 * (Screen Wake Lock; re-acquired when the page becomes visible again, as browsers release it).
 */
export const useAudienceScreen = () => {
  useEffect(() => {
    const full = () => {
      if (!document.fullscreenElement) void document.documentElement.requestFullscreen?.().catch(() => undefined);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'f' || e.key === 'F') full();
    };
    window.addEventListener('click', full);
    window.addEventListener('keydown', onKey);
    let lock: WakeLockSentinel | null = null;
    const acquire = async () => {
      if (document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
      try {
        lock = await navigator.wakeLock.request('screen');
      } catch {
        /* refused (battery saver, permissions): the dream runs anyway */
      }
    };
    const onVisible = () => void acquire();
    document.addEventListener('visibilitychange', onVisible);
    void acquire();
    return () => {
      window.removeEventListener('click', full);
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('visibilitychange', onVisible);
      void lock?.release().catch(() => undefined);
    };
  }, []);
};
