/**
 * The view parameters an audience URL may carry, and nothing else: never the performer's
 * credential (pass, nkey, user) nor any parameter added later that is not listed here. A new view
 * parameter that an audience should get (as `quality`, the quality lock) is added to this list.
 */
export const AUDIENCE_PARAMS = ['room', 'relay', 'preset', 'seed', 'tiles', 'device', 'quality'] as const;

/**
 * The audience view of the show this page is in (the "Audience window" button and key O): built
 * from the allow-list above, never by copying the performer's query string. `search` is the
 * performer's query (`location.search`); the result is a path with a query and no fragment.
 */
export const audienceUrl = (pathname: string, search: string): string => {
  const from = new URLSearchParams(search);
  const q = new URLSearchParams({ view: 'audience' });
  for (const key of AUDIENCE_PARAMS) {
    const value = from.get(key);
    if (value !== null) q.set(key, value);
  }
  return `${pathname}?${q.toString()}`;
};
