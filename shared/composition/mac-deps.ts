import { DynamoDbMacRegistry } from '../clones/adapters/dynamodb-mac-registry.js';
import { type JobMacs, makeJobMacs } from '../clones/use-cases/job-macs.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import type { CoreDeps } from './core-deps.js';
import { family } from './family.js';

/** The MACs jobs hold (one registry item per MAC in the job table) and the managed ranges they are allocated from. */
export type MacDeps = { readonly macs: JobMacs };

export const macFamily = family<MacDeps, AwsDeps & CoreDeps>((config) => ({
  macs: (d) =>
    makeJobMacs({
      registry: new DynamoDbMacRegistry(d.dynamo, jobsTable(config)),
      jobs: d.jobs,
      clock: d.clock,
      ranges: config.INSTACLONE_MAC_RANGES ?? [],
    }),
}));
