import { serviceContent } from '../service-content.js';
import type { Session } from '../sessions.js';
import { arr, bool, dateTime, long, moref, obj, str, type VimValue } from '../soap/vim-value.js';
import { containerViewContents } from './container-view.js';
import { entityProperties, managedEntityProperties, refs } from './entity-properties.js';
import type { Getter } from './property-context.js';
import { taskInfo } from './task-info.js';

export type { PropertyContext } from './property-context.js';

// Session, task, view and service objects; inventory entities come from entity-properties.
const tables: Record<string, Record<string, Getter>> = {
  ...entityProperties,
  Task: {
    info: (m, ctx) => {
      const task = ctx.state.tasks.get(m);
      return task ? taskInfo(task) : undefined;
    },
  },
  ContainerView: {
    view: (m, ctx) => refs(ctx.state.inventory, containerViewContents(ctx.state, m)),
    container: (m, ctx) => {
      const view = ctx.state.views.get(m);
      return view ? moref(ctx.state.typeOf(view.container) ?? 'Folder', view.container) : undefined;
    },
    type: (m, ctx) => arr('string', (ctx.state.views.get(m)?.types ?? []).map(str)),
    recursive: (m, ctx) => bool(ctx.state.views.get(m)?.recursive ?? false),
  },
  SessionManager: {
    currentSession: (_m, ctx) => (ctx.session ? userSession(ctx.session) : undefined),
    sessionList: (_m, ctx) => arr('UserSession', ctx.state.sessions.list().map(userSession)),
  },
  ServiceInstance: {
    content: (_m, ctx) => serviceContent(ctx.state.options, ctx.clientVersion),
    serverClock: () => dateTime(new Date()),
  },
  PropertyFilter: {
    partialUpdates: (m, ctx) => bool(ctx.state.filters.get(m)?.partialUpdates ?? false),
  },
  PropertyCollector: {
    filter: (m, ctx) =>
      arr(
        'ManagedObjectReference',
        [...(ctx.state.collectorFor(m, ctx.session)?.filters ?? [])].map((f) => moref('PropertyFilter', f)),
      ),
  },
  TaskManager: {
    recentTask: (_m, ctx) =>
      arr(
        'ManagedObjectReference',
        [...ctx.state.tasks.tasks.values()].slice(-50).map((t) => moref('Task', t.moref)),
      ),
  },
};

function userSession(session: Session): VimValue {
  return obj('UserSession', [
    ['key', str(session.key)],
    ['userName', str(session.userName)],
    ['fullName', str(session.userName)],
    ['loginTime', dateTime(session.loginTime)],
    ['lastActiveTime', dateTime(session.lastActive)],
    ['locale', str(session.locale)],
    ['messageLocale', str(session.locale)],
    ['extensionSession', bool(false)],
    ['ipAddress', str(session.ipAddress)],
    ['userAgent', str(session.userAgent)],
    ['callCount', long(session.callCount)],
  ]);
}

export { userSession };

const ENTITY_TYPES = new Set([
  'Folder',
  'Datacenter',
  'ComputeResource',
  'ClusterComputeResource',
  'HostSystem',
  'ResourcePool',
  'Datastore',
  'Network',
  'DistributedVirtualPortgroup',
  'VmwareDistributedVirtualSwitch',
  'VirtualMachine',
]);

/** The getter for a top-level property of a type, or `undefined` when the type has no such property. */
export function propertyGetter(type: string, name: string): Getter | undefined {
  const own = tables[type]?.[name];
  if (own) return own;
  return ENTITY_TYPES.has(type) ? managedEntityProperties[name] : undefined;
}

/** Every top-level property name of a type, for `all=true`. */
export function propertyNames(type: string): string[] {
  const own = Object.keys(tables[type] ?? {});
  return ENTITY_TYPES.has(type) ? [...new Set([...Object.keys(managedEntityProperties), ...own])] : own;
}
