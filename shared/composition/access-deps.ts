import { DynamoDbQuotaLedger } from '../access/adapters/dynamodb-quota-ledger.js';
import { policyFromConfig } from '../access/adapters/policy-config.js';
import { powertoolsDenialRecorder } from '../access/adapters/powertools-denial-recorder.js';
import type { LoadedPolicy } from '../access/model/parse-policy.js';
import type { QuotaLedger } from '../access/ports/quota-ledger.js';
import { type AccessGuard, makeAccessGuard } from '../access/use-cases/access-guard.js';
import { makeSettleQuota } from '../access/use-cases/settle-quota.js';
import type { QuotaRelease } from '../clones/ports/quota-release.js';
import { type AwsDeps, jobsTable } from './aws-deps.js';
import type { CoreDeps } from './core-deps.js';
import { family } from './family.js';

/** Who may clone what: the policy, the quota ledger, and the guard the deciding functions call. */
export type AccessDeps = {
  /** The configured policy and its lint warnings; undefined when none is configured. Throws ConfigError if bad. */
  readonly policy: LoadedPolicy | undefined;
  readonly quotaLedger: QuotaLedger;
  /** The enforcement point for one function: its denials are logged and counted under that function's name. */
  readonly accessFor: (serviceName: string) => AccessGuard;
  /** Gives back a job's quota when its status no longer holds it (the worker's announce). */
  readonly quotaRelease: QuotaRelease;
};

export const accessFamily = family<AccessDeps, CoreDeps & AwsDeps>((config) => ({
  policy: () => policyFromConfig(config),
  quotaLedger: (d) => new DynamoDbQuotaLedger(d.dynamo, jobsTable(config)),
  accessFor: (d) => (serviceName) =>
    makeAccessGuard({
      policy: d.policy?.policy,
      ledger: d.quotaLedger,
      recorder: powertoolsDenialRecorder(d.logger(serviceName), d.metrics(serviceName)),
      clock: d.clock,
    }),
  quotaRelease: (d) => ({ settle: makeSettleQuota({ ledger: d.quotaLedger }) }),
}));
