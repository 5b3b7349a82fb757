import type { CallbackNotifier } from '../constructs/callback-notifier.js';
import type { CloneApi } from '../constructs/clone-api.js';
import type { CloneWorker } from '../constructs/clone-worker.js';
import type { ConsoleSite } from '../constructs/console-site.js';
import type { HooksFunction } from '../constructs/hooks-function.js';
import type { ScheduledFunction } from '../constructs/scheduled-function.js';
import type { SlackNotifier } from '../constructs/slack-notifier.js';
import type { StatusApi } from '../constructs/status-api.js';
import type { WarmPools } from '../constructs/warm-pools.js';
import type { MonitoredFunction } from '../monitored-function.js';

/** The function-bearing constructs of the service stack; optional ones are undefined when the stage has them off. */
export type ServiceFunctionParts = {
  readonly worker: CloneWorker;
  readonly api: CloneApi;
  readonly console: ConsoleSite;
  readonly status: StatusApi;
  readonly hooks?: HooksFunction | undefined;
  readonly pools?: WarmPools | undefined;
  readonly reconciler?: ScheduledFunction | undefined;
  readonly reaper?: ScheduledFunction | undefined;
  readonly callbackNotifier?: CallbackNotifier | undefined;
  readonly slackNotifier?: SlackNotifier | undefined;
};

/**
 * Every Lambda function the service stack created, with how it is invoked and, for the EventBridge-invoked ones, the
 * rules that target it: what `ServiceAlarms` and `ServiceDashboard` cover. A construct that adds a function must
 * add it here; test/infra/service-monitoring.test.ts fails for any function in the template without an alarm.
 * Order: the request path (worker, HTTP functions), then the async ones; the dashboard keeps it.
 */
export function serviceFunctions(parts: ServiceFunctionParts): MonitoredFunction[] {
  const { worker, api, status, console, hooks, pools, reconciler, reaper, callbackNotifier, slackNotifier } = parts;
  const functions: (MonitoredFunction | undefined)[] = [
    { name: 'Worker', title: 'Worker', function: worker.function, trigger: 'queue' },
    { name: 'Api', title: 'API function', function: api.function, trigger: 'http' },
    { name: 'Status', title: 'Status function', function: status.function, trigger: 'http' },
    { name: 'Console', title: 'Console', function: console.nodeFunction.function, trigger: 'http' },
    hooks && { name: 'Hooks', title: 'Hooks function', function: hooks.nodeFunction.function, trigger: 'http' },
    pools && { name: 'PoolApi', title: 'Pool API', function: pools.api.function, trigger: 'http' },
    pools && {
      name: 'PoolScaler',
      title: 'Pool scaler',
      function: pools.scaler.function,
      trigger: 'async',
      rules: pools.rules,
    },
    reconciler && {
      name: 'Reconciler',
      title: 'Reconciler',
      function: reconciler.nodeFunction.function,
      trigger: 'async',
      rules: [reconciler.schedule],
    },
    reaper && {
      name: 'Reaper',
      title: 'Reaper',
      function: reaper.nodeFunction.function,
      trigger: 'async',
      rules: [reaper.schedule],
    },
    callbackNotifier && {
      name: 'CallbackNotifier',
      title: 'Callback notifier',
      function: callbackNotifier.nodeFunction.function,
      trigger: 'async',
      rules: callbackNotifier.rules,
    },
    slackNotifier && {
      name: 'SlackNotifier',
      title: 'Slack notifier',
      function: slackNotifier.nodeFunction.function,
      trigger: 'async',
      rules: slackNotifier.rules,
    },
  ];
  return functions.filter((fn): fn is MonitoredFunction => fn !== undefined);
}
