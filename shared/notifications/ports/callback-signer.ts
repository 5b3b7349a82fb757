/** One callback attempt to sign: its message id (the same on every retry of one event) and exact body bytes. */
export type CallbackMessage = { id: string; body: string; at: Date };

/**
 * The signature headers of one callback attempt over exactly `message.body`, timestamped `message.at`. Rejects when
 * the signing secret cannot be read.
 */
export type CallbackSigner = (message: CallbackMessage) => Promise<Record<string, string>>;
