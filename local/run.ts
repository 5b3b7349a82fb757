import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readPolicyFile } from '#shared/access/adapters/policy-source';
import type { LoadedPolicy } from '#shared/access/model/parse-policy';
import type { VcenterStatus } from '#shared/status/model/status-report';
import { loadRunConfig, type RunConfig } from './run-config.js';
import { type LocalStack, startLocalStack } from './stack.js';

/**
 * `npm start`: the whole service on 127.0.0.1, on the embedded emulators and the vCenter simulator (or the
 * vCenter in VCENTER_URL). Prints the API URL, the token and a curl that works as pasted; Ctrl-C stops it.
 */
const main = async (): Promise<void> => {
  const config = loadRunConfig();
  const dataDir = resolve(config.INSTACLONE_DATA_DIR);
  // Read before anything starts: a policy that does not parse stops start-up, naming the bad field.
  const policy = config.INSTACLONE_POLICY_FILE
    ? await readPolicyFile(resolve(config.INSTACLONE_POLICY_FILE))
    : undefined;
  const stack = await startLocalStack({
    dataDir,
    ...(policy && { policy: policy.policy }),
    ...(config.INSTACLONE_CONSOLE_OIDC && { consoleOidc: config.INSTACLONE_CONSOLE_OIDC }),
    apiPort: config.PORT,
    apiToken: config.INSTACLONE_API_TOKEN ?? (await generatedToken(dataDir)),
    ...(config.VCENTER_URL && {
      vcenter: {
        url: config.VCENTER_URL,
        username: config.VCENTER_USERNAME ?? '',
        password: config.VCENTER_PASSWORD ?? '',
        ...(config.VCENTER_CA_FILE && { caFile: resolve(config.VCENTER_CA_FILE) }),
        ...(config.VCENTER_INSECURE && { insecure: true }),
      },
    }),
    maxConcurrency: config.VCENTER_MAX_CONCURRENCY,
    ...(config.INSTACLONE_MAC_RANGES && { macRanges: config.INSTACLONE_MAC_RANGES }),
    integrations: {
      ...(config.GENERIC_HOOK_SECRET && { genericHookSecret: config.GENERIC_HOOK_SECRET }),
      ...(config.GITHUB_WEBHOOK_SECRET && { githubWebhookSecret: config.GITHUB_WEBHOOK_SECRET }),
      ...(config.SLACK_SIGNING_SECRET && { slackSigningSecret: config.SLACK_SIGNING_SECRET }),
      ...(config.CALLBACK_SIGNING_SECRET && { callbackSigningSecret: config.CALLBACK_SIGNING_SECRET }),
      ...(config.GITHUB_RUNNER_POOLS && { runnerPools: config.GITHUB_RUNNER_POOLS }),
      ...(config.GITHUB_APP_ID && { githubAppId: config.GITHUB_APP_ID }),
      ...(config.GITHUB_APP_PRIVATE_KEY_FILE && {
        githubAppPrivateKey: await readFile(resolve(config.GITHUB_APP_PRIVATE_KEY_FILE), 'utf8'),
      }),
      ...(config.GITHUB_API_URL && { githubApiUrl: config.GITHUB_API_URL }),
      ...(config.SLACK_RESPONSE_ORIGINS && { slackResponseOrigins: config.SLACK_RESPONSE_ORIGINS }),
    },
    printEvent: (line) => console.log(line),
  });
  printBanner(
    stack,
    Boolean(config.INSTACLONE_API_TOKEN),
    Boolean(config.CALLBACK_SIGNING_SECRET),
    [...policyLines(policy, config.INSTACLONE_POLICY_FILE)],
    hookLines(config),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.close();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

/**
 * A generated token is kept in `<data dir>/api-token` (mode 0600) so it survives restarts and so the README's
 * curl can read it with `$(cat .instaclone/api-token)`.
 */
const generatedToken = async (dataDir: string): Promise<string> => {
  const file = join(dataDir, 'api-token');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 16) return existing.trim();
  const token = randomBytes(24).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
};

/** Which signed routes are on (their secret is set), and what turns on the others. */
const hookLines = (config: RunConfig): string => {
  const hooks: Array<[string, string, string | undefined]> = [
    ['/v1/hooks/generic', 'GENERIC_HOOK_SECRET', config.GENERIC_HOOK_SECRET],
    ['/v1/hooks/github', 'GITHUB_WEBHOOK_SECRET', config.GITHUB_WEBHOOK_SECRET],
    ['/v1/chat/slack', 'SLACK_SIGNING_SECRET', config.SLACK_SIGNING_SECRET],
  ];
  return hooks.map(([route, variable, on]) => `${route} ${on ? 'on' : `off (set ${variable})`}`).join(' · ');
};

const printBanner = (
  stack: LocalStack,
  tokenFromEnv: boolean,
  callbackFromEnv: boolean,
  policy: string[],
  hooks: string,
): void => {
  const bearer = tokenFromEnv ? '$INSTACLONE_API_TOKEN' : stack.apiToken;
  const body = JSON.stringify({
    source: { path: '/DC0/vm/DC0_H0_VM0' },
    guestinfo: { 'ci.job': '42' },
  });
  const lines = [
    'instaclone is running locally',
    consoleLine(stack, tokenFromEnv),
    `  API          ${stack.apiUrl}/v1`,
    `  token        ${tokenFromEnv ? '(from INSTACLONE_API_TOKEN)' : `${stack.apiToken}  (kept in ${stack.dataDir}/api-token)`}, token:default; more: npm run tokens -- add <name>`,
    `  vCenter      ${stack.vcenterUrl}${stack.vcsim ? '  (embedded simulator)' : ''}`,
    `  login        ${loginLine(stack.vcenterLogin)}`,
    `  events       ${stack.eventsFile ?? '(not written)'}`,
    `  hooks        ${hooks}`,
    `  callbacks    signed with ${callbackFromEnv ? '$CALLBACK_SIGNING_SECRET' : stack.callbackSigningSecret}`,
    ...policy,
    '',
    'Clone a VM:',
    `  curl -sS -X POST ${stack.apiUrl}/v1/clones -H "Authorization: Bearer ${bearer}" -H 'Content-Type: application/json' -d '${body}'`,
    'Then look at the job (use the jobId from the answer):',
    `  curl -sS ${stack.apiUrl}/v1/clones/JOB_ID -H "Authorization: Bearer ${bearer}"`,
    'How the service is (vCenter, queues, jobs per status):',
    `  curl -sS ${stack.apiUrl}/v1/status -H "Authorization: Bearer ${bearer}"`,
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
};

/** The console's URL: signed in by the fragment's token, or by OIDC (then the URL is the redirect URI to register). */
const consoleLine = (stack: LocalStack, tokenFromEnv: boolean): string =>
  stack.consoleOidc
    ? `  console      ${stack.consoleUrl}  (sign in with ${stack.consoleOidc.issuer}; redirect URI to register there: ${stack.consoleUrl})`
    : `  console      ${stack.consoleUrl}#token=${tokenFromEnv ? '<INSTACLONE_API_TOKEN>' : encodeURIComponent(stack.apiToken)}`;

/** The start-up login to vCenter, as a banner line: ok with what answered, or why not (the fix where one is known). */
const loginLine = (login: VcenterStatus): string =>
  login.status === 'ok'
    ? `vCenter login ok: API ${login.apiVersion} (${login.apiType}), ${login.latencyMs} ms`
    : `vCenter login FAILED after ${login.latencyMs} ms: ${login.error.message}; jobs will fail until it works (GET /v1/status checks again)`;

/** Which policy is in force (or that none is), and its lint warnings, which are never to be missed. */
const policyLines = (policy: LoadedPolicy | undefined, file: string | undefined): string[] => {
  if (!policy) return ['  policy       none: every token may do everything (INSTACLONE_POLICY_FILE sets one)'];
  const { rules, issuers } = policy.policy;
  const trusted = issuers.length > 0 ? `; OIDC tokens of ${issuers.map((i) => i.issuer).join(', ')}` : '';
  return [
    `  policy       ${file}: ${rules.length} rule(s), default deny${trusted}`,
    ...policy.warnings.map((w) => `  policy warning  ${w.path}: ${w.message}`),
  ];
};

main().catch((err: unknown) => {
  console.error(`instaclone failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
