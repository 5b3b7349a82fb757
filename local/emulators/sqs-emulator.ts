import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import {
  CLONE_QUEUE_MAX_RECEIVE_COUNT,
  CLONE_QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  RESOURCE_NAMES,
} from '#shared/config/resources';
import { LOCAL_REGION } from '../local-aws.js';
import { clientPool, once } from './client-pool.js';

export type SqsEmulatorOptions = {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Clone queue visibility timeout; defaults to the deployed value from `shared/config/resources`. */
  visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the DLQ; defaults to the deployed value. */
  maxReceiveCount?: number;
};

export type SqsEmulator = {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` to every SQS client. */
  endpoint: string;
  region: string;
  /** Clone queue URL. Its host (`sqs.<region>.localhost`) does not resolve: clients need `endpoint`. */
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
  /** A new SQS client bound to this emulator; destroyed by `close()`. */
  client(): SQSClient;
  /** Stops the server (cancelling parked long polls) and destroys every client handed out. Idempotent. */
  close(): Promise<void>;
};

/**
 * Starts fauxqs in-process on 127.0.0.1 and creates the clone queue and its DLQ, wired with a
 * RedrivePolicy, using the same names as the CDK stack.
 *
 * fauxqs' own `startFauxqs` binds 0.0.0.0, so this builds the app and listens on loopback itself.
 * Fails (rejects) when the port is taken or queue creation fails; the server is closed in that case.
 */
export async function startSqsEmulator(options: SqsEmulatorOptions = {}): Promise<SqsEmulator> {
  const app = buildApp({ logger: false, defaultRegion: LOCAL_REGION });
  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const endpoint = address.replace('localhost', '127.0.0.1');
  const clients = clientPool(SQSClient, endpoint);
  const makeClient = clients.client;
  const close = once(async () => {
    clients.destroyAll();
    await app.close();
  });

  try {
    const admin = makeClient();
    const dlq = await createQueue(admin, RESOURCE_NAMES.cloneDeadLetterQueue, {});
    const queue = await createQueue(admin, RESOURCE_NAMES.cloneQueue, {
      VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? CLONE_QUEUE_VISIBILITY_TIMEOUT_SECONDS),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: options.maxReceiveCount ?? CLONE_QUEUE_MAX_RECEIVE_COUNT,
      }),
    });
    return {
      endpoint,
      region: LOCAL_REGION,
      queueUrl: queue.url,
      queueArn: queue.arn,
      dlqUrl: dlq.url,
      dlqArn: dlq.arn,
      client: makeClient,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const url = created.QueueUrl;
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  const described = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = described.Attributes?.['QueueArn'];
  if (!arn) throw new Error(`GetQueueAttributes ${name} returned no QueueArn`);
  return { url, arn };
}
