import * as z from 'zod';
import { CALLBACK_EVENTS, type JobCallback } from '../domain/clone-job.js';
import { CloneRequestSchema } from '../domain/clone-request.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

const JobCallbackSchema = z
  .object({
    state: z.enum(['delivered', 'failed', 'refused']),
    url: z.string(),
    attempts: z.number().int().min(0).describe('0 when refused (never tried)'),
    status: z.number().int().min(100).max(599).optional().describe('HTTP status of the last answer'),
    reason: z.string().optional().describe('Why it failed or was refused'),
    at: z.string().describe('When the delivery ended'),
    deliveryId: z.string().describe('The X-Instaclone-Delivery header the receiver got'),
  })
  .describe('The last delivery of one event’s callback') satisfies z.ZodType<JobCallback>;

const JobViewSchema = z.object({
  jobId: z.string(),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']),
  request: z.record(z.string(), z.unknown()),
  vmName: z.string(),
  vm: z
    .object({
      moref: z.string(),
      name: z.string(),
      nics: z.array(z.object({ key: z.number(), mac: z.string(), addressType: z.string() })),
    })
    .optional(),
  task: z.object({ moref: z.string() }).optional(),
  error: z
    .object({ code: z.string(), fault: z.string().optional(), message: z.string(), retryable: z.boolean() })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  callbacks: z
    .partialRecord(z.enum(CALLBACK_EVENTS), JobCallbackSchema)
    .optional()
    .describe('The last callback to `request.callbackUrl` per event; an event appears once its callback was sent'),
});

const json = (ref: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const errors = {
  '400': { description: 'The body or a parameter is invalid; `details` names each field', ...json('Error') },
  '401': { description: 'Missing or wrong credentials', ...json('Error') },
};

/**
 * The OpenAPI 3.1 document of the v1 API, generated from the same zod schemas that validate requests,
 * so the document cannot drift from what the API accepts.
 */
export const openApiDocument = () => ({
  openapi: '3.1.0',
  info: { title: 'instaclone', version: '1', description: 'vSphere Instant Clone as an event-driven service' },
  paths: {
    '/v1/clones': {
      post: {
        operationId: 'createClone',
        summary: 'Queue an instant clone of a running VM',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description: 'Retries with the same key and body return the same job; another body is a 409',
          },
        ],
        requestBody: { required: true, ...json('CloneRequest') },
        responses: {
          '202': { description: 'Accepted: the job, QUEUED', ...json('CloneJob') },
          ...errors,
          '409': { description: 'Idempotency-Key reused with another body', ...json('Error') },
        },
      },
    },
    '/v1/clones/{jobId}': {
      get: {
        operationId: 'getClone',
        parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The job', ...json('CloneJob') },
          ...errors,
          '404': { description: 'No such job', ...json('Error') },
        },
      },
    },
    '/v1/health': { get: { operationId: 'health', security: [], responses: { '200': { description: 'Up' } } } },
    '/v1/openapi.json': {
      get: { operationId: 'openapi', security: [], responses: { '200': { description: 'This document' } } },
    },
  },
  components: {
    schemas: {
      CloneRequest: jsonSchema(CloneRequestSchema, 'input'),
      CloneJob: jsonSchema(JobViewSchema, 'output'),
      Error: jsonSchema(ErrorSchema, 'output'),
    },
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer' },
      sigv4: { type: 'apiKey', in: 'header', name: 'Authorization' },
    },
  },
  security: [{ bearer: [] }, { sigv4: [] }],
});
