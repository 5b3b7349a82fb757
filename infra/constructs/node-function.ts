import { dirname, isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_FUNCTION_MEMORY_MB } from '#shared/config/resources';
import { POLICY_BUNDLE_NAME, POLICY_BUNDLE_PATH, type StagePolicy } from '../access-policy.js';
import { acknowledge } from '../nag.js';
import { REPO_ROOT } from '../paths.js';

/** CloudWatch namespace of the functions' custom metrics (Powertools Metrics). */
export const METRICS_NAMESPACE = 'Instaclone';

/**
 * ESM output cannot `require()`; some bundled CommonJS dependencies still do. The banner gives them one.
 * The alias avoids clashing with any `createRequire` import inside the bundle.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __instacloneCreateRequire } from 'node:module'; const require = __instacloneCreateRequire(import.meta.url);";

/**
 * esbuild aliases for every bundle: the parts of `soap` the vim25 client never uses (its HTTP stack and WS-Security
 * signing) become a stand-in that throws if ever called (shared/vsphere/soap/unbundled-soap-deps.ts), about
 * 440 KiB less to load on a cold start.
 */
const UNBUNDLED = join(REPO_ROOT, 'shared/vsphere/soap/unbundled-soap-deps.ts');
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  axios: UNBUNDLED,
  'axios-ntlm': UNBUNDLED,
  'xml-crypto': UNBUNDLED,
};

/** EC2 actions Lambda needs to attach a function to a VPC; EC2 does not support resource-level scoping for them. */
const VPC_ACCESS_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/** A file or folder (absolute, or relative to the repository root) copied into the bundle, e.g. a CA bundle. */
export type BundledFile = { readonly source: string; readonly target: string };

export type NodeFunctionProps = {
  /** Entry file exporting `handler`. */
  readonly entry: string;
  /** POWERTOOLS_SERVICE_NAME: the name the handler's logger uses, e.g. `instaclone-worker`. */
  readonly serviceName: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Attaches the function to these subnets. @default not in a VPC */
  readonly vpc?: { readonly vpc: IVpc; readonly subnets: SubnetSelection; readonly securityGroup: ISecurityGroup };
  /** Files or folders copied into the bundle after esbuild ran. @default none */
  readonly bundledFiles?: readonly BundledFile[];
  /**
   * Shell commands run after esbuild bundled the handler, given the bundle's output folder: for files built at
   * bundling time (the console's). They run only when CDK bundles (`cdk synth`/`deploy`), not in the infra tests.
   * @default none
   */
  readonly afterBundling?: (outputDir: string) => string[];
  /** For a function that decides who may do what: the stage's policy, bundled and named by INSTACLONE_POLICY_FILE. */
  readonly accessPolicy?: StagePolicy | undefined;
};

/**
 * A NodejsFunction with the house defaults: Node.js 22 on arm64, ESM bundle targeting node20 (the local runtime),
 * minified with kept names and source maps, X-Ray active, logs into its own log group with retention, and a role
 * of its own that starts with only the log-group write grant (no AWSLambdaBasicExecutionRole and its `*`).
 * Callers add permissions with the resources' grant methods on {@link NodeFunction.role}.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // The service stack is rebuildable; job data lives in the retained stateful stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) this.role.addToPolicy(new PolicyStatement({ actions: VPC_ACCESS_ACTIONS, resources: ['*'] }));

    acknowledge(this, {
      rule: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only for actions AWS grants on no narrower resource: X-Ray PutTrace*, VPC ENI management',
    });
    acknowledge(this, {
      rule: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x on purpose (design §3): bundles target node20, which is what the tests run on',
    });
    const policy = props.accessPolicy;
    const bundledFiles = [
      ...(props.bundledFiles ?? []),
      ...(policy ? [{ source: policy.jsonFile, target: POLICY_BUNDLE_NAME }] : []),
    ];
    const afterBundling = (outputDir: string): string[] => [
      ...bundledFiles.map((file) => {
        const target = join(outputDir, file.target);
        const source = isAbsolute(file.source) ? file.source : join(REPO_ROOT, file.source);
        return `mkdir -p "${dirname(target)}" && cp -R "${source}" "${target}"`;
      }),
      ...(props.afterBundling?.(outputDir) ?? []),
    ];
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      ...(props.vpc && {
        vpc: props.vpc.vpc,
        vpcSubnets: props.vpc.subnets,
        securityGroups: [props.vpc.securityGroup],
      }),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        // Maps minified stack traces back to the TypeScript sources.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
        ...(policy && { INSTACLONE_POLICY_FILE: POLICY_BUNDLE_PATH }),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node20',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // Line mapping is enough for stack traces; embedding the sources would triple the package.
        sourcesContent: false,
        keepNames: true,
        banner: ESM_REQUIRE_BANNER,
        // Bundle the pinned SDK v3 instead of trusting whichever version the runtime ships.
        externalModules: [],
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
        ...((bundledFiles.length > 0 || props.afterBundling) && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => afterBundling(outputDir),
          },
        }),
      },
    });
  }
}
