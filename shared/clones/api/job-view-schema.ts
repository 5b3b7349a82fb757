import * as z from 'zod';
import { PrincipalSchema } from '../../access/model/principal.js';
import { CALLBACK_EVENTS, type CloneJobView, JOB_STATUSES, type JobCallback } from '../model/clone-job.js';
import { CloneRequestSchema } from '../model/clone-request.js';
import { STORED_TEXT_LIMITS } from '../model/stored-text.js';

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

const ErrorCauseSchema = z.object({
  code: z.string(),
  fault: z.string().optional().describe('The vSphere fault type, e.g. InvalidPowerState'),
  message: z
    .string()
    .describe(
      `At most ${STORED_TEXT_LIMITS.messageBytes} bytes (UTF-8); a longer one is cut, ending in "… [truncated: N characters in all]"`,
    ),
});

/**
 * A job as the API shows it (`toJobView`), for the OpenAPI document. test/unit/http/openapi.test.ts checks it
 * against a view of a job with every field set, both ways, so neither can gain a field the other lacks.
 */
export const JobViewSchema = z
  .object({
    jobId: z.string(),
    status: z.enum(JOB_STATUSES),
    request: CloneRequestSchema,
    requestedBy: PrincipalSchema.optional().describe(
      'Who asked: `id` (an IAM ARN, `oidc:<issuer>#<sub>`, `token:<name>`, `hook:generic`, `github:<installation>`, `slack:<team>/<user>`, `service:<part>`), `kind` and the attributes the policy matched on; absent on jobs made before principals',
    ),
    vmName: z.string(),
    labels: z.record(z.string(), z.string()),
    vm: z
      .object({
        moref: z.string(),
        name: z.string(),
        nics: z.array(z.object({ key: z.number(), mac: z.string(), addressType: z.string() })),
        ipAddress: z.string().optional().describe('With `waitFor: ip`: the address the guest took'),
      })
      .optional(),
    task: z.object({ moref: z.string() }).optional(),
    macs: z
      .array(
        z.object({
          key: z.number().optional(),
          label: z.string().optional(),
          mac: z.string(),
          range: z.string().optional().describe('The managed range it was allocated from (`"mac": "range:<name>"`)'),
        }),
      )
      .optional()
      .describe(
        'The MACs the job holds for its NICs from submit until it ends without a clone or its clone is destroyed',
      ),
    error: z
      .object({
        code: z.string(),
        fault: z.string().optional(),
        message: z.string(),
        retryable: z.boolean(),
        cause: ErrorCauseSchema.optional().describe('With DEADLINE_EXCEEDED and RETRIES_EXHAUSTED: the last error'),
      })
      .optional(),
    deadlineAt: z.string().optional().describe('When the job must have ended (from `timeoutMinutes`, default 15)'),
    attempts: z.number().int().min(1).optional().describe('Attempts started so far, the first one included'),
    lastError: ErrorCauseSchema.extend({ at: z.string() }).optional().describe('The last failed attempt’s error'),
    nextAttemptAt: z.string().optional().describe('While a failed attempt waits for its retry: when it starts'),
    leaseExpiresAt: z.string().optional().describe('When the clone is destroyed (from `ttlMinutes` or a pool claim)'),
    createdAt: z.string(),
    updatedAt: z.string(),
    readyAt: z.string().optional().describe('When the clone was ready (task done, or guest IP known)'),
    configuredAt: z.string().optional().describe('When late guestinfo (a warm runner’s JIT config) was set'),
    queuedAt: z.string().optional().describe('When the message that started the clone was sent to the queue'),
    startedAt: z
      .string()
      .optional()
      .describe('When a worker took the job (QUEUED → RUNNING): the end of its queue time'),
    taskStartedAt: z.string().optional().describe('When the latest InstantClone_Task was created'),
    taskEndedAt: z.string().optional().describe('When that task ended, in success or in error'),
    claimedAt: z.string().optional().describe('When a warm-pool clone was claimed'),
    destroyedAt: z.string().optional().describe('When the clone was destroyed'),
    callbacks: z
      .partialRecord(z.enum(CALLBACK_EVENTS), JobCallbackSchema)
      .optional()
      .describe('The last callback to `request.callbackUrl` per event; an event appears once its callback was sent'),
  })
  .strict() satisfies z.ZodType<CloneJobView>;
