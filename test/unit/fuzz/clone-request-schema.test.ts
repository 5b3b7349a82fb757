import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CloneRequestSchema } from '#shared/clones/model/clone-request';
import { toErrorResponse } from '#shared/http/error-response';
import { parseJsonBody } from '#shared/http/parse-json-body';
import { validCloneRequest } from './clone-request-arbitraries.js';
import { mutationOf } from './clone-request-mutations.js';
import { fuzzSettings } from './fuzz-settings.js';

type ErrorBody = { error: { code: string; details?: Array<{ field: string; message: string }> } };

/** The API's answer to a body, exactly as the handler computes it (parse, then map any error to a response). */
const answer = (text: string) => {
  try {
    return { statusCode: 202, parsed: parseJsonBody(CloneRequestSchema, { body: text, headers: {} }) };
  } catch (err) {
    const response = toErrorResponse(err);
    return { statusCode: response.statusCode, error: JSON.parse(String(response.body)) as ErrorBody };
  }
};

describe('Fuzz: POST /v1/clones body (CloneRequestSchema)', () => {
  it('accepts every body the v1 contract allows, keeping source, NICs and guestinfo values', () => {
    fc.assert(
      fc.property(validCloneRequest, (body) => {
        // Act
        const result = answer(JSON.stringify(body));
        // Assess
        expect(result.statusCode).toBe(202);
        expect(result.parsed?.source).toEqual(body.source);
        expect(result.parsed?.nics?.map((n) => n.key)).toEqual(body.nics?.map((n) => n.key));
        expect(Object.values(result.parsed?.guestinfo ?? {})).toEqual(Object.values(body.guestinfo ?? {}));
      }),
      fuzzSettings(),
    );
  });

  it('refuses every broken body with a 400 that names the broken field', () => {
    fc.assert(
      fc.property(
        validCloneRequest.chain((body) => mutationOf(body)),
        (mutation) => {
          // Act
          const result = answer(JSON.stringify(mutation.body));
          // Assess
          expect(result.statusCode, mutation.kind).toBe(400);
          const details = result.error?.error.details ?? [];
          const named = details.some(
            (d) =>
              (d.field === mutation.field || d.field.startsWith(`${mutation.field}.`)) &&
              (mutation.mentions === undefined || d.message.includes(mutation.mentions)),
          );
          expect(named, `${mutation.kind}: ${JSON.stringify(details)}`).toBe(true);
        },
      ),
      fuzzSettings(),
    );
  });

  it('answers 400 naming "body", never 500, for text that is not JSON', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!isJson(text));
        // Act
        const result = answer(text);
        // Assess
        expect(result.statusCode).toBe(400);
        expect(result.error?.error.code).toBe('INVALID_JSON');
      }),
      fuzzSettings(),
    );
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
