import { collect, objectContentValue } from '../properties/collect.js';
import { readFilterSpec } from '../properties/filter-spec.js';
import { seedLateFilter } from '../properties/update-diff.js';
import { waitForUpdates } from '../properties/wait-for-updates.js';
import { faults } from '../soap/faults.js';
import { arr, moref, obj, str, type VimObject } from '../soap/vim-value.js';
import { child, childrenNamed, childText, parseBoolean } from '../soap/xml-reader.js';
import { type FilterRecord, newCollector } from '../state.js';
import type { MethodContext, MethodTable } from './method.js';

let nextToken = 0;

/**
 * PropertyCollector and PropertyFilter methods (reference §2.5, §2.7): retrieval with paging, session-scoped
 * collectors and filters, and blocking WaitForUpdates(Ex) with CancelWaitForUpdates.
 */
export const propertyMethods: MethodTable = {
  RetrieveProperties: {
    on: ['PropertyCollector'],
    sessionOptional: true,
    run: (ctx) => retrieveAll(ctx),
  },
  RetrievePropertiesEx: {
    on: ['PropertyCollector'],
    sessionOptional: true,
    run: (ctx) => {
      const contents = retrieveAll(ctx);
      if (contents.length === 0) return undefined;
      const maxObjects = Number(childText(child(ctx.request, 'options') ?? ctx.request, 'maxObjects') ?? '0');
      return page(ctx, contents, Number.isFinite(maxObjects) && maxObjects > 0 ? maxObjects : contents.length);
    },
  },
  ContinueRetrievePropertiesEx: {
    on: ['PropertyCollector'],
    run: (ctx) => {
      const token = childText(ctx.request, 'token') ?? '';
      const pending = ctx.state.pages.get(token);
      if (!pending) throw faults.invalidProperty('token');
      ctx.state.pages.delete(token);
      return page(ctx, pending.rest, pending.size);
    },
  },
  CancelRetrievePropertiesEx: {
    on: ['PropertyCollector'],
    run: ({ state, request }) => {
      const token = childText(request, 'token') ?? '';
      if (!state.pages.delete(token)) throw faults.invalidProperty('token');
      return undefined;
    },
  },
  CreatePropertyCollector: {
    on: ['PropertyCollector'],
    run: ({ state, session }) => {
      const id = session ? state.sessions.scopedId(session) : `session[]${++nextToken}`;
      state.collectors.set(id, newCollector(id));
      return moref('PropertyCollector', id);
    },
  },
  DestroyPropertyCollector: {
    on: ['PropertyCollector'],
    run: ({ state, self }) => {
      // The default collector is a singleton and cannot be destroyed; vCenter ignores the request.
      if (self.value !== 'propertyCollector') state.destroyCollector(self.value);
      return undefined;
    },
  },
  CreateFilter: {
    on: ['PropertyCollector'],
    run: ({ state, session, self, request }) => {
      const specNode = child(request, 'spec');
      if (!specNode) throw faults.invalidArgument('spec');
      const spec = readFilterSpec(specNode);
      for (const o of spec.objectSet) {
        if (!state.typeOf(o.obj.value)) throw faults.managedObjectNotFound(o.obj.type, o.obj.value);
      }
      const collector = state.collectorFor(self.value, session);
      if (!collector) throw faults.managedObjectNotFound('PropertyCollector', self.value);
      const id = session ? state.sessions.scopedId(session) : `session[]${++nextToken}`;
      const filter: FilterRecord = {
        type: 'PropertyFilter',
        moref: id,
        collector: collector.moref,
        spec,
        partialUpdates: parseBoolean(childText(request, 'partialUpdates')) ?? false,
      };
      state.filters.set(id, filter);
      collector.filters.add(id);
      seedLateFilter({ state, session }, collector, filter);
      return moref('PropertyFilter', id);
    },
  },
  DestroyPropertyFilter: {
    on: ['PropertyFilter'],
    run: ({ state, self }) => {
      state.destroyFilter(self.value);
      return undefined;
    },
  },
  WaitForUpdatesEx: {
    on: ['PropertyCollector'],
    run: (ctx) => {
      const options = child(ctx.request, 'options');
      const maxWait = options ? childText(options, 'maxWaitSeconds') : undefined;
      const maxWaitSeconds = maxWait === undefined || maxWait === '' ? undefined : Number(maxWait);
      if (maxWaitSeconds !== undefined && (!Number.isFinite(maxWaitSeconds) || maxWaitSeconds < 0)) {
        throw faults.invalidArgument('maxWaitSeconds');
      }
      const maxUpdates = options ? childText(options, 'maxObjectUpdates') : undefined;
      const maxObjectUpdates = maxUpdates === undefined || maxUpdates === '' ? undefined : Number(maxUpdates);
      if (maxObjectUpdates !== undefined && (!Number.isInteger(maxObjectUpdates) || maxObjectUpdates <= 0)) {
        throw faults.invalidArgument('maxObjectUpdates');
      }
      return wait(ctx, childText(ctx.request, 'version'), { maxWaitSeconds, maxObjectUpdates });
    },
  },
  WaitForUpdates: {
    on: ['PropertyCollector'],
    run: (ctx) => wait(ctx, childText(ctx.request, 'version'), {}),
  },
  CheckForUpdates: {
    on: ['PropertyCollector'],
    run: (ctx) => wait(ctx, childText(ctx.request, 'version'), { maxWaitSeconds: 0 }),
  },
  CancelWaitForUpdates: {
    on: ['PropertyCollector'],
    run: ({ state, self, session }) => {
      state.collectorFor(self.value, session)?.cancelWait?.();
      return undefined;
    },
  },
};

function retrieveAll(ctx: MethodContext): VimObject[] {
  const specs = childrenNamed(ctx.request, 'specSet');
  if (specs.length === 0) throw faults.invalidArgument('specSet');
  const contents = specs.flatMap((spec) => collect(ctx, readFilterSpec(spec)));
  return contents.map(objectContentValue);
}

function page(ctx: MethodContext, contents: VimObject[], size: number): VimObject {
  const rest = contents.slice(size);
  let token: string | undefined;
  if (rest.length > 0) {
    token = String(++nextToken);
    ctx.state.pages.set(token, { rest, size });
  }
  return obj('RetrieveResult', [
    ['token', token === undefined ? undefined : str(token)],
    ['objects', arr('ObjectContent', contents.slice(0, size))],
  ]);
}

async function wait(
  ctx: MethodContext,
  version: string | undefined,
  limits: { maxWaitSeconds?: number | undefined; maxObjectUpdates?: number | undefined },
) {
  const collector = ctx.state.collectorFor(ctx.self.value, ctx.session);
  if (!collector) throw faults.managedObjectNotFound('PropertyCollector', ctx.self.value);
  return waitForUpdates(ctx, collector, version, {
    ...(limits.maxWaitSeconds !== undefined && { maxWaitSeconds: limits.maxWaitSeconds }),
    ...(limits.maxObjectUpdates !== undefined && { maxObjectUpdates: limits.maxObjectUpdates }),
    ...(ctx.signal && { signal: ctx.signal }),
  });
}
