import { makeLambdaContext } from '#local/lambda/lambda-context';
import type { LocalStack } from '#local/stack';
import { type FunctionName, serviceNameOf } from '#shared/composition/service-functions';

/** Invokes one function of `stack` directly, as Lambda's Invoke would (one reconciler or scaler pass). */
export const invokeFunction = (stack: LocalStack, fn: FunctionName, event: unknown): Promise<unknown> =>
  stack.handlers[fn](event, makeLambdaContext({ functionName: serviceNameOf(fn), timeoutMs: 60_000 }));
