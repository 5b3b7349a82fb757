import * as callbackNotifier from '#functions/callback-notifier/make-handler';
import * as cloneApi from '#functions/clone-api/make-handler';
import * as cloneWorker from '#functions/clone-worker/make-handler';
import * as consoleSite from '#functions/console/make-handler';
import * as hooks from '#functions/hooks/make-handler';
import * as poolApi from '#functions/pool-api/make-handler';
import * as poolScaler from '#functions/pool-scaler/make-handler';
import * as reaper from '#functions/reaper/make-handler';
import * as reconciler from '#functions/reconciler/make-handler';
import * as slackNotifier from '#functions/slack-notifier/make-handler';
import * as statusApi from '#functions/status-api/make-handler';
import type { ServiceConfig } from '#shared/composition/function-config';
import { withMembers } from '#shared/composition/lazily';
import type { ServiceDeps } from '#shared/composition/service-deps';
import type { FunctionName } from '#shared/composition/service-functions';
import { loadConfig } from '#shared/config/load-config';
import type { LocalHandler } from './lambda/async-invoker.js';

/** Every function of the service by its folder under `functions/`: its configuration schema and `makeHandler`. */
export const FUNCTIONS = {
  'clone-api': cloneApi,
  'clone-worker': cloneWorker,
  'status-api': statusApi,
  reconciler,
  reaper,
  hooks,
  'callback-notifier': callbackNotifier,
  'slack-notifier': slackNotifier,
  'pool-api': poolApi,
  'pool-scaler': poolScaler,
  console: consoleSite,
} as const satisfies Record<FunctionName, { configSchema: unknown; makeHandler: unknown }>;

/**
 * Every function's configuration from one set of settings, each parsed by that function's own schema and merged: a
 * local stack runs them all in one process and refuses exactly what a deployed function would. Throws ConfigError
 * naming each missing or invalid key.
 */
export const loadServiceConfig = (env: Record<string, string | undefined>): Readonly<ServiceConfig> =>
  Object.freeze(Object.assign({}, ...Object.values(FUNCTIONS).map((fn) => loadConfig(fn.configSchema, env))));

/**
 * Every function's handler, made by its `makeHandler` over the stack's one set of deps. The reconciler runs once at
 * start locally and re-drives every unfinished job: fauxqs keeps messages in memory only, so after a restart each
 * job on disk needs a new one, however recent.
 */
export const makeHandlers = (deps: ServiceDeps): Record<FunctionName, LocalHandler> => {
  const make = (name: FunctionName, d: ServiceDeps = deps) =>
    (FUNCTIONS[name].makeHandler as (deps: ServiceDeps) => unknown)(d) as LocalHandler;
  const handlers = Object.fromEntries(
    (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => [name, make(name)]),
  ) as Record<FunctionName, LocalHandler>;
  return { ...handlers, reconciler: make('reconciler', withMembers(deps, { stuckAfterMs: 0 })) };
};
