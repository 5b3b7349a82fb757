import type { ClonedVm } from '#shared/domain/clone-job';
import type { ClonePlan, CloneTaskOutcome, VmCloner } from '#shared/ports/vm-cloner';

type Found = ClonedVm & { extraConfig: Record<string, string> };

/**
 * A VmCloner whose answers the test scripts. It records every call, and by default behaves like a healthy
 * vCenter: a clone task succeeds and creates a findable VM carrying the plan's extraConfig.
 */
export class ScriptedVmCloner implements VmCloner {
  readonly calls: string[] = [];
  readonly vms = new Map<string, Found>();
  startError?: unknown;
  outcome?: (plan: ClonePlan) => CloneTaskOutcome;
  private readonly tasks = new Map<string, ClonePlan>();

  async startClone(plan: ClonePlan): Promise<{ taskRef: string }> {
    this.calls.push(`startClone ${plan.name}`);
    if (this.startError) throw this.startError;
    const taskRef = `task-${this.tasks.size + 1}`;
    this.tasks.set(taskRef, plan);
    return { taskRef };
  }

  async waitForClone(taskRef: string): Promise<CloneTaskOutcome> {
    this.calls.push(`waitForClone ${taskRef}`);
    const plan = this.tasks.get(taskRef);
    if (!plan) throw new Error(`unknown task ${taskRef}`);
    const outcome = this.outcome?.(plan) ?? { state: 'succeeded', vm: this.createVm(plan) };
    return outcome;
  }

  async findClone(plan: ClonePlan): Promise<Found | undefined> {
    this.calls.push(`findClone ${plan.name}`);
    return this.vms.get(plan.name);
  }

  createVm(plan: ClonePlan, extraConfig = plan.extraConfig): ClonedVm {
    const vm = {
      moref: `vm-${100 + this.vms.size}`,
      name: plan.name,
      nics: [{ key: 4000, mac: '00:50:56:80:00:01', addressType: 'assigned' }],
    };
    this.vms.set(plan.name, { ...vm, extraConfig });
    return vm;
  }
}
