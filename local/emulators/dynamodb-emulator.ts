import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RESOURCE_NAMES } from '#shared/config/resources';
import { LOCAL_REGION } from '../local-aws.js';
import { clientPool, once } from './client-pool.js';
import { lockDirectory } from './directory-lock.js';
import { closeDynaliteIterators } from './dynalite-iterators.js';
import { ensureJobsTable } from './job-table-setup.js';

/** dynalite ships no types; this is the part of its factory we use. */
type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export type DynamoDbEmulatorOptions = {
  /** Directory of an on-disk LevelDB store (created if missing); in-memory when absent. */
  path?: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
};

export type DynamoDbEmulator = {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` to every DynamoDB client. */
  endpoint: string;
  region: string;
  /** The jobs table name from `RESOURCE_NAMES`, created if it did not exist. */
  tableName: string;
  /** A new DynamoDB client bound to this emulator; destroyed by `close()`. */
  client(): DynamoDBClient;
  /** Destroys handed-out clients, stops the server and closes (flushes) the LevelDB store. Idempotent. */
  close(): Promise<void>;
};

/**
 * Starts dynalite in-process on 127.0.0.1 and creates the jobs table with the deployed key schema and indexes
 * (`JOB_TABLE`; on-demand). An existing table (re-opened `path`) keeps its jobs; one from an older version is
 * upgraded to the current indexes and backfilled, and one left by a killed process is re-indexed (see
 * `ensureJobsTable`). No TTL and no transactions: dynalite lacks UpdateTimeToLive and TransactWriteItems.
 *
 * Rejects with `DirectoryLockedError` when `path` is already open (in this or another live process:
 * dynalite itself would crash the process), and when the port is taken or table creation fails; the
 * server is closed in those cases.
 */
export async function startDynamoDbEmulator(options: DynamoDbEmulatorOptions = {}): Promise<DynamoDbEmulator> {
  closeDynaliteIterators();
  const lock = options.path ? await lockDirectory(options.path) : { release: async () => {}, uncleanStop: false };
  const unlock = lock.release;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.path });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients = clientPool(DynamoDBClient, endpoint);
  const makeClient = clients.client;
  const close = once(async () => {
    clients.destroyAll();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets from callers' own clients would otherwise hold close() open.
      server.closeIdleConnections();
    });
    await unlock();
  });

  try {
    await ensureJobsTable(makeClient(), RESOURCE_NAMES.jobsTable, {
      ...(options.path && { dataPath: options.path }),
      uncleanStop: lock.uncleanStop,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, region: LOCAL_REGION, tableName: RESOURCE_NAMES.jobsTable, client: makeClient, close };
}
