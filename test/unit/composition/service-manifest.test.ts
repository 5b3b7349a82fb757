import { describe, expect, it } from 'vitest';
import { makeCloneApiRoutes } from '#shared/clones/api/clone-api-routes';
import type { FunctionName } from '#shared/composition/service-functions';
import { routesOf, SERVICE_MANIFEST } from '#shared/composition/service-manifest';
import { makeConsoleRoutes } from '#shared/console/api/console-routes';
import { makeHookRoutes } from '#shared/hooks/api/hook-routes';
import { makePoolApiRoutes } from '#shared/pools/api/pool-api-routes';
import { makeStatsRoutes } from '#shared/stats/api/stats-routes';
import { makeStatusRoutes } from '#shared/status/api/status-routes';

/** Never called: the route tables are built only to read their keys. */
const unused = async (): Promise<never> => {
  throw new Error('not called');
};

/** The route keys each HTTP function dispatches on. */
const served: Partial<Record<FunctionName, string[]>> = {
  'clone-api': [
    ...Object.keys(
      makeCloneApiRoutes({ submit: unused, getClone: unused, listClones: unused, requestDestroy: unused }),
    ),
    ...Object.keys(makeStatsRoutes({ getStats: unused })),
  ],
  'pool-api': Object.keys(
    makePoolApiRoutes({
      access: { authorize: unused, mayView: () => true },
      putPool: unused,
      getPool: unused,
      listPools: unused,
      deletePool: unused,
      claim: unused,
      release: unused,
    }),
  ),
  console: Object.keys(makeConsoleRoutes({ get: () => undefined })),
  'status-api': Object.keys(makeStatusRoutes(unused)),
  hooks: Object.keys(
    makeHookRoutes({ secrets: {}, submit: unused, handleGithub: unused, handleSlack: unused, now: () => new Date() }),
  ),
};

describe('Service manifest', () => {
  it.each(Object.entries(served))('lists exactly the routes %s dispatches on', (name, keys) => {
    // Act
    const listed = routesOf(name as FunctionName).map((route) => route.routeKey);
    // Assess
    expect(listed.sort()).toEqual(keys?.sort());
  });

  it('names each route, rule and schedule once, and routes only to the functions that have a route table', () => {
    // Act
    const routed = new Set(SERVICE_MANIFEST.routes.map((route) => route.function));
    // Assess
    expect([...routed].sort()).toEqual(Object.keys(served).sort());
    expect(new Set(SERVICE_MANIFEST.routes.map((route) => route.routeKey)).size).toBe(SERVICE_MANIFEST.routes.length);
    expect(new Set(SERVICE_MANIFEST.rules.map((rule) => rule.name)).size).toBe(SERVICE_MANIFEST.rules.length);
    expect(new Set(SERVICE_MANIFEST.schedules.map((s) => s.target)).size).toBe(SERVICE_MANIFEST.schedules.length);
  });

  it('gives each function its own service name', () => {
    // Act
    const names = Object.values(SERVICE_MANIFEST.functions).map((fn) => fn.serviceName);
    // Assess
    expect(new Set(names).size).toBe(names.length);
  });
});
