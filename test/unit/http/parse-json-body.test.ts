import { describe, expect, it } from 'vitest';
import { CallerCloneRequestSchema } from '#shared/clones/model/clone-request';
import { MAX_JSON_DEPTH, parseJsonBody, parseJsonText } from '#shared/http/parse-json-body';

const json = (body: string, contentType?: string) => ({
  body,
  headers: contentType === undefined ? {} : { 'content-type': contentType },
});

describe('HTTP: parsing a JSON body', () => {
  it('refuses a __proto__ key instead of silently dropping it, and names where it is', () => {
    // Act
    const attempt = () =>
      parseJsonBody(CallerCloneRequestSchema, json('{"source":{"moref":"vm-1"},"guestinfo":{"__proto__":"x"}}'));
    // Assess
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        issues: [expect.objectContaining({ field: 'guestinfo.__proto__' })],
      }),
    );
  });

  it('keeps constructor, prototype and toString as ordinary keys', () => {
    // Act
    const request = parseJsonBody(
      CallerCloneRequestSchema,
      json('{"source":{"moref":"vm-1"},"labels":{"constructor":"a","prototype":"b","toString":"c"}}'),
    );
    // Assess
    expect(request.labels).toEqual({ constructor: 'a', prototype: 'b', toString: 'c' });
    expect(Object.keys(request.labels ?? {})).toEqual(['constructor', 'prototype', 'toString']);
  });

  it('refuses 10,000 nested arrays with a 400 naming the body, without running out of stack', () => {
    // Prepare
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    // Act
    const attempt = () => parseJsonText(deep);
    // Assess
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        issues: [{ field: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
      }),
    );
  });

  it('counts brackets inside strings as text, not as nesting', () => {
    // Act
    const value = parseJsonText(JSON.stringify({ a: '['.repeat(1000), b: '\\"[[[' }));
    // Assess
    expect(value).toEqual({ a: '['.repeat(1000), b: '\\"[[[' });
  });

  it('names the body when it is not JSON', () => {
    // Act
    const attempt = () => parseJsonBody(CallerCloneRequestSchema, json('{'));
    // Assess
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'INVALID_JSON', issues: [{ field: 'body', message: 'must be a JSON object' }] }),
    );
  });

  it.each(['text/plain', 'image/png', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'])(
    'refuses a %s body with 415 naming Content-Type, before reading it',
    (contentType) => {
      // Act
      const attempt = () => parseJsonBody(CallerCloneRequestSchema, json('{"source":{"moref":"vm-1"}}', contentType));
      // Assess
      expect(attempt).toThrow(
        expect.objectContaining({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          issues: [expect.objectContaining({ field: 'Content-Type' })],
        }),
      );
    },
  );

  it.each(['application/json', 'Application/JSON; charset=UTF-8', 'application/merge-patch+json', undefined])(
    'reads a body sent as %s',
    (contentType) => {
      // Act
      const request = parseJsonBody(CallerCloneRequestSchema, json('{"source":{"moref":"vm-1"}}', contentType));
      // Assess
      expect(request.source).toEqual({ moref: 'vm-1' });
    },
  );

  it('decodes a base64 body as API Gateway delivers binary payloads', () => {
    // Act
    const request = parseJsonBody(CallerCloneRequestSchema, {
      body: Buffer.from('{"source":{"moref":"vm-1"}}').toString('base64'),
      isBase64Encoded: true,
      headers: {},
    });
    // Assess
    expect(request.source).toEqual({ moref: 'vm-1' });
  });
});
