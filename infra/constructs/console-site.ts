import { join } from 'node:path';
import { CfnOutput, Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { serviceNameOf } from '#shared/composition/service-functions';
import { BUNDLED_CONSOLE_DIR } from '#shared/console/config';
import type { StageConsoleOidc } from '../console-oidc.js';
import { REPO_ROOT } from '../paths.js';
import { addManifestRoutes, type Gateway } from './manifest-triggers.js';
import { NodeFunction } from './node-function.js';

export type ConsoleSiteProps = {
  readonly entry: string;
  /**
   * The service's APIs: the console's public routes go on the main one and, with `oidc`, on that issuer's, so the
   * page calls the v1 API from its own origin without CORS.
   */
  readonly gateways: readonly Gateway[];
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  /** The stage's OIDC sign-in (`console.oidc`, checked against the policy). @default the token form */
  readonly oidc?: StageConsoleOidc;
};

/**
 * The web console (`functions/console`) behind the manifest's `GET /` and `GET /console/{file}` of the service's own
 * HTTP API. CDK's bundling builds the console (esbuild, `shared/console/build`) into the function's bundle, and the
 * function serves those files from memory. An HTTP API cannot serve from S3 by itself, and a bucket plus CloudFront
 * would add a second origin (CORS, a second place for the credentials to go) for about 50 KiB of files. The routes
 * are public: the page holds no data, and every datum it shows comes from the v1 routes with their own auth. The
 * function has no permission beyond its logs. With `oidc` the page signs in at that issuer and is used from the
 * issuer's API (its v1 routes take the issuer's JWTs on the same origin): the `ConsoleUrl` output.
 */
export class ConsoleSite extends Construct {
  readonly nodeFunction: NodeFunction;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const build = join(REPO_ROOT, 'shared', 'console', 'build', 'cli.ts');
    const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    this.nodeFunction = new NodeFunction(this, 'Handler', {
      entry: props.entry,
      serviceName: serviceNameOf('console'),
      description: 'instaclone web console: serves the page and its files',
      timeout: Duration.seconds(5),
      memorySize: 256,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: { ...props.oidc?.environment },
      afterBundling: (outputDir) => [`"${tsx}" "${build}" "${join(outputDir, BUNDLED_CONSOLE_DIR)}"`],
    });
    const issuerApi = props.gateways.find((gateway) => gateway.issuer === props.oidc?.issuer.issuer);
    // Public routes go on the main API only, but a console that signs in at an issuer must share the origin of the
    // v1 routes that take that issuer's JWTs: its issuer's API serves the page too (and no other issuer's does).
    const gateways = props.gateways.map((gateway) => (gateway === issuerApi ? { ...gateway, main: true } : gateway));
    addManifestRoutes(this, gateways, 'console', this.nodeFunction.function);
    if (props.oidc && issuerApi) {
      // Its v1 routes take this issuer's JWTs, on the page's own origin: the console works from here only.
      new CfnOutput(this, 'ConsoleUrl', {
        description: `The web console, signing in at ${props.oidc.issuer.issuer}: register this URL as its redirect URI`,
        value: `${issuerApi.api.apiEndpoint}/`,
      });
    }
  }
}
