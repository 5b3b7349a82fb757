import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SecretsManagerStandIn = {
  /** `http://127.0.0.1:<port>`: the functions' AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string;
  /** GetSecretValue requests answered so far (each one a billed Secrets Manager call on AWS). */
  readonly calls: number;
  close(): Promise<void>;
};

/**
 * A Secrets Manager stand-in on 127.0.0.1 that answers `GetSecretValue` (JSON 1.1 protocol) for `secrets`, keyed by
 * secret id, and counts the calls: a local stack can read its secrets through the deployed provider and its cache.
 * Anything else answers 400 with Secrets Manager's error shape (unknown id: ResourceNotFoundException).
 */
export async function startSecretsManagerStandIn(secrets: Record<string, string>): Promise<SecretsManagerStandIn> {
  let calls = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
        return answer(400, { __type: 'InvalidRequestException', message: 'only GetSecretValue is served here' });
      calls++;
      let id: unknown;
      try {
        id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: unknown }).SecretId;
      } catch {
        return answer(400, { __type: 'InvalidRequestException', message: 'the body is not JSON' });
      }
      const value = typeof id === 'string' ? secrets[id] : undefined;
      if (value === undefined)
        return answer(400, { __type: 'ResourceNotFoundException', message: 'Secrets Manager cannot find the secret' });
      answer(200, { ARN: id, Name: id, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get calls() {
      return calls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
