import { silentLogger } from '#local/local-logger';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#local/stack';

/**
 * `npm start`'s stack as the integration tests run it: 20 ms simulator tasks, a 10 s worker timeout, a 2 s
 * visibility timeout (redeliveries come quickly) and no log output. `options` override each of these.
 */
export const startTestStack = (options: LocalStackOptions = {}): Promise<LocalStack> =>
  startLocalStack({
    workerTimeoutMs: 10_000,
    visibilityTimeoutSeconds: 2,
    logger: silentLogger,
    ...options,
    simulator: { taskDurationMs: 20, ...options.simulator },
  });
