import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiError, type JobView, makeApiClient } from './api-client.js';
import { bearerToken } from './bearer-token.js';
import { CLONE_OPTIONS, cloneRequestFromFlags, UsageError } from './clone-flags.js';
import { FollowTimeoutError, followJobs, makeProgress } from './follow-job.js';
import { makeSigV4Signer, regionFromUrl } from './sigv4-signer.js';
import { USAGE } from './usage.js';

/** Exit codes: scripts branch on them. */
export const EXIT = { ok: 0, jobFailed: 1, usage: 2, api: 3, timeout: 4 } as const;

export type CliIo = {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
};

const OPTIONS = {
  ...CLONE_OPTIONS,
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  'api-url': { type: 'string' },
  token: { type: 'string' },
  'oidc-token-file': { type: 'string' },
  sigv4: { type: 'boolean' },
  region: { type: 'string' },
  status: { type: 'string', multiple: true },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  for: { type: 'string' },
  'claimed-by': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const describeJob = (job: JobView): string => {
  const lines = [`job      ${job.jobId}`, `status   ${job.status}`, `vm name  ${job.vm?.name ?? job.vmName}`];
  if (job.vm) lines.push(`moref    ${job.vm.moref}`, `ip       ${job.vm.ipAddress ?? '(not known yet)'}`);
  if (job.vm?.nics.length) lines.push(`macs     ${job.vm.nics.map((n) => `${n.key}=${n.mac}`).join(' ')}`);
  if (job.error)
    lines.push(`error    ${job.error.code}${job.error.fault ? ` ${job.error.fault}` : ''}: ${job.error.message}`);
  if (job.deadlineAt && (job.status === 'QUEUED' || job.status === 'RUNNING')) lines.push(`deadline ${job.deadlineAt}`);
  if (job.attempts !== undefined) lines.push(`attempts ${job.attempts}`);
  if (job.nextAttemptAt) lines.push(`next     ${job.nextAttemptAt}`);
  if (job.lastError) {
    const fault = job.lastError.fault ? ` ${job.lastError.fault}` : '';
    lines.push(`last err ${job.lastError.code}${fault}: ${job.lastError.message} (${job.lastError.at})`);
  }
  return lines.join('\n');
};

const failedJobs = (jobs: JobView[]) => jobs.filter((j) => j.status === 'FAILED');

/** Runs one command line; resolves with the exit code (never calls process.exit, so tests can drive it). */
export const runCli = async (argv: string[], io: CliIo): Promise<number> => {
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const complain = (text: string) => io.stderr.write(`${text}\n`);
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      print(USAGE);
      return values.help ? EXIT.ok : EXIT.usage;
    }
    const apiUrl = values['api-url'] ?? io.env.INSTACLONE_API_URL;
    if (!apiUrl) throw new UsageError('give --api-url or set INSTACLONE_API_URL');
    const token = bearerToken({ token: values.token, oidcTokenFile: values['oidc-token-file'], env: io.env });
    let sign: ReturnType<typeof makeSigV4Signer> | undefined;
    if (values.sigv4) {
      if (values.token !== undefined || values['oidc-token-file'] !== undefined) {
        throw new UsageError('--sigv4 signs with AWS credentials: drop --token / --oidc-token-file');
      }
      const region = values.region ?? io.env.AWS_REGION ?? regionFromUrl(new URL(apiUrl));
      if (!region) throw new UsageError('--sigv4 needs --region or AWS_REGION');
      sign = makeSigV4Signer(region);
    }
    const api = makeApiClient({ apiUrl, ...(token && !sign && { token }), ...(sign && { sign }) });
    const timeoutMs = Number(values.timeout ?? 600) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout wants seconds');
    const show = (jobs: JobView[], single: boolean) =>
      print(
        values.json
          ? JSON.stringify(single && jobs.length === 1 ? jobs[0] : { jobs }, null, 2)
          : jobs.map(describeJob).join('\n\n'),
      );
    const follow = async (ids: string[], target: 'finished' | 'destroyed') =>
      followJobs(api, ids, {
        target,
        timeoutMs,
        progress: makeProgress(io.stderr, values.json === true && !('isTTY' in io.stderr && io.stderr.isTTY)),
      });
    const outcome = (jobs: JobView[], single: boolean): number => {
      show(jobs, single);
      for (const job of failedJobs(jobs)) {
        complain(
          `clone ${job.jobId} failed: ${job.error?.fault ?? job.error?.code ?? 'unknown'}: ${job.error?.message ?? ''}`,
        );
      }
      return failedJobs(jobs).length > 0 ? EXIT.jobFailed : EXIT.ok;
    };
    const needJobId = (): string => {
      const [jobId, ...extra] = rest;
      if (!jobId || extra.length) throw new UsageError(`usage: instaclone ${command} <jobId>`);
      return jobId;
    };

    switch (command) {
      case 'clone': {
        const answer = await api.submit(cloneRequestFromFlags(values), values['idempotency-key']);
        const jobs = 'jobs' in answer ? answer.jobs : [answer];
        if (!values.wait) {
          show(jobs, !('jobs' in answer));
          return EXIT.ok;
        }
        return outcome(
          await follow(
            jobs.map((j) => j.jobId),
            'finished',
          ),
          !('jobs' in answer),
        );
      }
      case 'get':
        return outcome([await api.get(needJobId())], true);
      case 'list': {
        // Repeated flags as the API reads them: any of the statuses, all of the labels.
        const query: Array<[string, string]> = [
          ...(values.status ?? []).map((s): [string, string] => ['status', s]),
          ...(values.label ?? []).map((l): [string, string] => ['label', l]),
          ...(values.limit ? [['limit', values.limit] as [string, string]] : []),
        ];
        const jobs: JobView[] = [];
        let cursor: string | undefined = values.cursor;
        do {
          const page = await api.list(cursor ? [...query, ['cursor', cursor]] : query);
          jobs.push(...page.jobs);
          cursor = page.cursor;
        } while (values.all && cursor);
        if (values.json) print(JSON.stringify({ jobs, ...(cursor && { cursor }) }, null, 2));
        else {
          for (const j of jobs)
            print(`${j.jobId}  ${j.status.padEnd(10)}  ${j.vm?.name ?? j.vmName}  ${j.vm?.ipAddress ?? ''}`.trimEnd());
          if (cursor) complain(`more: --cursor ${cursor} (or --all)`);
        }
        return EXIT.ok;
      }
      case 'destroy': {
        // A FAILED job never had a clone: nothing to destroy is not an error here.
        const job = await api.destroy(needJobId());
        show(values.wait ? await follow([job.jobId], 'destroyed') : [job], true);
        return EXIT.ok;
      }
      case 'claim': {
        const [pool, ...extra] = rest;
        if (!pool || extra.length) throw new UsageError('usage: instaclone claim <pool> [--claimed-by WHO]');
        const { clone } = await api.claim(pool, values['claimed-by']);
        return outcome(values.wait ? await follow([clone.jobId], 'finished') : [clone], true);
      }
      case 'release': {
        const [pool, jobId, ...extra] = rest;
        if (!pool || !jobId || extra.length) throw new UsageError('usage: instaclone release <pool> <jobId>');
        const { clone } = await api.release(pool, jobId);
        show(values.wait ? await follow([clone.jobId], 'destroyed') : [clone], true);
        return EXIT.ok;
      }
      case 'wait': {
        if (rest.length === 0) throw new UsageError('usage: instaclone wait <jobId…> [--for finished|destroyed]');
        const target = values.for ?? 'finished';
        if (target !== 'finished' && target !== 'destroyed') throw new UsageError('--for is finished or destroyed');
        return outcome(await follow(rest, target), rest.length === 1);
      }
      default:
        throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      complain(`instaclone: ${(err as Error).message}`);
      return EXIT.usage;
    }
    if (err instanceof ApiError) {
      const details = err.details.map((d) => `\n  ${d.field}: ${d.message}`).join('');
      complain(`instaclone: the API answered ${err.status} ${err.code}: ${err.message}${details}`);
      return EXIT.api;
    }
    if (err instanceof FollowTimeoutError) {
      complain(`instaclone: timed out; ${err.message}`);
      return EXIT.timeout;
    }
    // fetch hides the reason (ECONNREFUSED, ENOTFOUND, a timeout) in `cause`.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause ? ` (${cause.code ?? cause.message})` : '';
    complain(`instaclone: ${err instanceof Error ? err.message : String(err)}${why}`);
    return EXIT.api;
  }
};

// Run when executed directly (the bin shim imports this file with tsx).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
