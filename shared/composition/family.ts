import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ServiceConfig } from './function-config.js';
import { type Builders, lazily } from './lazily.js';

/** SDK clients the caller already has (a local stack's emulator clients); the others are built from the config. */
export type AwsClients = { dynamo: DynamoDBClient; sqs: SQSClient; eventBridge: EventBridgeClient };

/** A family that needs no other (not `unknown`: in a union that would swallow every other family's needs). */
type NoNeeds = Record<never, never>;

/**
 * One family of the adapters factory: how to build the members it provides from the configuration (and the SDK
 * clients a caller already has), each builder free to read the members of the families it needs.
 */
export type Family<Provides, Needs = NoNeeds> = {
  readonly build: (config: ServiceConfig, clients: Partial<AwsClients>) => Builders<Provides, Provides & Needs>;
  /** Never set: carries the types for {@link composeFamilies}. */
  readonly types?: { provides: Provides; needs: Needs };
};

/** Declares a family: what it provides, what it needs from others, and its builders. */
export const family = <Provides, Needs = NoNeeds>(
  build: Family<Provides, Needs>['build'],
): Family<Provides, Needs> => ({ build });

// biome-ignore lint/suspicious/noExplicitAny: a family of any shape; composeFamilies checks them against each other
type AnyFamily = Family<any, any>;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Provided<F> = F extends { types?: { provides: infer P } } ? P : never;
type Needed<F> = F extends { types?: { needs: infer N } } ? N : never;
/** The deps the families build together. */
export type DepsOf<F extends readonly AnyFamily[]> = Intersection<Provided<F[number]>>;
type NeedsMet<F extends readonly AnyFamily[]> =
  DepsOf<F> extends Intersection<Needed<F[number]>> ? unknown : { missing: 'a family this one needs' };

/**
 * A function's `buildDeps`: the families it uses, built lazily from its configuration into one object. Leaving
 * out a family another one needs is a type error, so a deployed function never meets an unbuilt member.
 */
export const composeFamilies =
  <const F extends readonly AnyFamily[]>(...families: F & NeedsMet<F>) =>
  (config: ServiceConfig, clients: Partial<AwsClients> = {}): DepsOf<F> =>
    lazily(Object.assign({}, ...families.map((f) => f.build(config, clients)))) as DepsOf<F>;
