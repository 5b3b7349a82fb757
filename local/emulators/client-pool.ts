import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-aws.js';

/** What every AWS SDK v3 client constructor accepts and every client can do. */
type SdkClient = { destroy(): void };
type SdkClientConstructor<C extends SdkClient> = new (config: {
  endpoint: string;
  region: string;
  credentials: typeof LOCAL_CREDENTIALS;
}) => C;

/**
 * The SDK clients an emulator hands out: each bound to its endpoint with the local region and credentials, and all
 * destroyed together when the emulator closes (their keep-alive sockets would otherwise hold the server open).
 */
export const clientPool = <C extends SdkClient>(Client: SdkClientConstructor<C>, endpoint: string) => {
  const clients: C[] = [];
  return {
    client: (): C => {
      const client = new Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      clients.push(client);
      return client;
    },
    destroyAll: (): void => {
      for (const client of clients.splice(0)) client.destroy();
    },
  };
};

/** Makes `close` idempotent: every call after the first gets the first call's promise. */
export const once = (close: () => Promise<void>): (() => Promise<void>) => {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= close();
    return closed;
  };
};
