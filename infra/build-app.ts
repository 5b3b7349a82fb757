import type { App } from 'aws-cdk-lib';
import { checkAwsSolutions } from './nag.js';
import { ServiceStack } from './stacks/service-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import type { StageConfig } from './stage-config.js';

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export type InstacloneStacks = { readonly stateful: StatefulStack; readonly service: ServiceStack };

export type BuildAppOptions = {
  /** Folder with one `<name>/handler.ts` per function. @default the repository's `functions/` */
  readonly functionsDir?: string;
};

/**
 * Adds the stage's two stacks to `app`: `instaclone-<stage>-stateful` and `instaclone-<stage>-service`
 * (the service stack depends on the stateful one through exports). Shared by `app.ts` and the infra tests.
 */
export function buildApp(app: App, config: StageConfig, options: BuildAppOptions = {}): InstacloneStacks {
  // Strong references: CloudFormation refuses to delete a stateful export while the service stack still uses it.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined)
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  const env = { account: config.env.account ?? process.env['CDK_DEFAULT_ACCOUNT'], region: config.env.region };
  const tags = { project: 'instaclone', stage: config.stage };
  const stateful = new StatefulStack(app, `instaclone-${config.stage}-stateful`, {
    env,
    tags,
    config,
    description: `instaclone ${config.stage}: job table, clone queue + DLQ, event bus + archive, vCenter and integration secrets`,
  });
  const service = new ServiceStack(app, `instaclone-${config.stage}-service`, {
    env,
    tags,
    config,
    stateful,
    description: `instaclone ${config.stage}: API, worker, alarms, dashboard`,
    ...(options.functionsDir && { functionsDir: options.functionsDir }),
  });
  checkAwsSolutions(app);
  return { stateful, service };
}
