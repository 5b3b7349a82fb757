import { type ApiVersion, atLeast } from './api-version.js';
import { moref, obj, str, type VimObject } from './soap/vim-value.js';

/**
 * The singleton managed objects of ServiceContent with the moids real vCenter uses (govmomi
 * `simulator/vpx/service_content.go`, captured from a real VC), in `types.ServiceContent` field order.
 */
export const SINGLETONS: ReadonlyArray<readonly [field: string, type: string, moid: string]> = [
  ['rootFolder', 'Folder', 'group-d1'],
  ['propertyCollector', 'PropertyCollector', 'propertyCollector'],
  ['viewManager', 'ViewManager', 'ViewManager'],
  ['setting', 'OptionManager', 'VpxSettings'],
  ['userDirectory', 'UserDirectory', 'UserDirectory'],
  ['sessionManager', 'SessionManager', 'SessionManager'],
  ['authorizationManager', 'AuthorizationManager', 'AuthorizationManager'],
  ['perfManager', 'PerformanceManager', 'PerfMgr'],
  ['scheduledTaskManager', 'ScheduledTaskManager', 'ScheduledTaskManager'],
  ['alarmManager', 'AlarmManager', 'AlarmManager'],
  ['eventManager', 'EventManager', 'EventManager'],
  ['taskManager', 'TaskManager', 'TaskManager'],
  ['extensionManager', 'ExtensionManager', 'ExtensionManager'],
  ['customizationSpecManager', 'CustomizationSpecManager', 'CustomizationSpecManager'],
  ['customFieldsManager', 'CustomFieldsManager', 'CustomFieldsManager'],
  ['diagnosticManager', 'DiagnosticManager', 'DiagMgr'],
  ['licenseManager', 'LicenseManager', 'LicenseManager'],
  ['searchIndex', 'SearchIndex', 'SearchIndex'],
  ['fileManager', 'FileManager', 'FileManager'],
  ['virtualDiskManager', 'VirtualDiskManager', 'virtualDiskManager'],
  ['ovfManager', 'OvfManager', 'OvfManager'],
  ['dvSwitchManager', 'DistributedVirtualSwitchManager', 'DVSManager'],
  ['guestOperationsManager', 'GuestOperationsManager', 'guestOperationsManager'],
  ['vmProvisioningChecker', 'VirtualMachineProvisioningChecker', 'ProvChecker'],
  ['vmCompatibilityChecker', 'VirtualMachineCompatibilityChecker', 'CompatChecker'],
  ['guestCustomizationManager', 'VirtualMachineGuestCustomizationManager', 'GuestCustManager'],
];

/** moid → type for the singletons, plus ServiceInstance itself. */
export const SINGLETON_TYPES: ReadonlyMap<string, string> = new Map([
  ['ServiceInstance', 'ServiceInstance'],
  ...SINGLETONS.filter(([field]) => field !== 'rootFolder').map(([, type, moid]) => [moid, type] as const),
]);

/** What varies in AboutInfo. */
export interface AboutOptions {
  apiVersion: string;
  instanceUuid: string;
}

/** `AboutInfo` of a vCenter 8.0.3-shaped server whose apiVersion is configurable. */
export function aboutInfo({ apiVersion, instanceUuid }: AboutOptions): VimObject {
  const version = apiVersion.split('.').slice(0, 3).join('.');
  const build = '24022515';
  return obj('AboutInfo', [
    ['name', str('VMware vCenter Server')],
    ['fullName', str(`VMware vCenter Server ${version} build-${build}`)],
    ['vendor', str('VMware, Inc.')],
    ['version', str(version)],
    ['build', str(build)],
    ['localeVersion', str('INTL')],
    ['localeBuild', str('000')],
    ['osType', str('linux-x64')],
    ['productLineId', str('vpx')],
    ['apiType', str('VirtualCenter')],
    ['apiVersion', str(apiVersion)],
    ['instanceUuid', str(instanceUuid)],
    ['licenseProductName', str('VMware VirtualCenter Server')],
    ['licenseProductVersion', str(version.split('.')[0] ?? '8')],
  ]);
}

// Fields newer than vim25/6.7 (pyVmomi 6.7 rejects unknown fields, so older clients must not see them).
const SINCE: Readonly<Record<string, ApiVersion>> = { guestCustomizationManager: [6, 8, 7] };

/**
 * `ServiceContent` in schema order: rootFolder, propertyCollector, viewManager, about, then the other managers,
 * without the managers the client's API version does not know.
 */
export function serviceContent(about: AboutOptions, clientVersion?: ApiVersion): VimObject {
  const known = ([field]: readonly [string, string, string]): boolean => {
    const since = SINCE[field];
    return since === undefined || clientVersion === undefined || atLeast(clientVersion, since);
  };
  const refs = SINGLETONS.filter(known).map(([field, type, moid]) => [field, moref(type, moid)] as const);
  return obj('ServiceContent', [...refs.slice(0, 3), ['about', aboutInfo(about)], ...refs.slice(3)]);
}
