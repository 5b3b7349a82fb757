import { describe, expect, it } from 'vitest';
import { CallerCloneRequestSchema } from '#shared/clones/model/clone-request';
import { parseJsonBody } from '#shared/http/parse-json-body';

describe('HTTP: parsing a JSON body', () => {
  it('refuses a __proto__ key instead of silently dropping it, and names where it is', () => {
    // Act
    const attempt = () =>
      parseJsonBody(CallerCloneRequestSchema, '{"source":{"moref":"vm-1"},"guestinfo":{"__proto__":"x"}}');
    // Assess
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        issues: [expect.objectContaining({ field: 'guestinfo.__proto__' })],
      }),
    );
  });

  it('names the body when it is not JSON', () => {
    // Act
    const attempt = () => parseJsonBody(CallerCloneRequestSchema, '{');
    // Assess
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'INVALID_JSON', issues: [{ field: 'body', message: 'must be a JSON object' }] }),
    );
  });

  it('decodes a base64 body as API Gateway delivers binary payloads', () => {
    // Act
    const request = parseJsonBody(
      CallerCloneRequestSchema,
      Buffer.from('{"source":{"moref":"vm-1"}}').toString('base64'),
      true,
    );
    // Assess
    expect(request.source).toEqual({ moref: 'vm-1' });
  });
});
