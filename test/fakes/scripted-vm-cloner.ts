import type {
  ClonePlan,
  CloneTaskOutcome,
  DeviceRef,
  FoundVm,
  GuestIdentity,
  VmCloner,
  VmOwner,
} from '#shared/clones/ports/vm-cloner';

/**
 * A VmCloner whose answers the test scripts. It records every call, and by default behaves like a healthy
 * vCenter: a clone task succeeds and creates a findable VM carrying the plan's extraConfig and manual MACs; the
 * clone's guest reports the source's IP until `reidentify()` is called.
 */
export class ScriptedVmCloner implements VmCloner {
  readonly calls: string[] = [];
  readonly vms = new Map<string, FoundVm & { ipAddress?: string; task?: string }>();
  startError?: unknown;
  /** Runs inside startClone after vCenter has the task, before it is answered: something may happen meanwhile. */
  whileStarting?: () => Promise<void>;
  setExtraConfigError?: unknown;
  /** Thrown by readExtraConfig (vCenter down, say) until cleared. */
  readExtraConfigError?: unknown;
  /** Thrown by destroyClone (vCenter down, say) until cleared. */
  destroyError?: unknown;
  outcome?: (plan: ClonePlan) => CloneTaskOutcome;
  sourceIp = '10.0.0.10';
  /** VMs outside the service that carry a MAC (lower case), as vCenter's inventory would show them. */
  readonly inventoryMacs = new Map<string, { moref: string; name: string }>();
  private readonly tasks = new Map<string, ClonePlan>();

  async sourceIdentity(): Promise<GuestIdentity> {
    this.calls.push('sourceIdentity');
    return { ipAddress: this.sourceIp };
  }

  async vmsWithMacs(macs: readonly string[]) {
    this.calls.push(`vmsWithMacs ${macs.join(',')}`);
    const wanted = new Set(macs.map((m) => m.toLowerCase()));
    const ours = [...this.vms.values()].flatMap((vm) =>
      vm.nics.filter((n) => wanted.has(n.mac)).map((n) => ({ mac: n.mac, moref: vm.moref, name: vm.name })),
    );
    const others = [...this.inventoryMacs].filter(([mac]) => wanted.has(mac)).map(([mac, vm]) => ({ mac, ...vm }));
    return [...ours, ...others];
  }

  async startClone(plan: ClonePlan): Promise<{ taskRef: string }> {
    this.calls.push(`startClone ${plan.name}`);
    if (this.startError) throw this.startError;
    const taskRef = `task-${this.tasks.size + 1}`;
    this.tasks.set(taskRef, plan);
    await this.whileStarting?.();
    return { taskRef };
  }

  async waitForClone(taskRef: string): Promise<CloneTaskOutcome> {
    this.calls.push(`waitForClone ${taskRef}`);
    const plan = this.tasks.get(taskRef);
    if (!plan) throw new Error(`unknown task ${taskRef}`);
    return this.outcome?.(plan) ?? { state: 'succeeded', vm: this.createVm(plan, plan.extraConfig, taskRef) };
  }

  async findClone(plan: ClonePlan): Promise<FoundVm | undefined> {
    this.calls.push(`findClone ${plan.name}`);
    const vm = [...this.vms.values()].find((v) => v.name === plan.name);
    return vm && { moref: vm.moref, name: vm.name, nics: vm.nics, extraConfig: vm.extraConfig };
  }

  async guestIdentity(vmRef: string): Promise<GuestIdentity> {
    this.calls.push(`guestIdentity ${vmRef}`);
    const vm = this.vms.get(vmRef);
    return vm?.ipAddress ? { ipAddress: vm.ipAddress } : {};
  }

  async reconnectNics(vmRef: string, nics: DeviceRef[]): Promise<void> {
    this.calls.push(`reconnectNics ${vmRef} ${nics.map((n) => ('key' in n ? n.key : n.label)).join(',')}`);
  }

  async readExtraConfig(vmRef: string): Promise<Record<string, string> | undefined> {
    this.calls.push(`readExtraConfig ${vmRef}`);
    if (this.readExtraConfigError) throw this.readExtraConfigError;
    const vm = this.vms.get(vmRef);
    return vm && { ...vm.extraConfig };
  }

  async setExtraConfig(vmRef: string, values: Record<string, string>): Promise<void> {
    this.calls.push(`setExtraConfig ${vmRef} ${Object.keys(values).sort().join(',')}`);
    if (this.setExtraConfigError) throw this.setExtraConfigError;
    const vm = this.vms.get(vmRef);
    if (vm) vm.extraConfig = { ...vm.extraConfig, ...values };
  }

  async destroyClone(vmRef: string, owner: VmOwner): Promise<'destroyed' | 'gone' | 'foreign'> {
    this.calls.push(`destroyClone ${vmRef}${'task' in owner ? ` by ${owner.task}` : ''}`);
    if (this.destroyError) throw this.destroyError;
    const vm = this.vms.get(vmRef);
    if (!vm) return 'gone';
    const owned =
      'task' in owner
        ? vm.task === owner.task && vm.extraConfig[owner.unmarked] === undefined
        : vm.extraConfig[owner.key] === owner.value;
    if (!owned) return 'foreign';
    this.vms.delete(vmRef);
    return 'destroyed';
  }

  /** Makes a VM as a clone task (`task`) would, with `extraConfig`; its guest still reports the source's IP. */
  createVm(plan: ClonePlan, extraConfig = plan.extraConfig, task?: string): FoundVm {
    const manual = plan.nics.find((n) => ('key' in n ? n.key === 4000 : n.label === 'Network adapter 1'))?.mac;
    const vm = {
      moref: `vm-${100 + this.vms.size}`,
      name: plan.name,
      nics: [
        {
          key: 4000,
          label: 'Network adapter 1',
          mac: manual ?? '00:50:56:80:00:01',
          addressType: manual ? 'manual' : 'assigned',
        },
      ],
      extraConfig,
    };
    this.vms.set(vm.moref, { ...vm, ipAddress: this.sourceIp, ...(task && { task }) });
    return vm;
  }

  /** The clone's guest takes a new IP, as a guest script would after the clone. */
  reidentify(vmRef: string, ipAddress: string): void {
    const vm = this.vms.get(vmRef);
    if (vm) vm.ipAddress = ipAddress;
  }
}
