import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startVcSim } from '#local/vcsim/index';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'pyvmomi', 'instant_clone_flow.py');

// Debian's python3-pyvmomi lives in /usr/bin/python3's dist-packages; a pyenv `python3` earlier on PATH cannot see it.
async function findPython(): Promise<string | undefined> {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    try {
      await run(candidate, ['-c', 'from pyVmomi import vim; vim.VirtualMachine.InstantClone'], { timeout: 10_000 });
      return candidate;
    } catch {
      // try the next interpreter
    }
  }
  return undefined;
}

const python = await findPython();
if (!python) {
  console.warn(
    'vcsim pyVmomi compatibility test SKIPPED: no python3 can import pyVmomi (apt-get install -y python3-pyvmomi)',
  );
}

describe('vcsim: compatibility with an unmodified pyVmomi', () => {
  it.skipIf(!python)(
    'logs in, instant-clones with a manual MAC and guestinfo, reads the clone back, hits DuplicateName and InvalidPowerState, then destroys it',
    async () => {
      // Prepare
      const vc = await startVcSim({ taskDurationMs: 10, tls: true });
      const dir = mkdtempSync(join(tmpdir(), 'vcsim-pyvmomi-'));
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, vc.ca ?? '');
      const { hostname, port } = new URL(vc.url);
      try {
        // Act
        const { stdout } = await run(python!, [SCRIPT, hostname, port, caFile], { timeout: 60_000 });
        const seen = JSON.parse(stdout) as Record<string, unknown>;
        // Assess
        expect(seen).toEqual({
          apiVersion: '8.0.3.0',
          source: 'DC0_H0_VM0',
          taskName: 'InstantClone_Task',
          descriptionId: 'VirtualMachine.instantClone',
          clone: {
            name: 'py-ic-1',
            powerState: 'poweredOn',
            sameHost: true,
            nics: [{ mac: '00:50:56:12:34:56', addressType: 'manual', connected: false }],
            extraConfig: { 'guestinfo.ic.hostname': 'py-ic-1' },
            ipAddress: vc.sim.findVmByName('DC0_H0_VM0')?.guest.ipAddress,
          },
          duplicate: { fault: 'vim.fault.DuplicateName', name: 'py-ic-1' },
          poweredOff: {
            fault: 'vim.fault.InvalidPowerState',
            requestedState: 'poweredOn',
            existingState: 'poweredOff',
          },
          destroyWhileOn: 'vim.fault.InvalidPowerState',
          destroyed: true,
        });
        expect(vc.sim.findVmByName('py-ic-1')).toBeUndefined();
      } finally {
        await vc.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
