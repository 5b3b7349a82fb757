/*
 * The service manifest's function table (`SERVICE_MANIFEST.functions`), in a module of its own so a handler can name
 * itself (its Powertools service name) without loading every route and rule of the service.
 */

/**
 * An optional part of the service. On AWS the stage turns it on (`features` in the stage file; warm pools with the
 * `instaclone:warmPools` context); a local stack runs every part.
 */
export type ServiceFeature = 'reconciler' | 'reaper' | 'callbackNotifier' | 'hooks' | 'slackNotifier' | 'warmPools';

type FunctionEntry = {
  /** Powertools service name: the `service` of every log line and metric of the function. */
  readonly serviceName: string;
  /** The function, its routes, rules and schedules exist only where this feature is on; always when absent. */
  readonly feature?: ServiceFeature;
};

/** Every function of the service, by its folder under `functions/`. */
export const FUNCTIONS = {
  'clone-api': { serviceName: 'instaclone-api' },
  'clone-worker': { serviceName: 'instaclone-worker' },
  'status-api': { serviceName: 'instaclone-status' },
  reconciler: { serviceName: 'instaclone-reconciler', feature: 'reconciler' },
  reaper: { serviceName: 'instaclone-reaper', feature: 'reaper' },
  hooks: { serviceName: 'instaclone-hooks', feature: 'hooks' },
  'callback-notifier': { serviceName: 'instaclone-callback-notifier', feature: 'callbackNotifier' },
  'slack-notifier': { serviceName: 'instaclone-slack-notifier', feature: 'slackNotifier' },
  'pool-api': { serviceName: 'instaclone-pool-api', feature: 'warmPools' },
  'pool-scaler': { serviceName: 'instaclone-pool-scaler', feature: 'warmPools' },
  console: { serviceName: 'instaclone-console' },
} as const satisfies Record<string, FunctionEntry>;

export type FunctionName = keyof typeof FUNCTIONS;

/** The Powertools service name of a function. */
export const serviceNameOf = (name: FunctionName): string => FUNCTIONS[name].serviceName;

/** Whether a function (and so its routes, rules and schedules) exists with these features on. */
export const isFunctionOn = (name: FunctionName, features: Readonly<Record<ServiceFeature, boolean>>): boolean => {
  const entry: FunctionEntry = FUNCTIONS[name];
  return entry.feature === undefined || features[entry.feature];
};
