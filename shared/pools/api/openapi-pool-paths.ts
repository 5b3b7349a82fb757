import * as z from 'zod';
import { ClaimRequestSchema, PoolSpecSchema, ReleaseRequestSchema } from '../model/pool.js';
import type { PoolView } from '../model/pool-view.js';

/** A pool as `GET /v1/pools/{name}` shows it (`toPoolView`). */
export const PoolViewSchema = z
  .object({
    name: z.string(),
    spec: PoolSpecSchema,
    status: z.object({
      degraded: z.boolean(),
      failureStreak: z.number().int(),
      degradedSince: z.string().optional(),
      degradedReason: z.string().optional(),
      backoffUntil: z.string().optional().describe('No clones are submitted before this time'),
      lastScaledAt: z.string().optional(),
      ready: z.number().int().optional().describe('Unclaimed clones ready to hand out'),
      inFlight: z.number().int().optional().describe('Unclaimed clones still being made'),
      claimed: z.number().int().optional().describe('Claimed clones still alive'),
    }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict() satisfies z.ZodType<PoolView>;

type Ref = (name: string) => { content: { 'application/json': { schema: { $ref: string } } } };
type Schema = (schema: z.ZodType, io: 'input' | 'output') => Record<string, unknown>;

/**
 * The warm-pool routes of the OpenAPI document (served by the pool API function when warm pools are on), with
 * bodies from the schemas the routes validate with.
 */
export const poolPaths = (json: Ref, jsonSchema: Schema, errors: Record<string, unknown>) => {
  const name = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  const body = (schema: z.ZodType) => ({
    required: true,
    content: { 'application/json': { schema: jsonSchema(schema, 'input') } },
  });
  const object = (properties: Record<string, unknown>, required: string[]) => ({
    content: { 'application/json': { schema: { type: 'object', properties, required } } },
  });
  const clone = { $ref: '#/components/schemas/CloneJob' };
  const notFound = { '404': { description: 'No such pool (or job)', ...json('Error') } };
  const claimed = object({ pool: { type: 'string' }, source: { enum: ['spare', 'fresh'] }, clone }, [
    'pool',
    'source',
    'clone',
  ]);
  return {
    '/v1/pools': {
      get: {
        operationId: 'listPools',
        responses: {
          '200': {
            description: 'Every pool',
            ...object({ pools: { type: 'array', items: { $ref: '#/components/schemas/Pool' } } }, ['pools']),
          },
          ...errors,
        },
      },
    },
    '/v1/pools/{name}': {
      put: {
        operationId: 'putPool',
        summary: 'Create a pool or replace its spec (which also clears a degraded state)',
        parameters: [name],
        requestBody: body(PoolSpecSchema),
        responses: {
          '201': { description: 'Created', ...json('Pool') },
          '200': { description: 'Replaced', ...json('Pool') },
          ...errors,
        },
      },
      get: {
        operationId: 'getPool',
        parameters: [name],
        responses: { '200': { description: 'The pool with live counts', ...json('Pool') }, ...errors, ...notFound },
      },
      delete: {
        operationId: 'deletePool',
        summary: 'Remove the pool and destroy its spares (claimed clones keep their lease)',
        parameters: [name],
        responses: {
          '202': {
            description: 'Removed',
            ...object({ pool: { type: 'string' }, retired: { type: 'array', items: { type: 'string' } } }, [
              'pool',
              'retired',
            ]),
          },
          ...errors,
          ...notFound,
        },
      },
    },
    '/v1/pools/{name}/claim': {
      post: {
        operationId: 'claimFromPool',
        parameters: [name],
        requestBody: { ...body(ClaimRequestSchema), required: false },
        responses: {
          '200': { description: 'A ready spare', ...claimed },
          '202': { description: 'No spare was ready: a fresh clone, still queued', ...claimed },
          ...errors,
          ...notFound,
          '502': { description: 'VCENTER_FAULT: vCenter refused to say whose VM a spare is', ...json('Error') },
          '503': {
            description:
              'POOL_DEGRADED: no spare, and the pool is backing off; VCENTER_UNAVAILABLE: vCenter could not say ' +
              'whose VM a spare is (nothing is handed out unverified)',
            ...json('Error'),
          },
        },
      },
    },
    '/v1/pools/{name}/release': {
      post: {
        operationId: 'releasePoolClone',
        summary: 'Give a claimed clone back: it is destroyed and the pool replenishes',
        parameters: [name],
        requestBody: body(ReleaseRequestSchema),
        responses: {
          '202': { description: 'Released', ...object({ pool: { type: 'string' }, clone }, ['pool', 'clone']) },
          ...errors,
          ...notFound,
        },
      },
    },
  };
};
