import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../local-aws.js';

export type LambdaContextOptions = {
  functionName: string;
  /** The function timeout; the deadline is `now() + timeoutMs` at creation. */
  timeoutMs: number;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
  memoryLimitInMB?: number;
};

/**
 * Builds an aws-lambda `Context` for one invocation. `getRemainingTimeInMillis()` counts down to a real
 * deadline (never below 0), which middy's timeout signal and the worker's task deadlines rely on. Create one
 * per invocation, as Lambda does.
 *
 * Local deviations: nothing enforces the deadline (the caller decides what to do with an overrun), and
 * the deprecated `done`/`succeed`/`fail` callbacks throw because the handlers here are async.
 */
export function makeLambdaContext(options: LambdaContextOptions): Context {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  const { functionName } = options;
  const unsupported = (): never => {
    throw new Error('callback-style Lambda context methods are not supported locally; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
