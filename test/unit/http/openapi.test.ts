import { describe, expect, it } from 'vitest';
import { CALLBACK_EVENTS } from '#shared/domain/clone-job';
import { openApiDocument } from '#shared/http/openapi';

type CallbacksSchema = { propertyNames?: { enum: string[] }; additionalProperties?: { required: string[] } };

describe('HTTP: the OpenAPI document', () => {
  it('documents the callback outcomes of a job, keyed by event', () => {
    // Act
    const schema = openApiDocument().components.schemas.CloneJob as { properties: { callbacks: CallbacksSchema } };
    // Assess
    expect(schema.properties.callbacks.propertyNames?.enum).toEqual([...CALLBACK_EVENTS]);
    expect(schema.properties.callbacks.additionalProperties?.required).toEqual([
      'state',
      'url',
      'attempts',
      'at',
      'deliveryId',
    ]);
  });
});
