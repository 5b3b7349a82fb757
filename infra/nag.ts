import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * Runs cdk-nag's `AwsSolutions` rule pack on every stack of `app` as a CDK policy-validation plugin: `app.synth()`
 * (and so `npm run synth` and every infra test) fails on any finding that is not acknowledged in code next to the
 * construct it concerns, with {@link acknowledge}.
 */
export function checkAwsSolutions(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** An AwsSolutions rule we accept for `scope` (and everything under it), with the one-line reason. */
export type NagAcknowledgement = { readonly rule: `AwsSolutions-${string}`; readonly reason: string };

/** Acknowledges cdk-nag findings on `scope`; every acknowledgement names its rule and why it does not apply. */
export function acknowledge(scope: IConstruct, ...acknowledgements: NagAcknowledgement[]): void {
  for (const { rule, reason } of acknowledgements) Validations.of(scope).acknowledge({ id: rule, reason });
}
