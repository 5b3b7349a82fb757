/**
 * `npm run vcsim`: the simulator as a standalone server. Prints the SDK URL (and the CA file and PEM with --tls);
 * Ctrl-C closes it cleanly.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELP, parseCli } from './cli-options.js';
import { startVcSim, type VcSimOptions } from './index.js';

async function main(): Promise<void> {
  let options: VcSimOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`vcsim: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const vc = await startVcSim(options);
  process.stdout.write(`vcsim listening: ${vc.url}\n`);
  process.stdout.write(`  VMs: ${vc.sim.listVms().length}, e.g. /DC0/vm/${vc.sim.listVms()[0]?.name ?? ''}\n`);
  if (options.stateFile) process.stdout.write(`  world kept in ${options.stateFile}\n`);
  if (options.collectorQuirks) process.stdout.write('  collector quirks ON: not vCenter behaviour (see --help)\n');
  if (vc.ca) {
    const caPath = join(tmpdir(), `vcsim-ca-${process.pid}.pem`);
    writeFileSync(caPath, vc.ca);
    process.stdout.write(`  CA certificate: ${caPath}\n${vc.ca}`);
  }
  process.stdout.write(`  admin API: ${vc.url.replace(/\/sdk$/, '/vcsim/stats')}\n  Ctrl-C to stop\n`);
  const stop = (): void => {
    process.stdout.write('vcsim: shutting down\n');
    vc.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
