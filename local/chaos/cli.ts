/**
 * `npm run chaos`: runs the chaos experiment (see chaos-run.ts), printing progress lines and then one JSON line with
 * the audit. Exit status 0 only when lost, duplicate_vms, stuck, wrong_state and events_missing are all 0.
 */
import { CHAOS_HELP, parseChaosArgs } from './chaos-options.js';
import { runChaos } from './chaos-run.js';

const print = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

let options: ReturnType<typeof parseChaosArgs>;
try {
  options = parseChaosArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`chaos: ${err instanceof Error ? err.message : String(err)}\n\n${CHAOS_HELP}`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(CHAOS_HELP);
} else {
  print({ kind: 'chaos-start', ...options });
  const report = await runChaos(options, print);
  print(report);
  const zero = report.lost + report.duplicate_vms + report.stuck + report.wrong_state + report.events_missing === 0;
  process.exitCode = zero && report.secretsInLogs === 0 ? 0 : 1;
}
