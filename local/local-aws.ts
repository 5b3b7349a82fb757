/**
 * The fake AWS identity every local emulator and Lambda stand-in shares, so ARNs, SQS records and
 * event envelopes agree with each other.
 */

/** Region the local runtime pretends to live in. */
export const LOCAL_REGION = 'us-east-1';

/** Account id in local ARNs and event envelopes (the value LocalStack and fauxqs also use). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Static credentials: the emulators never check signatures, but the SDK refuses to sign without some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
