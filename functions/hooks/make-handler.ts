import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AccessConfigSchema } from '#shared/access/config';
import { internalAccess } from '#shared/access/use-cases/access-guard';
import { makeGetClone } from '#shared/clones/use-cases/get-clone';
import { makeDestroyClone, makeRequestDestroy } from '#shared/clones/use-cases/request-destroy';
import { makeSubmitClone, makeSubmitCloneAs } from '#shared/clones/use-cases/submit-clone';
import { makeSubmitOnce } from '#shared/clones/use-cases/submit-once';
import { makeVerifyCloneVm } from '#shared/clones/use-cases/verify-clone-vm';
import { accessFamily } from '#shared/composition/access-deps';
import { awsFamily } from '#shared/composition/aws-deps';
import { coreFamily } from '#shared/composition/core-deps';
import { composeFamilies } from '#shared/composition/family';
import { githubFamily } from '#shared/composition/github-deps';
import { idempotencyFamily } from '#shared/composition/idempotency-deps';
import { macFamily } from '#shared/composition/mac-deps';
import { poolFamily } from '#shared/composition/pool-deps';
import { secretFamily } from '#shared/composition/secret-deps';
import { serviceNameOf } from '#shared/composition/service-functions';
import { vcenterFamily } from '#shared/composition/vcenter-deps';
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
  | 'macs'
  | 'cloner'
  | 'logger'
  | 'accessFor'
>;

/** What this function reads from its environment (validated once, at cold start), the policy included. */
export const configSchema = HooksConfigSchema.safeExtend(AccessConfigSchema.shape);

/** This function's families of the adapters factory: only their SDKs end up in its bundle. */
export const buildDeps = composeFamilies(
  coreFamily,
  awsFamily,
  macFamily,
  poolFamily,
  idempotencyFamily,
  secretFamily,
  vcenterFamily,
  githubFamily,
  accessFamily,
);

/**
 * Warm runners need the bus (`Pool Claimed` makes the scaler replenish); without it every runner is cloned cold. A
 * warm claim only ever takes a ready spare (it never submits), so it needs no grant of its own. It asks vCenter
 * whether the spare's VM is still its own, so with warm runners the vCenter settings are required (a ConfigError at
 * cold start otherwise).
 */
const makeWarmClaims = (deps: HooksDeps) => {
  const { optionalEvents, runnerPools, jobs, queue, clock, ids, macs } = deps;
  if (!optionalEvents || !runnerPools.pools.some((p) => p.warmPool)) return undefined;
  const events = poolEventsVia(optionalEvents);
  const submitClone = makeSubmitClone({ jobs, queue, clock, ids, access: internalAccess('warm-pool'), macs });
  return makeClaimSpare({
    pools: deps.pools,
    jobs,
    claims: deps.claims,
    submitClone,
    verifyVm: makeVerifyCloneVm({ cloner: deps.cloner }),
    requestDestroy: makeRequestDestroy({ jobs, queue, clock }),
    events,
    clock,
    ids,
  });
};

/**
 * Webhook and chat entry points (signed routes, no gateway auth). Each signed path acts as its own principal
 * (`hook:generic`, `github:<installation>`, `slack:<team>/<user>`) and is checked by the policy like any caller.
 * Secrets are read lazily (first request) and cached. Errors become the API's error body.
 */
export const makeHandler = (deps: HooksDeps) => {
  const { jobs, queue, clock, ids, macs } = deps;
  const serviceName = serviceNameOf('hooks');
  const access = deps.accessFor(serviceName);
  const submitClone = makeSubmitClone({ jobs, queue, clock, ids, access, macs });
  const claimSpare = makeWarmClaims(deps);
  const submitOnce = makeSubmitOnce({ ledger: deps.submissions, jobs, queue, submit: submitClone, clock, ids, access });
  const requestDestroy = makeRequestDestroy({ jobs, queue, clock });
  const routes = makeHookRoutes({
    secrets: deps.hookSecrets,
    submit: submitOnce,
    handleGithub: makeHandleGithubWebhook({
      pools: deps.runnerPools,
      deliveries: deps.githubDeliveries,
      jobs,
      queue,
      clock,
      submitCloneAs: makeSubmitCloneAs({ jobs, queue, clock, access, macs }),
      requestDestroy,
      ...(claimSpare && { claimSpare }),
    }),
    handleSlack: makeHandleSlackCommand({
      submit: submitOnce,
      getClone: makeGetClone({ jobs, access }),
      requestDestroy: makeDestroyClone({ jobs, queue, clock, access }),
    }),
    now: () => clock.now(),
  });
  const logger = deps.logger(serviceName);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().handler((event, context) =>
    dispatchRoute(routes, event, context, logger),
  );
};
