import type { FunctionName } from '#shared/composition/service-functions';
import { serviceNameOf } from '#shared/composition/service-functions';
import { SERVICE_MANIFEST, splitRouteKey } from '#shared/composition/service-manifest';
import type { EventBus } from './emulators/event-bus.js';
import type { AsyncInvoker, LocalHandler } from './lambda/async-invoker.js';
import type { GatewayRoute } from './lambda/http-gateway.js';
import { makeLambdaContext } from './lambda/lambda-context.js';

/** The event a schedule hands its function, as EventBridge Scheduler's rate rules do. */
const SCHEDULED_EVENT = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };

type Handlers = Record<FunctionName, LocalHandler>;

/**
 * The manifest's HTTP routes for the local gateway: `iam` routes want the bearer token (the local stand-in for
 * SigV4); `none` and `signed` routes are open at the gateway (the signed ones verify their sender themselves).
 */
export const gatewayRoutes = (handlers: Handlers): GatewayRoute[] =>
  SERVICE_MANIFEST.routes.map((route) => ({
    ...splitRouteKey(route.routeKey),
    handler: handlers[route.function] as GatewayRoute['handler'],
    auth: route.auth === 'iam' ? 'bearer' : 'none',
    functionName: serviceNameOf(route.function),
  }));

/**
 * The manifest's event rules on the local bus. The bus awaits its targets inside PutEvents, so each target is
 * invoked asynchronously, as EventBridge invokes Lambda: a notifier retrying with backoff never holds the worker.
 */
export const addManifestRules = (bus: EventBus, handlers: Handlers, invoker: AsyncInvoker): void => {
  for (const rule of SERVICE_MANIFEST.rules) {
    const name = serviceNameOf(rule.target);
    bus.addRule({
      name: rule.name,
      pattern: rule.pattern,
      target: (event) => invoker.invoke(name, handlers[rule.target], event),
    });
  }
};

/**
 * The manifest's schedules: those marked `at-start` run once now and are awaited (their results returned by
 * function), the others on timers (`everyMs` chooses the period, by default the manifest's local one). Returns the
 * results and a stop for the timers.
 */
export const startManifestSchedules = async (
  handlers: Handlers,
  invoker: AsyncInvoker,
  everyMs: (target: FunctionName, byDefault: number) => number,
): Promise<{ atStart: Partial<Record<FunctionName, unknown>>; stop: () => void }> => {
  const atStart: Partial<Record<FunctionName, unknown>> = {};
  const timers: NodeJS.Timeout[] = [];
  for (const schedule of SERVICE_MANIFEST.schedules) {
    const handler = handlers[schedule.target];
    const name = serviceNameOf(schedule.target);
    if (schedule.local === 'at-start') {
      atStart[schedule.target] = await handler(
        SCHEDULED_EVENT,
        makeLambdaContext({ functionName: name, timeoutMs: 60_000 }),
      );
    } else {
      const period = everyMs(schedule.target, schedule.local.everyMs);
      timers.push(setInterval(() => invoker.invoke(name, handler, SCHEDULED_EVENT), period));
    }
  }
  return { atStart, stop: () => timers.forEach(clearInterval) };
};
