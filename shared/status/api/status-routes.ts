import type { Route } from '../../http/dispatch-route.js';
import { jsonResponse } from '../../http/error-response.js';
import { principalOfRequest } from '../../http/principal-of-request.js';
import type { ReportStatus } from '../use-cases/report-status.js';

/** How long `GET /v1/status` waits for vCenter before it reports it as not answering. */
export const VCENTER_PROBE_TIMEOUT_MS = 10_000;

/**
 * `GET /v1/status` for the caller's principal: 200 with the StatusReport, whatever vCenter says (its failure is part
 * of the answer). 401 without a caller identity, 403 for a caller the policy does not make an admin.
 */
export const makeStatusRoutes = (reportStatus: ReportStatus): Record<string, Route> => ({
  'GET /v1/status': async (event) =>
    jsonResponse(
      200,
      await reportStatus(principalOfRequest(event), { signal: AbortSignal.timeout(VCENTER_PROBE_TIMEOUT_MS) }),
    ),
});
