import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.js';
import { loadStageConfig } from './load-stage-config.js';
import { StageConfigError } from './stage-config.js';

// CDK entry (`cdk.json`: `npx tsx infra/app.ts`). Select a stage with `-c stage=<name>` (default: dev).
const app = new App();
try {
  buildApp(app, loadStageConfig(app.node));
} catch (error) {
  // A settings mistake is the operator's to fix: print the list of keys, not a stack trace.
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
