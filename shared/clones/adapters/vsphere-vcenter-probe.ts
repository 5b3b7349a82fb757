import type { VcenterProbe } from '../../status/ports/status-probes.js';
import type { VimClient } from '../../vsphere/index.js';
import { toDomainError } from './vsphere-vm-cloner.js';

/**
 * The status's VcenterProbe on the worker's vim25 client (one session per container: a probe after a clone reuses
 * it). Failures are the cloner's domain errors, so they carry the same fix (VCENTER_CA_FILE, credentials, VCENTER_URL).
 */
export const vsphereVcenterProbe = (vim: VimClient): VcenterProbe => ({
  async check({ signal }) {
    try {
      return await vim.about({ signal });
    } catch (err) {
      throw toDomainError(err);
    }
  },
});
