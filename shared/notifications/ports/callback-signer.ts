/**
 * The signature headers of one callback attempt over exactly `body`, timestamped `at`. Rejects when the signing
 * secret cannot be read.
 */
export type CallbackSigner = (body: string, at: Date) => Promise<Record<string, string>>;
