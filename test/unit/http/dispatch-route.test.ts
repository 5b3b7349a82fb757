import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors/app-error';
import { dispatchRoute, type FailureLogger } from '#shared/http/dispatch-route';
import { PoolDegradedError } from '#shared/pools/model/pool-errors';

type Line = { level: 'info' | 'warn' | 'error'; message: string; extra: Record<string, unknown> };

const recordingLogger = () => {
  const lines: Line[] = [];
  const at =
    (level: Line['level']) =>
    (message: string, extra: unknown): void =>
      void lines.push({ level, message, extra: extra as Record<string, unknown> });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } as unknown as FailureLogger };
};

const failing = (err: unknown) => {
  const { lines, logger } = recordingLogger();
  const routes = {
    'POST /v1/pools/{name}/claim': async () => {
      throw err;
    },
  };
  const event = { routeKey: 'POST /v1/pools/{name}/claim' } as APIGatewayProxyEventV2;
  return { lines, dispatch: () => dispatchRoute(routes, event, {} as Context, logger) };
};

describe('HTTP: dispatchRoute logs failures as loudly as their code says', () => {
  it('logs a degraded pool at warn with its code and no stack', async () => {
    // Prepare
    const { lines, dispatch } = failing(new PoolDegradedError('linux', '2026-11-25T12:05:00.000Z', undefined));
    // Act
    const response = await dispatch();
    // Assess
    expect(response.statusCode).toBe(503);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'request refused',
        extra: expect.objectContaining({ status: 503, code: 'POOL_DEGRADED' }),
      },
    ]);
    expect(lines[0]?.extra).not.toHaveProperty('error');
  });

  it("logs a caller's mistake at info", async () => {
    // Prepare
    const { lines, dispatch } = failing(new ValidationError([{ field: 'claimedBy', message: 'too long' }]));
    // Act
    await dispatch();
    // Assess
    expect(lines.map((l) => [l.level, l.extra['code']])).toEqual([['info', 'VALIDATION_FAILED']]);
  });

  it('logs an unexpected failure at error with the error itself', async () => {
    // Prepare
    const bug = new TypeError('undefined is not a function');
    const { lines, dispatch } = failing(bug);
    // Act
    const response = await dispatch();
    // Assess
    expect(response.statusCode).toBe(500);
    expect(lines).toEqual([
      { level: 'error', message: 'request failed', extra: expect.objectContaining({ error: bug }) },
    ]);
  });
});
