import { useEffect, useState } from 'preact/hooks';

/** The console's pages, addressed by the URL fragment so every view is a link and the server serves one page. */
export type Route =
  | { page: 'jobs'; query: URLSearchParams }
  | { page: 'job'; jobId: string }
  | { page: 'pools' }
  | { page: 'queue'; window: StatsWindow }
  | { page: 'new' };

/** The windows the queue page offers (`GET /v1/stats?window=`). */
export const STATS_WINDOWS = ['5m', '15m', '1h', '6h'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

/**
 * Reads `#/jobs?status=QUEUED`, `#/jobs/<id>`, `#/pools`, `#/queue?window=15m`, `#/new`; anything else is the jobs
 * page.
 */
export const parseRoute = (hash: string): Route => {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'jobs' && parts[1]) return { page: 'job', jobId: decodeURIComponent(parts[1]) };
  if (parts[0] === 'pools') return { page: 'pools' };
  if (parts[0] === 'queue') {
    const window = new URLSearchParams(search).get('window');
    return { page: 'queue', window: STATS_WINDOWS.find((w) => w === window) ?? '1h' };
  }
  if (parts[0] === 'new') return { page: 'new' };
  return { page: 'jobs', query: new URLSearchParams(search) };
};

export const jobHref = (jobId: string) => `#/jobs/${encodeURIComponent(jobId)}`;

/** The current route; follows the fragment as it changes. */
export const useRoute = (): Route => {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
};
