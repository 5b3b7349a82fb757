/**
 * Every kind of request the vim25 client sends, each with the call that makes it, against the fake vCenter. The
 * argument values are the ones test/fixtures/soap/pyvmomi-requests/capture_requests.py gave pyVmomi.
 */
import type { MoRef, VimClient, VmFacts } from '#shared/vsphere/index';
import { fixture, type Route } from './fake-vcenter.js';

const VM_42: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: 'vm-42' };
const VM_1001: MoRef<'VirtualMachine'> = { type: 'VirtualMachine', value: 'vm-1001' };

/** Facts of a source whose NIC sits on a distributed portgroup and whose serial port is file-backed. */
const sourceFacts = (nicType = 'VirtualVmxnet3'): VmFacts => ({
  moref: VM_42,
  name: 'web-golden',
  powerState: 'poweredOn',
  frozen: false,
  nics: [],
  extraConfig: {},
  guest: {},
  serialPorts: [],
  parallelPorts: [],
  devices: [
    {
      key: 4000,
      type: nicType,
      connectable: { startConnected: true, allowGuestControl: true },
      distributedPort: {
        switchUuid: '50 1e 2f 3a 4b 5c 6d 7e-8f 90 a1 b2 c3 d4 e5 f6',
        portgroupKey: 'dvportgroup-20',
      },
    },
    { key: 9000, type: 'VirtualSerialPort', yieldOnPoll: true },
  ],
});

const taskAnswer = (method: string): Route => ({
  body: fixture('power-off-task.xml').replaceAll('PowerOffVM_Task', method),
});

export interface Case {
  /** Fixture name; the request compared is the last one of `method`. */
  fixture: string;
  method: string;
  act: (vim: VimClient) => Promise<unknown>;
  /** Answers this case needs besides {@link caseRoutes}. */
  routes?: () => Record<string, Route>;
}

/** A RetrievePropertiesEx answer that says more pages follow (`token` 1), and the last page. */
const paged = (): Record<string, Route> => ({
  RetrievePropertiesEx: {
    body: fixture('retrieve-properties-vm.xml').replace(
      '</objects></returnval>',
      '</objects><token>1</token></returnval>',
    ),
  },
  ContinueRetrievePropertiesEx: {
    body: fixture('retrieve-properties-vm.xml').replaceAll(
      'RetrievePropertiesExResponse',
      'ContinueRetrievePropertiesExResponse',
    ),
  },
});

