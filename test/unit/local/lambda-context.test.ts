import { describe, expect, it } from 'vitest';
import { makeLambdaContext } from '#local/lambda/lambda-context';

describe('makeLambdaContext', () => {
  it('counts the remaining time down from the deadline set at creation', () => {
    // Prepare
    let clock = 1_000;
    const context = makeLambdaContext({ functionName: 'worker', timeoutMs: 5_000, now: () => clock });

    // Act
    clock += 1_500;
    const remaining = context.getRemainingTimeInMillis();

    // Assess
    expect(remaining).toBe(3_500);
  });

  it('never reports negative remaining time after the deadline', () => {
    // Prepare
    let clock = 0;
    const context = makeLambdaContext({ functionName: 'worker', timeoutMs: 100, now: () => clock });

    // Act
    clock = 10_000;

    // Assess
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('fills the identity fields a Lambda runtime provides', () => {
    // Act
    const context = makeLambdaContext({ functionName: 'clone-worker', timeoutMs: 1_000 });

    // Assess
    expect(context).toMatchObject({
      functionName: 'clone-worker',
      functionVersion: '$LATEST',
      invokedFunctionArn: expect.stringMatching(/^arn:aws:lambda:[\w-]+:\d{12}:function:clone-worker$/),
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(makeLambdaContext({ functionName: 'x', timeoutMs: 1 }).awsRequestId).not.toBe(context.awsRequestId);
  });
});
