import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'constructs';
import { STAGES_DIR } from './paths.js';
import { parseStageConfig, type StageConfig, StageConfigError } from './stage-config.js';

/** The stage synthesized when `-c stage=…` is not given, so `npm run synth` works with no arguments. */
export const DEFAULT_STAGE = 'dev';

/**
 * Loads the settings for the stage named by the `stage` context key (default {@link DEFAULT_STAGE}).
 * They come from the `stageConfig` context key when set (an object from `cdk.context.json`, or a JSON string
 * from `-c stageConfig='{…}'`), otherwise
 * from the committed `infra/stages/<stage>.json`. The file's `stage` field must equal the requested stage.
 * @throws StageConfigError naming the missing file or every invalid key.
 */
export function loadStageConfig(node: Node): StageConfig {
  const stage = String(node.tryGetContext('stage') ?? DEFAULT_STAGE);
  const inline: unknown = node.tryGetContext('stageConfig');
  const source = inline === undefined ? join(STAGES_DIR, `${stage}.json`) : 'context key "stageConfig"';
  const raw = inline === undefined ? parseJson(readStageFile(source), source) : inline;
  // `-c stageConfig='{…}'` arrives as a string; cdk.json / cdk.context.json give an object.
  const config = parseStageConfig(typeof raw === 'string' ? parseJson(raw, source) : raw, source);
  if (config.stage !== stage) {
    throw new StageConfigError(
      `Invalid stage config (${source}):\n  - stage: is "${config.stage}", expected "${stage}"`,
    );
  }
  return config;
}

function readStageFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new StageConfigError(`No stage config at ${file}: add the file or choose another stage (-c stage=<name>)`);
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StageConfigError(`Stage config (${source}) is not valid JSON: ${String(error)}`);
  }
}
