import { operationIdOf } from '../../access/model/grant.js';
import type { VerifyCloneVm } from '../ports/clone-commands.js';
import type { VmCloner } from '../ports/vm-cloner.js';
import { JOB_ID_EXTRA_CONFIG_KEY } from './clone-plan.js';

/**
 * {@link VerifyCloneVm} over the cloner: the VM's `instaclone.jobId` against the job's id. A pool claim asks before it
 * hands a spare out, so a moref that now names another VM is never given to a claimer.
 */
export const makeVerifyCloneVm =
  ({ cloner }: { cloner: Pick<VmCloner, 'readExtraConfig'> }): VerifyCloneVm =>
  async (job, options = {}) => {
    if (!job.vm) return 'none';
    const extraConfig = await cloner.readExtraConfig(job.vm.moref, {
      ...(options.signal && { signal: options.signal }),
      operationId: operationIdOf(job),
    });
    if (!extraConfig) return 'gone';
    return extraConfig[JOB_ID_EXTRA_CONFIG_KEY] === job.jobId ? 'ours' : 'foreign';
  };
