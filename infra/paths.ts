import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root: NodejsFunction's project root and the base for stage-config paths. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folder holding one `<name>/handler.ts` entry point per Lambda function. */
export const FUNCTIONS_DIR = fileURLToPath(new URL('../functions', import.meta.url));

/** Folder holding one committed `<stage>.json` settings file per stage. */
export const STAGES_DIR = fileURLToPath(new URL('./stages', import.meta.url));

/** Where Lambda unpacks a function's bundle (LAMBDA_TASK_ROOT): files bundled beside the code are read from here. */
export const LAMBDA_TASK_ROOT = '/var/task';
