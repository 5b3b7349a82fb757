import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function; messages are constants and context goes into keys. */
export const makeLogger = (serviceName: string): Logger => new Logger({ serviceName });
