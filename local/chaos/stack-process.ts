/**
 * A child-process entry that runs one local stack (`startLocalStack`) and reports where it listens.
 *
 * Anything that kills or restarts the service (the chaos run, the benches that keep their load generator apart from
 * the server) runs the stack through this entry, in a process of its own.
 *
 * Usage: `node --import tsx local/chaos/stack-process.ts '<StackProcessConfig as JSON>'`. It prints one JSON line
 * `{"kind":"instaclone-stack-ready",…}` on stdout (the API token is never printed: the parent chose it), logs the
 * runtime's own lines on stderr, and on SIGTERM closes the stack, forcing an exit after `closeGraceMs`. SIGUSR2 runs a
 * full garbage collection when node was started with `--expose-gc`, then prints one `StackMemory` line on stdout.
 */
import { startLocalStack } from '../stack.js';
import type { LocalStack } from '../stack-options.js';
import { MEMORY_KIND, READY_KIND, type StackMemory, type StackProcessConfig } from './stack-process-config.js';

/** Runs a full collection when node allows one, then measures what the process and the stand-ins hold. */
const memoryOf = (stack: LocalStack): StackMemory => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const simulatorVms = stack.vcsim?.sim.listVms().length;
  const stores = { busEvents: stack.bus.published.length, ...(simulatorVms !== undefined && { simulatorVms }) };
  return { kind: MEMORY_KIND, collected: gc !== undefined, rss, heapUsed, external, arrayBuffers, ...stores };
};

const main = async (): Promise<void> => {
  const config = JSON.parse(process.argv[2] ?? '{}') as StackProcessConfig;
  const stack = await startLocalStack({
    ...(config.dataDir && { dataDir: config.dataDir }),
    apiPort: config.apiPort ?? 0,
    apiToken: config.apiToken,
    ...(config.vcenter && { vcenter: config.vcenter }),
    ...(config.simulator && { simulator: config.simulator }),
    ...(config.workerTimeoutMs !== undefined && { workerTimeoutMs: config.workerTimeoutMs }),
    ...(config.visibilityTimeoutSeconds !== undefined && { visibilityTimeoutSeconds: config.visibilityTimeoutSeconds }),
    ...(config.maxReceiveCount !== undefined && { maxReceiveCount: config.maxReceiveCount }),
    ...(config.maxConcurrency !== undefined && { maxConcurrency: config.maxConcurrency }),
    ...(config.integrations && { integrations: config.integrations }),
    ...(config.logLevel && { logLevel: config.logLevel }),
    ...(config.policy && { policy: config.policy }),
    ...(config.tokens && { tokens: config.tokens }),
    ...(config.retryPolicy && { retryPolicy: config.retryPolicy }),
    // Events go to <dataDir>/events.ndjson; one printed line per event would only slow the child down.
    printEvent: () => {},
  });
  // A memory measurement (the route fuzz) asks for a full collection before it reads the RSS: what the stack keeps,
  // not what it has not yet collected (only when started with --expose-gc), and how much of it is the stand-ins'.
  // Listening before the ready line: a SIGUSR2 sent on it must not find node's default action (exit).
  process.on('SIGUSR2', () => process.stdout.write(`${JSON.stringify(memoryOf(stack))}\n`));
  process.stdout.write(
    `${JSON.stringify({
      kind: READY_KIND,
      pid: process.pid,
      apiUrl: stack.apiUrl,
      vcenterUrl: stack.vcenterUrl,
      sqsEndpoint: stack.sqs.endpoint,
      queueUrl: stack.sqs.queueUrl,
      dlqUrl: stack.sqs.dlqUrl,
      dynamoEndpoint: stack.dynamo.endpoint,
      tableName: stack.dynamo.tableName,
      eventsFile: stack.eventsFile,
      redriven: stack.redriven.length,
    })}\n`,
  );
  const stop = (): void => {
    // In-flight batches may wait on long clone tasks; a bounded close keeps restarts prompt.
    const force = setTimeout(() => process.exit(0), config.closeGraceMs ?? 5_000);
    force.unref();
    void stack.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
};

main().catch((err: unknown) => {
  process.stderr.write(`stack-process failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
