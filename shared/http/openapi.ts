import * as z from 'zod';
import { JobViewSchema } from '../clones/api/job-view-schema.js';
import { ListQuerySchema } from '../clones/api/list-query.js';
import { CloneRequestSchema } from '../clones/model/clone-request.js';
import { PoolViewSchema, poolPaths } from '../pools/api/openapi-pool-paths.js';
import { StatsQuerySchema } from '../stats/api/stats-query.js';
import { StatsViewSchema } from '../stats/api/stats-view-schema.js';
import { StatusReportSchema } from '../status/model/status-report.js';

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

const json = (ref: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const errors = {
  '400': { description: 'The body or a parameter is invalid; `details` names each field', ...json('Error') },
  '401': { description: 'Missing or wrong credentials', ...json('Error') },
  '413': { description: 'Over a request limit (README: Request limits); `details` names the field', ...json('Error') },
  '415': { description: 'A body whose Content-Type is not application/json', ...json('Error') },
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
      get: {
        operationId: 'listClones',
        summary:
          'List jobs by status and label, oldest (or with `order=newest`, newest) first; follow `cursor` until it is absent',
        parameters: Object.entries(jsonSchema(ListQuerySchema, 'input').properties as Record<string, unknown>).map(
          ([name, schema]) => ({ name, in: 'query', required: false, schema }),
        ),
        responses: {
          '200': {
            description: 'One page of jobs',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    jobs: { type: 'array', items: { $ref: '#/components/schemas/CloneJob' } },
                    cursor: { type: 'string' },
                  },
                  required: ['jobs'],
                },
              },
            },
          },
          ...errors,
        },
      },
      post: {
        operationId: 'createClone',
        summary: 'Queue an instant clone of a running VM',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', maxLength: 255 },
            description:
              'Retries with the same key and body (for a day) return the same jobs, as they are now, and never make more; another body is a 409',
          },
        ],
        requestBody: { required: true, ...json('CloneRequest') },
        responses: {
          '202': {
            description: 'Accepted: the job, QUEUED (with `count` > 1: `{"jobs": [...]}`)',
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/CloneJob' },
                    {
                      type: 'object',
                      properties: { jobs: { type: 'array', items: { $ref: '#/components/schemas/CloneJob' } } },
                      required: ['jobs'],
                    },
                  ],
                },
              },
            },
          },
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
      delete: {
        operationId: 'destroyClone',
        summary: 'Destroy the clone (at once, or right after it is made when the job is still QUEUED or RUNNING)',
        parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '202': {
            description: 'The job, DESTROYING (or as it is when there is nothing to destroy)',
            ...json('CloneJob'),
          },
          ...errors,
          '404': { description: 'No such job', ...json('Error') },
        },
      },
    },
    ...poolPaths(json, jsonSchema, errors),
    '/v1/stats': {
      get: {
        operationId: 'getStats',
        summary:
          'Figures of the last `window` from job timestamps: accept → SUCCEEDED percentiles, queue depth, pools, GitHub runners',
        parameters: Object.entries(jsonSchema(StatsQuerySchema, 'input').properties as Record<string, unknown>).map(
          ([name, schema]) => ({ name, in: 'query', required: false, schema }),
        ),
        responses: {
          '200': { description: 'The figures, over the jobs the caller may read', ...json('Stats') },
          ...errors,
          '403': { description: 'The policy does not let the caller list jobs', ...json('Error') },
        },
      },
    },
    '/v1/health': {
      get: {
        operationId: 'health',
        summary: 'The API answers (cheap, unauthenticated; for load balancers). `/v1/status` says how the service is',
        security: [],
        responses: { '200': { description: 'Up' } },
      },
    },
    '/v1/status': {
      get: {
        operationId: 'status',
        summary:
          'For operators: vCenter login (ok or the error, latency, API version), queue and DLQ depths, jobs per status and the oldest unfinished job',
        responses: {
          '200': {
            description: 'The status, also when vCenter fails (then `vcenter.status` is `error`)',
            ...json('Status'),
          },
          '401': errors['401'],
          '403': { description: 'A policy exists and does not make the caller an admin', ...json('Error') },
        },
      },
    },
    '/': {
      get: {
        operationId: 'consolePage',
        summary: 'The web console (HTML): it holds no data, it reads the routes of this API with the caller’s auth',
        security: [],
        responses: { '200': { description: 'The page', content: { 'text/html': {} } } },
      },
    },
    '/console/{file}': {
      get: {
        operationId: 'consoleFile',
        summary: 'One of the console’s files (`app.js`, `app.css`), revalidated by ETag',
        security: [],
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The file' },
          '304': { description: 'Unchanged since the ETag given in If-None-Match' },
          '404': { description: 'No such file', ...json('Error') },
        },
      },
    },
    '/v1/openapi.json': {
      get: { operationId: 'openapi', security: [], responses: { '200': { description: 'This document' } } },
    },
  },
  components: {
    schemas: {
      CloneRequest: jsonSchema(CloneRequestSchema, 'input'),
      CloneJob: jsonSchema(JobViewSchema, 'output'),
      Pool: jsonSchema(PoolViewSchema, 'output'),
      Stats: jsonSchema(StatsViewSchema, 'output'),
      Status: jsonSchema(StatusReportSchema, 'output'),
      Error: jsonSchema(ErrorSchema, 'output'),
    },
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "An OIDC token of an issuer the policy lists (on AWS, sent to that issuer's own API, whose JWT authorizer " +
          'checks issuer and audience), or, with `npm start`, a named token (`npm run tokens`).',
      },
      sigv4: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'AWS Signature Version 4 (service `execute-api`) on the main API: the caller is its IAM principal.',
      },
    },
  },
  security: [{ bearer: [] }, { sigv4: [] }],
});
