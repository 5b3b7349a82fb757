import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { CLAIMED_BY_LABEL, POOL_LABEL } from '../../pools/model/pool.js';
import type { PoolClaim, PoolClaims } from '../../pools/ports/pool-ports.js';
import type { CloneJob } from '../model/clone-job.js';
import { keyOf, toJob } from './dynamodb-job-repository.js';

/** The conditions a spare must still meet at the moment of the claim, by name. */
const CLAIMABLE = [
  '#status = :succeeded',
  // The worker is done with it: its last write (the announcement) happened, so no stale worker write can follow.
  '#announced = :succeeded',
  '#request.#labels.#pool = :pool',
  'attribute_not_exists(#request.#labels.#claimedBy)',
  'attribute_not_exists(#destroyRequested)',
].join(' AND ');

/**
 * The pools' PoolClaims port on the job items themselves (so it lives beside the job repository, whose key and item
 * mapping it shares): one conditional UpdateItem labels the clone with its claimer (inside `request.labels`, so
 * views and events show it), starts its lease and bumps `version`, so any write prepared on the unclaimed job (a
 * scaler retiring it, a second claim) fails instead of acting on a claimed clone.
 */
export class DynamoDbPoolClaims implements PoolClaims {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  async claimSpare(jobId: string, claim: PoolClaim): Promise<CloneJob | undefined> {
    // Extra labels never overwrite the pool's own (if_not_exists keeps a label the clone already has).
    const extra = Object.entries(claim.labels ?? {}).filter(([key]) => key !== POOL_LABEL && key !== CLAIMED_BY_LABEL);
    const setExtra = extra.map(
      (_, i) => `, #request.#labels.#extra${i} = if_not_exists(#request.#labels.#extra${i}, :extra${i})`,
    );
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(jobId),
          UpdateExpression:
            'SET #request.#labels.#claimedBy = :claimedBy, #leaseExpiresAt = :lease, #claimedAt = :now, #updatedAt = :now, #version = #version + :one' +
            (claim.requestedBy ? ', #requestedBy = :requestedBy' : '') +
            setExtra.join(''),
          ConditionExpression: CLAIMABLE,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#announced': 'announced',
            '#request': 'request',
            '#labels': 'labels',
            '#pool': POOL_LABEL,
            '#claimedBy': CLAIMED_BY_LABEL,
            '#destroyRequested': 'destroyRequested',
            '#leaseExpiresAt': 'leaseExpiresAt',
            '#claimedAt': 'claimedAt',
            ...(claim.requestedBy && { '#requestedBy': 'requestedBy' }),
            '#updatedAt': 'updatedAt',
            '#version': 'version',
            ...Object.fromEntries(extra.map(([key], i) => [`#extra${i}`, key])),
          },
          ExpressionAttributeValues: {
            ':succeeded': 'SUCCEEDED',
            ':pool': claim.pool,
            ':claimedBy': claim.claimedBy,
            ...(claim.requestedBy && { ':requestedBy': claim.requestedBy }),
            ':lease': claim.leaseExpiresAt,
            ':now': claim.now.toISOString(),
            ':one': 1,
            ...Object.fromEntries(extra.map(([, value], i) => [`:extra${i}`, value])),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toJob(Attributes ?? {});
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }
}
