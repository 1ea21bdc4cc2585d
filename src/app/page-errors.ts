/** Page errors seen in this window (uncaught errors, rejected promises, parts that failed to render). */
let count = 0;
let last = '';

export const countPageError = (message: string): void => {
  count++;
  last = message;
};

export const pageErrors = (): { count: number; last: string } => ({ count, last });

export const watchPageErrors = (): void => {
  window.addEventListener('error', (e) => countPageError(e.message || String(e.error)));
  window.addEventListener('unhandledrejection', (e) => countPageError(e.reason instanceof Error ? e.reason.message : String(e.reason)));
};
