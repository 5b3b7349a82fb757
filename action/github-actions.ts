import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * The runner's side of a JavaScript action, written by hand after GitHub's documented protocol (what `@actions/core`
 * does), so the bundle needs no dependency: inputs come as `INPUT_<NAME>` variables, outputs and state are
 * appended to the files `GITHUB_OUTPUT` and `GITHUB_STATE` name (state comes back to the post step as `STATE_<name>`),
 * and log commands are `::name::message` lines on stdout.
 */
export type ActionsEnv = Record<string, string | undefined>;

/** Thrown for anything the workflow's author has to fix; the message says what. */
export class ActionInputError extends Error {
  override name = 'ActionInputError';
}

/** An input as the runner passes it (`with: { api-url: … }` → `INPUT_API-URL`), trimmed; '' when not given. */
export const input = (env: ActionsEnv, name: string): string =>
  (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();

/** A boolean input as YAML 1.2's core schema spells it, as `core.getBooleanInput` reads it. */
export const booleanInput = (env: ActionsEnv, name: string): boolean => {
  const value = input(env, name);
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE', ''].includes(value)) return false;
  throw new ActionInputError(`input ${name} is true or false, got "${value}"`);
};

/** Escapes a workflow command's message (`%`, CR, LF), as the runner expects. */
const escapeCommand = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Log commands, on `out` (stdout in a real step). */
export const makeLog = (out: NodeJS.WritableStream) => ({
  info: (text: string) => out.write(`${text}\n`),
  warning: (text: string) => out.write(`::warning::${escapeCommand(text)}\n`),
  error: (text: string) => out.write(`::error::${escapeCommand(text)}\n`),
  /** Never print `secret` in the log from here on (the runner replaces it with ***). */
  mask: (secret: string) => out.write(`::add-mask::${escapeCommand(secret)}\n`),
});
export type Log = ReturnType<typeof makeLog>;

/** Appends `name=value` to a file command (`GITHUB_OUTPUT`, `GITHUB_STATE`) in its multi-line-safe form. */
const appendFileCommand = (env: ActionsEnv, file: 'GITHUB_OUTPUT' | 'GITHUB_STATE', name: string, value: string) => {
  const path = env[file];
  if (!path) throw new Error(`${file} is not set: this runs as a step of a GitHub Actions job`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(path, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
};

export const setOutput = (env: ActionsEnv, name: string, value: string) =>
  appendFileCommand(env, 'GITHUB_OUTPUT', name, value);
/** Saves `value` for the post step, which reads it with {@link getState}. */
export const saveState = (env: ActionsEnv, name: string, value: string) =>
  appendFileCommand(env, 'GITHUB_STATE', name, value);
export const getState = (env: ActionsEnv, name: string): string => env[`STATE_${name}`] ?? '';

/** What a workflow needs so a job may ask for an OIDC token: said whenever there is none. */
export const ID_TOKEN_PERMISSION_HINT = [
  'This job cannot request an OIDC token. Give it the permission, in the workflow or in the job that uses instaclone:',
  '  permissions:',
  '    id-token: write',
  '    contents: read',
  '(Once a workflow sets permissions, every permission it does not list is none. Pull requests from forks get no',
  'OIDC token at all.)',
].join('\n');

/**
 * The job's OIDC token for `audience` from the runner's token service (`ACTIONS_ID_TOKEN_REQUEST_URL` with
 * `&audience=`, `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`; what `core.getIDToken` does). Throws
 * ActionInputError naming the permission to add when the job has none, Error when the service fails.
 */
export const getIdToken = async (env: ActionsEnv, audience: string, signal?: AbortSignal): Promise<string> => {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) throw new ActionInputError(ID_TOKEN_PERMISSION_HINT);
  const request = new URL(url);
  request.searchParams.set('audience', audience);
  const res = await fetch(request, {
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/json; api-version=2.0' },
    signal: signal ?? AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`GitHub's OIDC token service answered ${res.status}: ${text.slice(0, 300)}`);
  const value = (JSON.parse(text) as { value?: unknown }).value;
  if (typeof value !== 'string' || !value) throw new Error("GitHub's OIDC token service answered without a token");
  return value;
};
