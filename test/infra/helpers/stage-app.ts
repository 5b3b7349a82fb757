import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { buildApp, type InstacloneStacks } from '#infra/build-app';
import { STAGES_DIR } from '#infra/paths';
import { parseStageConfig, type StageConfig } from '#infra/stage-config';

/** Stand-in handlers: bundling is skipped, so NodejsFunction only checks that each entry exists. */
export const FIXTURE_FUNCTIONS_DIR = join(import.meta.dirname, '..', 'fixtures', 'functions');

/** The committed dev stage file as raw JSON, for tests that derive variants of it. */
export const rawDevStage = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(STAGES_DIR, 'dev.json'), 'utf8')) as Record<string, unknown>;

/** The dev stage with top-level sections replaced (each given section replaces the file's whole section). */
export const devStageWith = (sections: Record<string, unknown> = {}): StageConfig =>
  parseStageConfig({ ...rawDevStage(), ...sections }, 'test');

export type SynthesizedStage = InstacloneStacks & {
  readonly statefulTemplate: Template;
  readonly serviceTemplate: Template;
  /** Warnings and errors CDK attached to either stack during synthesis. */
  readonly messages: readonly { level: string; id: string; data: string }[];
  /** Findings of CDK's built-in CloudFormation validation (e.g. deprecated runtimes); empty when not run. */
  readonly validationFindings: readonly unknown[];
};

export type SynthOptions = {
  /**
   * Run CDK's built-in CloudFormation validation, as `cdk synth` does. It costs ~5 s per synthesis, so only the
   * file that asserts a clean validation turns it on. @default false
   */
  readonly validate?: boolean;
  /** Extra CDK context, e.g. `{ [WARM_POOLS_CONTEXT]: true }`. @default none */
  readonly context?: Record<string, unknown>;
};

/**
 * Builds both stacks for `config` in an App that skips asset bundling (esbuild never runs) and synthesizes once.
 * Build one per test file and share it. The output folder is removed after the file's tests.
 */
export function synthStage(config: StageConfig, options: SynthOptions = {}): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), 'instaclone-infra-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({
    outdir,
    context: { ...options.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: options.validate ?? false,
  });
  const stacks = buildApp(app, config, { functionsDir: FIXTURE_FUNCTIONS_DIR });
  const statefulTemplate = Template.fromStack(stacks.stateful);
  const serviceTemplate = Template.fromStack(stacks.service);
  // Template.fromStack synthesized the app; synth() now returns that cached assembly.
  const assembly = app.synth();
  const messages = [stacks.stateful, stacks.service].flatMap((stack) =>
    assembly
      .getStackArtifact(stack.artifactId)
      .messages.map((message) => ({ level: message.level, id: message.id, data: String(message.entry.data) })),
  );
  const reportFile = join(outdir, 'validation-report.json');
  const report = existsSync(reportFile)
    ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: { violations: unknown[] }[] })
    : { pluginReports: [] };
  const validationFindings = report.pluginReports.flatMap((pluginReport) => pluginReport.violations);
  return { ...stacks, statefulTemplate, serviceTemplate, messages, validationFindings };
}

type CfnResource = { Type: string; Properties?: Record<string, unknown> };

/** Resources of one type as `[logicalId, properties]` pairs. */
export function resourcesOfType(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>).map(([id, resource]) => [
    id,
    resource.Properties ?? {},
  ]);
}

/** Drops CDK's 8-hex-digit logical-id hashes so assertions survive construct-path changes elsewhere. */
const withoutHashes = (text: string) => text.replace(/([0-9A-F]{8})+(?=[A-Z][a-z]|$)/g, '');

/**
 * Renders a CloudFormation value (string or intrinsic) as a short readable string, e.g.
 * `import(JobTableArn)/index/*`, `CloneWorkerLogs.Arn`, `select(1,split(|,ref(Rule)))`, `*`. Used to compare IAM
 * resources as plain data, and to read a dashboard body (the rendered intrinsics contain no quotes, so it stays JSON).
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(renderValue).join(',');
  if (value && typeof value === 'object') {
    const [[fn, arg]] = Object.entries(value) as [[string, unknown]];
    switch (fn) {
      case 'Fn::ImportValue':
        return `import(${withoutHashes(String(arg).replace(/^.*:ExportsOutput(Ref|FnGetAtt)/, ''))})`;
      case 'Fn::GetAtt':
        return `${withoutHashes(String((arg as string[])[0]))}.${(arg as string[])[1]}`;
      case 'Ref':
        return `ref(${withoutHashes(String(arg))})`;
      case 'Fn::Select':
        return `select(${(arg as [number, unknown])[0]},${renderValue((arg as [number, unknown])[1])})`;
      case 'Fn::Split':
        return `split(${(arg as [string, unknown])[0]},${renderValue((arg as [string, unknown])[1])})`;
      case 'Fn::Join':
        return (arg as [string, unknown[]])[1].map(renderValue).join((arg as [string, unknown[]])[0]);
      default:
        return JSON.stringify(value);
    }
  }
  return String(value);
}
