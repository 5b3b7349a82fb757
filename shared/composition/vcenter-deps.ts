import { readFileSync } from 'node:fs';
import { vcenterCredentials } from '../clones/adapters/vcenter-credentials.js';
import { VsphereVmCloner } from '../clones/adapters/vsphere-vm-cloner.js';
import type { VmCloner } from '../clones/ports/vm-cloner.js';
import { createVimClient, type VimClient } from '../vsphere/index.js';
import type { CoreDeps } from './core-deps.js';
import { family } from './family.js';
import { required } from './lazily.js';
import type { SecretDeps } from './secret-deps.js';
import { serviceNameOf } from './service-functions.js';

/** vCenter: the vim25 client (one session, one keep-alive agent per container) and the cloner over it. */
export type VcenterDeps = { readonly vim: VimClient; readonly cloner: VmCloner };

/**
 * The functions that run next to vCenter use these (the worker; the status function; the pool API and, with warm
 * runners, the hooks function, whose claims read the job id on a spare's VM), so only they bundle `soap`.
 */
export const vcenterFamily = family<VcenterDeps, CoreDeps & SecretDeps>((config) => ({
  vim: (d) => {
    // The vim25 client's own log lines (retries, re-logins) are its function's; a local stack runs one client for all.
    const logger = d.logger(config.POWERTOOLS_SERVICE_NAME ?? serviceNameOf('clone-worker'));
    return createVimClient({
      url: required(config.VCENTER_URL, 'VCENTER_URL'),
      credentials: vcenterCredentials(
        config.VCENTER_SECRET_ARN
          ? required(d.secret('VCENTER_SECRET', undefined, config.VCENTER_SECRET_ARN), 'VCENTER_SECRET_ARN')
          : { username: config.VCENTER_USERNAME ?? '', password: config.VCENTER_PASSWORD ?? '' },
      ),
      ...(config.VCENTER_CA_FILE && { ca: readFileSync(config.VCENTER_CA_FILE) }),
      ...(config.VCENTER_INSECURE && { insecure: true }),
      logger: {
        warn: (message, extra) => logger.warn(message, { ...extra }),
        debug: (message, extra) => logger.debug(message, { ...extra }),
      },
    });
  },
  cloner: (d) => new VsphereVmCloner(d.vim),
}));
