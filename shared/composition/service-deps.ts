import { type AccessDeps, accessFamily } from './access-deps.js';
import { type AwsDeps, awsFamily } from './aws-deps.js';
import { type ConsoleDeps, consoleFamily } from './console-deps.js';
import { type CoreDeps, coreFamily } from './core-deps.js';
import { type AwsClients, composeFamilies } from './family.js';
import type { ServiceConfig } from './function-config.js';
import { type GithubDeps, githubFamily } from './github-deps.js';
import { type IdempotencyDeps, idempotencyFamily } from './idempotency-deps.js';
import { type MacDeps, macFamily } from './mac-deps.js';
import { type NotifierDeps, notifierFamily } from './notifier-deps.js';
import { type PoolDeps, poolFamily } from './pool-deps.js';
import { type SecretDeps, secretFamily } from './secret-deps.js';
import { type StatusDeps, statusFamily } from './status-deps.js';
import { type VcenterDeps, vcenterFamily } from './vcenter-deps.js';

/** Every dep any function takes: each function's `makeHandler` names the part it uses. */
export type ServiceDeps = CoreDeps &
  AwsDeps &
  MacDeps &
  PoolDeps &
  IdempotencyDeps &
  SecretDeps &
  GithubDeps &
  NotifierDeps &
  VcenterDeps &
  AccessDeps &
  ConsoleDeps &
  StatusDeps;

/**
 * Every family of the adapters factory at once, built lazily: what a local stack, which runs all the functions in
 * one process, hands to each of them (one set of clients per stack). A deployed function builds only its own
 * families (its `buildDeps`), so its bundle holds only the SDKs it uses.
 */
export const buildServiceDeps: (config: ServiceConfig, clients?: Partial<AwsClients>) => ServiceDeps = composeFamilies(
  accessFamily,
  awsFamily,
  consoleFamily,
  coreFamily,
  githubFamily,
  idempotencyFamily,
  macFamily,
  notifierFamily,
  poolFamily,
  secretFamily,
  vcenterFamily,
  statusFamily,
);
