import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeGetClone } from '#shared/clones/use-cases/get-clone';
import { makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone, makeSubmitCloneAs } from '#shared/clones/use-cases/submit-clone';
import { makeSubmitOnce } from '#shared/clones/use-cases/submit-once';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { githubFamily } from '#shared/composition/github-deps';
import { idempotencyFamily } from '#shared/composition/idempotency-deps';
import { poolFamily } from '#shared/composition/pool-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { makeHookRoutes } from '#shared/hooks/api/hook-routes';
import { HooksConfigSchema } from '#shared/hooks/config';
import { dispatchRoute } from '#shared/http/dispatch-route';
import { makeHandleSlackCommand } from '#shared/notifications/use-cases/handle-slack-command';
import { poolEventsVia } from '#shared/pools/adapters/pool-event-publisher';
import { makeClaimSpare } from '#shared/pools/use-cases/claim-from-pool';
import { makeHandleGithubWebhook } from '#shared/runners/use-cases/handle-github-webhook';

export type HooksDeps = Pick<
  ReturnType<typeof buildDeps>,
  | 'jobs'
  | 'queue'
  | 'pools'
  | 'claims'
  | 'optionalEvents'
  | 'githubDeliveries'
  | 'hookSecrets'
  | 'runnerPools'
  | 'submissions'
  | 'clock'
  | 'ids'
  | 'logger'
>;

/** What this function reads from its environment (validated once, at cold start). */
export const configSchema = HooksConfigSchema;

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(
  coreFamily,
  awsFamily,
  poolFamily,
  idempotencyFamily,
  secretFamily,
  githubFamily,
);

/** Warm runners need the bus (`Pool Claimed` makes the scaler replenish); without it every runner is cloned cold. */
const makeWarmClaims = (deps: HooksDeps, submitClone: ReturnType<typeof makeSubmitClone>) => {
  const { optionalEvents, runnerPools, jobs, clock, ids } = deps;
  if (!optionalEvents || !runnerPools.pools.some((p) => p.warmPool)) return undefined;
  const events = poolEventsVia(optionalEvents);
  return makeClaimSpare({ pools: deps.pools, jobs, claims: deps.claims, submitClone, events, clock, ids });
};

/**
 * Webhook and chat entry points (signed routes, no gateway auth). Secrets are read lazily (first request) and
 * cached. Errors become the API's error body.
 */
export const makeHandler = (deps: HooksDeps) => {
  const { jobs, queue, clock, ids } = deps;
  const submitClone = makeSubmitClone({ jobs, queue, clock, ids });
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const claimSpare = makeWarmClaims(deps, submitClone);
  const submitOnce = makeSubmitOnce({ ledger: deps.submissions, jobs, queue, submit: submitClone, clock, ids });
  const routes = makeHookRoutes({
    secrets: deps.hookSecrets,
    submit: submitOnce,
    handleGithub: makeHandleGithubWebhook({
      pools: deps.runnerPools,
      deliveries: deps.githubDeliveries,
      jobs,
      queue,
      clock,
      submitCloneAs: makeSubmitCloneAs({ jobs, queue, clock }),
      requestDestroy,
      ...(claimSpare && { claimSpare }),
    }),
    handleSlack: makeHandleSlackCommand({
      submit: submitOnce,
      getClone: makeGetClone({ jobs }),
      requestDestroy,
    }),
    now: () => clock.now(),
  });
  const logger = deps.logger(serviceNameOf('hooks'));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler((event, context) =>
    dispatchRoute(routes, event, context, logger),
  );
};
