import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack';
import { startTestStack } from '#test/support/test-stack';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('A signed route whose secret is not set', () => {
  it.each([
    ['/v1/hooks/generic', 'generic', 'GENERIC_HOOK_SECRET'],
    ['/v1/hooks/github', 'github', 'GITHUB_WEBHOOK_SECRET'],
    ['/v1/chat/slack', 'slack', 'SLACK_SIGNING_SECRET'],
  ])('%s answers 404 HOOK_OFF naming the variable that turns it on', async (path, hook, variable) => {
    // Act
    const res = await fetch(`${stack.apiUrl}${path}`, { method: 'POST', body: '{}' });
    // Assess
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 404,
      body: {
        error: {
          code: 'HOOK_OFF',
          message: `The ${hook} hook is off: set ${variable} (${variable}_ARN on AWS) to turn it on`,
        },
      },
    });
  });
});
