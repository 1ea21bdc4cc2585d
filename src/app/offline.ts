/** Register the service worker of a production build so the show keeps running offline. */
export const registerOffline = (): void => {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('./sw.js').catch((err: unknown) => console.warn('[dreamscape] offline cache unavailable:', err));
};
