import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 (or HMAC-SHA256 when given a secret) in the shape SignatureV4 wants, on node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const toBuffer = (data: string | ArrayBuffer | ArrayBufferView): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** The region in an API Gateway URL (`https://abc.execute-api.eu-west-1.amazonaws.com`), if it has one. */
export const regionFromUrl = (url: URL): string | undefined =>
  url.hostname.match(/\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/)?.[1];

/** Static AWS credentials (tests); the CLI uses the default chain. */
export type AwsCredentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export type SignRequest = (request: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}) => Promise<Record<string, string>>;

/**
 * Signs API requests with SigV4 for `execute-api` (the deployed API's IAM auth), with credentials from the
 * default AWS chain (env, profile, SSO, instance role). Returns the headers to send.
 */
export const makeSigV4Signer = (
  region: string,
  credentials: AwsCredentials | (() => Promise<AwsCredentials>) = defaultProvider(),
): SignRequest => {
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: NodeSha256 });
  return async ({ method, url, headers, body }) => {
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(body !== undefined && { body }),
    });
    return signed.headers as Record<string, string>;
  };
};
