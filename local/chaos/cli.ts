/**
 * `npm run chaos`: runs the chaos experiment (see chaos-run.ts), printing progress lines and then one JSON line with
 * the audit. Exit status 0 only when every figure of ZERO_FIGURES (lost, duplicate_vms, stuck, wrong_state,
 * events_missing, not_terminal_after_deadline, failed_without_reason) is 0 and no secret reached a log.
 */
import { ZERO_FIGURES } from './chaos-audit.js';
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
  const zero = ZERO_FIGURES.every((figure) => report[figure] === 0);
  process.exitCode = zero && report.secretsInLogs === 0 ? 0 : 1;
}
