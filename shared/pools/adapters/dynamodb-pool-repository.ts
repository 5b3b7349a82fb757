import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '../../aws/dynamodb-document-client.js';
import { updateExpression } from '../../aws/dynamodb-update-expression.js';
import { JOB_TABLE } from '../../config/resources.js';
import type { Pool, PoolSpec, ScalingState } from '../model/pool.js';
import type { PoolRepository } from '../ports/pool-ports.js';

const { partitionKey: PK, statusIndex } = JOB_TABLE;
/** Pools share the status index under one partition of their own, so listing them is a Query, never a Scan. */
const POOLS_PARTITION = 'POOLS';
const keyOf = (name: string) => ({ [PK]: `POOL#${name}` });
const INTERNAL = new Set<string>([PK, statusIndex.partitionKey, statusIndex.sortKey]);
const toPool = (item: Record<string, unknown>): Pool =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as Pool;

const isConditionFailure = (err: unknown) => err instanceof ConditionalCheckFailedException;

/**
 * PoolRepository on the job table: one item per pool (`pk = POOL#<name>`), listed through the status index under
 * its own partition. The scaling lease is a conditional write on `lockUntil`/`lockOwner`; no transactions, so it
 * runs on dynalite too.
 */
export class DynamoDbPoolRepository implements PoolRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = makeDocumentClient(client);
  }

  async put(name: string, spec: PoolSpec, now: Date): Promise<{ pool: Pool; created: boolean }> {
    const at = now.toISOString();
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(name),
        UpdateExpression:
          'SET #name = :name, #spec = :spec, #updatedAt = :at, #createdAt = if_not_exists(#createdAt, :at), ' +
          '#version = if_not_exists(#version, :zero) + :one, #epoch = if_not_exists(#epoch, :zero), ' +
          '#outstanding = if_not_exists(#outstanding, :none), #sourceCursor = if_not_exists(#sourceCursor, :zero), ' +
          '#failureStreak = :zero, #gpk = :partition, #gsk = :name ' +
          'REMOVE #backoffUntil, #degradedSince, #degradedReason',
        ExpressionAttributeNames: {
          ...Object.fromEntries(
            ['name', 'spec', 'updatedAt', 'createdAt', 'version', 'epoch', 'outstanding', 'sourceCursor']
              .concat(['failureStreak', 'backoffUntil', 'degradedSince', 'degradedReason'])
              .map((f) => [`#${f}`, f]),
          ),
          '#gpk': statusIndex.partitionKey,
          '#gsk': statusIndex.sortKey,
        },
        ExpressionAttributeValues: {
          ...{ ':name': name, ':spec': spec, ':at': at, ':zero': 0, ':one': 1, ':none': [] },
          ':partition': POOLS_PARTITION,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const pool = toPool(Attributes ?? {});
    return { pool, created: pool.version === 1 };
  }

  async get(name: string): Promise<Pool | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(name), ConsistentRead: true }),
    );
    return Item ? toPool(Item) : undefined;
  }

  async list(): Promise<Pool[]> {
    const pools: Pool[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: statusIndex.name,
          KeyConditionExpression: '#gpk = :partition',
          ExpressionAttributeNames: { '#gpk': statusIndex.partitionKey },
          ExpressionAttributeValues: { ':partition': POOLS_PARTITION },
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      pools.push(...(page.Items ?? []).map(toPool));
      start = page.LastEvaluatedKey;
    } while (start);
    return pools;
  }

  async delete(name: string): Promise<boolean> {
    const { Attributes } = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: keyOf(name), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async acquireScaling(
    name: string,
    lease: { owner: string; now: Date; leaseMs: number },
  ): Promise<Pool | 'busy' | undefined> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(name),
          UpdateExpression:
            'SET #lockOwner = :owner, #lockUntil = :until, #epoch = #epoch + :one, #version = #version + :one REMOVE #dirty',
          ConditionExpression: 'attribute_exists(#pk) AND (attribute_not_exists(#lockUntil) OR #lockUntil < :now)',
          ExpressionAttributeNames: {
            '#pk': PK,
            '#lockOwner': 'lockOwner',
            '#lockUntil': 'lockUntil',
            '#epoch': 'epoch',
            '#version': 'version',
            '#dirty': 'dirty',
          },
          ExpressionAttributeValues: {
            ':owner': lease.owner,
            ':until': new Date(lease.now.getTime() + lease.leaseMs).toISOString(),
            ':now': lease.now.toISOString(),
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toPool(Attributes ?? {});
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return (await this.get(name)) ? 'busy' : undefined;
    }
  }

  async markDirty(name: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(name),
          UpdateExpression: 'SET #dirty = :yes',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#dirty': 'dirty' },
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async releaseScaling(name: string, owner: string, state: ScalingState): Promise<{ dirty: boolean; lost: boolean }> {
    const optional = ['backoffUntil', 'degradedSince', 'degradedReason'] as const;
    const { expression, names, values } = updateExpression(
      {
        outstanding: state.outstanding,
        failureStreak: state.failureStreak,
        sourceCursor: state.sourceCursor,
        lastScaledAt: state.lastScaledAt,
        ...Object.fromEntries(optional.filter((f) => state[f] !== undefined).map((f) => [f, state[f]])),
      },
      ['lockOwner', 'lockUntil', ...optional.filter((f) => state[f] === undefined)],
    );
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(name),
          UpdateExpression: `${expression.replace('SET ', 'SET #version = #version + :one, ')}`,
          ConditionExpression: '#lockOwner = :owner',
          ExpressionAttributeNames: { ...names, '#version': 'version', '#lockOwner': 'lockOwner' },
          ExpressionAttributeValues: { ...values, ':one': 1, ':owner': owner },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { dirty: Attributes?.dirty === true, lost: false };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return { dirty: false, lost: true };
    }
  }
}