export const CASES: Case[] = [
  { fixture: 'retrieve-service-content', method: 'RetrieveServiceContent', act: (vim) => vim.getVm(VM_1001) },
  { fixture: 'login', method: 'Login', act: (vim) => vim.getVm(VM_1001) },
  {
    fixture: 'find-by-inventory-path',
    method: 'FindByInventoryPath',
    act: (vim) => vim.findByInventoryPath('/DC0/vm/web-golden'),
  },
  {
    fixture: 'find-child-operation-id',
    method: 'FindChild',
    act: (vim) => vim.findChild({ type: 'Folder', value: 'group-v4' }, 'web-ic-001', { operationId: 'job-<7>' }),
  },
  { fixture: 'retrieve-properties-vm', method: 'RetrievePropertiesEx', act: (vim) => vim.getVm(VM_1001) },
  {
    fixture: 'retrieve-properties-mac-scan',
    method: 'RetrievePropertiesEx',
    act: (vim) => vim.findVmsWithMacs(['00:50:56:3A:12:35']),
  },
  {
    fixture: 'continue-retrieve-properties',
    method: 'ContinueRetrievePropertiesEx',
    act: (vim) => vim.findVmsWithMacs(['00:50:56:3a:12:35']),
    routes: paged,
  },
  {
    fixture: 'instant-clone-full',
    method: 'InstantClone_Task',
    act: (vim) =>
      vim.instantClone(
        sourceFacts(),
        {
          name: 'web-ic-001',
          folder: { type: 'Folder', value: 'group-v4' },
          datastore: { type: 'Datastore', value: 'datastore-15' },
          pool: { type: 'ResourcePool', value: 'resgroup-9' },
          nics: [{ key: 4000, macAddress: '00:50:56:00:12:34', startDisconnected: true }],
          serialPorts: [{ key: 9000, fileName: '[LocalDS_0] web-ic-001/serial0.log' }],
          extraConfig: { 'guestinfo.ci.job': '42 & <more>', 'instaclone.jobId': 'job-1' },
          biosUuid: '4217c6f2-8a0e-2b7f-1a3b-2c9d8e7f6a5b',
        },
        { operationId: 'job-1' },
      ),
  },
  {
    fixture: 'instant-clone-minimal',
    method: 'InstantClone_Task',
    act: (vim) => vim.instantClone(VM_42, { name: 'ic-1' }),
  },
  {
    fixture: 'instant-clone-standard-network',
    method: 'InstantClone_Task',
    act: (vim) =>
      vim.instantClone(sourceFacts('VirtualE1000'), {
        name: 'ic-2',
        nics: [
          {
            key: 4000,
            network: { kind: 'standard', name: 'VM Network', moref: { type: 'Network', value: 'network-7' } },
          },
        ],
      }),
  },
  {
    fixture: 'create-property-collector',
    method: 'CreatePropertyCollector',
    act: (vim) => vim.instantClone(VM_42, { name: 'ic-1' }),
  },
  {
    fixture: 'create-filter-recent-tasks',
    method: 'CreateFilter',
    act: (vim) => vim.instantClone(VM_42, { name: 'ic-1' }),
  },
  {
    fixture: 'check-instant-clone',
    method: 'CheckInstantClone_Task',
    act: (vim) => vim.checkInstantClone(VM_42, { name: 'ic-1' }),
  },
  {
    fixture: 'reconfigure-extra-config',
    method: 'ReconfigVM_Task',
    act: (vim) => vim.setExtraConfig(VM_1001, { 'guestinfo.instaclone.runner': 'JIT' }),
  },
  { fixture: 'reconfigure-connect-nic', method: 'ReconfigVM_Task', act: (vim) => vim.reconnectNic(VM_1001, 4000) },
  {
    fixture: 'wait-for-updates-next',
    method: 'WaitForUpdatesEx',
    act: async (vim) =>
      vim.waitForTask(await vim.instantClone(VM_42, { name: 'ic-1' }), { deadline: Date.now() + 50_000 }),
  },
  {
    fixture: 'retrieve-properties-tasks',
    method: 'RetrievePropertiesEx',
    act: (vim) =>
      Promise.all(
        ['task-4711', 'task-4712'].map((value) =>
          vim.waitForTask({ type: 'Task', value }, { deadline: Date.now() + 5_000 }),
        ),
      ),
  },
  { fixture: 'power-off', method: 'PowerOffVM_Task', act: (vim) => vim.powerOff(VM_1001) },
  { fixture: 'destroy', method: 'Destroy_Task', act: (vim) => vim.destroy(VM_1001) },
  { fixture: 'cancel-task', method: 'CancelTask', act: (vim) => vim.cancelTask({ type: 'Task', value: 'task-4711' }) },
  {
    fixture: 'logout',
    method: 'Logout',
    act: async (vim) => {
      await vim.getVm(VM_1001);
      await vim.logout();
    },
  },
];

/** RetrievePropertiesEx: every task asked for has succeeded; anything else is the VM of the fixture. */
export const tasksOrVm: Route = (req) => {
  const tasks = [...req.body.matchAll(/<obj type="Task">([^<]+)</g)].map((m) => m[1] ?? '');
  if (tasks.length === 0) return { body: fixture('retrieve-properties-vm.xml') };
  const answer = fixture('retrieve-properties-task-success.xml');
  return {
    body: answer.replace(/<objects>.*<\/objects>/s, (object) =>
      tasks.map((task) => object.replaceAll('task-4711', task)).join(''),
    ),
  };
};

/** Routes the fake vCenter needs besides its defaults to answer every case. */
export const caseRoutes = (): Record<string, Route> => ({
  RetrievePropertiesEx: tasksOrVm,
  ReconfigVM_Task: taskAnswer('ReconfigVM_Task'),
  CheckInstantClone_Task: taskAnswer('CheckInstantClone_Task'),
  CancelTask: { body: fixture('logout.xml').replaceAll('Logout', 'CancelTask') },
  WaitForUpdatesEx: (_req, n) => ({
    body: fixture(n === 1 ? 'wait-for-updates-running.xml' : 'wait-for-updates-success.xml'),
  }),
});
