import type { Principal } from '../../access/model/principal.js';
import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import { principalOfRequest } from '../../http/principal-of-request.js';
import type { JobStats } from '../model/job-stats.js';
import type { StatsQuery } from '../use-cases/get-stats.js';
import { parseStatsQuery } from './stats-query.js';

export type StatsApiDeps = { getStats: (query: StatsQuery, principal: Principal) => Promise<JobStats> };

/**
 * `GET /v1/stats?window=1h`: the service's recent figures (see makeGetStats) over the jobs the caller may read, for
 * the console and for anyone allowed to list.
 */
export const makeStatsRoutes = ({ getStats }: StatsApiDeps): Record<string, Route> => ({
  'GET /v1/stats': async (event) => {
    const principal = principalOfRequest(event);
    return jsonResponse(200, await getStats(parseStatsQuery(event.queryStringParameters), principal));
  },
});
