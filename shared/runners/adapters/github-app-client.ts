import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { SecretProvider } from '../../aws/secret-provider.js';
import { isAppError, SecretUnavailableError } from '../../errors/app-error.js';
import { GithubApiError, type GithubErrorCode } from '../model/github-api-error.js';
import type {
  GithubRunners,
  JitConfig,
  JitConfigRequest,
  RegisteredRunner,
  RunnerScope,
} from '../ports/github-runners.js';

export type GithubAppClientOptions = {
  appId: string;
  /** PEM of the App's private key (PKCS#1 or PKCS#8), usually from Secrets Manager. */
  privateKey: SecretProvider;
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server; tests use loopback. */
  baseUrl?: string;
  now?: () => Date;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
};

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/**
 * A GitHub App JWT (RS256): issued 60 s in the past against clock skew, valid 9 minutes (GitHub's cap is 10).
 */
export const appJwt = (appId: string, key: KeyObject, now: Date): string => {
  const iat = Math.floor(now.getTime() / 1000) - 60;
  const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ iat, exp: iat + 600, iss: appId }))}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
};

/**
 * The GitHub REST calls the runner feature needs, as a GitHub App: installation access tokens (cached until five
 * minutes before they expire), `generate-jitconfig` at repository or organisation level, and finding/deleting a
 * runner by name. Failures reject with GithubApiError: GITHUB_NOT_FOUND (404), GITHUB_REJECTED (401 after a
 * token refresh, 403 without rate limiting, 409, 422: not retryable), GITHUB_RATE_LIMITED (429, or 403 with
 * `x-ratelimit-remaining: 0` / `retry-after`: retryable), GITHUB_UNAVAILABLE (5xx, network, timeout: retryable).
 */
export class GithubAppClient implements GithubRunners {
  private readonly baseUrl: string;
  private readonly now: () => Date;
  private key: KeyObject | undefined;
  private readonly tokens = new Map<number, { token: string; expiresAt: number }>();

  constructor(private readonly options: GithubAppClientOptions) {
    this.baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/$/, '');
    this.now = options.now ?? (() => new Date());
  }

  async generateJitConfig(scope: RunnerScope, request: JitConfigRequest, signal?: AbortSignal): Promise<JitConfig> {
    const body = {
      name: request.name,
      runner_group_id: request.runnerGroupId,
      labels: request.labels,
      work_folder: request.workFolder ?? '_work',
    };
    const answer = (await this.call(scope, 'POST', `${this.runnersPath(scope)}/generate-jitconfig`, body, signal)) as {
      runner?: { id?: number };
      encoded_jit_config?: string;
    };
    if (!answer.encoded_jit_config || typeof answer.runner?.id !== 'number') {
      throw new GithubApiError('GITHUB_UNAVAILABLE', 'generate-jitconfig answered without a config');
    }
    return { runnerId: answer.runner.id, encodedJitConfig: answer.encoded_jit_config };
  }

  async findRunnerByName(
    scope: RunnerScope,
    name: string,
    signal?: AbortSignal,
  ): Promise<RegisteredRunner | undefined> {
    const list = (await this.call(
      scope,
      'GET',
      `${this.runnersPath(scope)}?name=${encodeURIComponent(name)}`,
      undefined,
      signal,
    )) as { runners?: RegisteredRunner[] };
    return list.runners?.find((r) => r.name === name);
  }

  async deleteRunner(scope: RunnerScope, runnerId: number, signal?: AbortSignal): Promise<void> {
    await this.call(scope, 'DELETE', `${this.runnersPath(scope)}/${runnerId}`, undefined, signal);
  }

  async deleteRunnerByName(scope: RunnerScope, name: string, signal?: AbortSignal): Promise<boolean> {
    const found = await this.findRunnerByName(scope, name, signal);
    if (!found) return false;
    await this.deleteRunner(scope, found.id, signal);
    return true;
  }

  private runnersPath(scope: RunnerScope): string {
    return scope.kind === 'repo'
      ? `/repos/${encodeURIComponent(scope.owner)}/${encodeURIComponent(scope.repo)}/actions/runners`
      : `/orgs/${encodeURIComponent(scope.org)}/actions/runners`;
  }

  private async privateKey(): Promise<KeyObject> {
    if (!this.key) {
      try {
        this.key = createPrivateKey(await this.options.privateKey());
      } catch (err) {
        // Only our own error as the cause: a PEM parser's message may quote the key.
        throw new SecretUnavailableError('the GitHub App private key is not a PEM key', false, {
          cause: isAppError(err) ? err : undefined,
        });
      }
    }
    return this.key;
  }

  private async installationToken(installationId: number, signal?: AbortSignal): Promise<string> {
    const cached = this.tokens.get(installationId);
    if (cached && cached.expiresAt - 5 * 60_000 > this.now().getTime()) return cached.token;
    const jwt = appJwt(this.options.appId, await this.privateKey(), this.now());
    const answer = (await this.request(
      'POST',
      `/app/installations/${installationId}/access_tokens`,
      `Bearer ${jwt}`,
      undefined,
      signal,
    )) as { token?: string; expires_at?: string };
    if (!answer.token) throw new GithubApiError('GITHUB_UNAVAILABLE', 'no installation token in the answer');
    const expiresAt = Date.parse(answer.expires_at ?? '') || this.now().getTime() + 55 * 60_000;
    this.tokens.set(installationId, { token: answer.token, expiresAt });
    return answer.token;
  }

  /** One call with the installation token; a 401 drops the cached token and tries once more. */
  private async call(
    scope: RunnerScope,
    method: string,
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.installationToken(scope.installationId, signal);
      try {
        return await this.request(method, path, `token ${token}`, body, signal);
      } catch (err) {
        if (attempt > 1 || !(err instanceof GithubApiError) || err.upstreamStatus !== 401) throw err;
        this.tokens.delete(scope.installationId);
      }
    }
  }

  private async request(
    method: string,
    path: string,
    authorization: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'instaclone',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw new GithubApiError('GITHUB_UNAVAILABLE', `GitHub ${method} ${path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const text = await res.text();
    if (res.ok) return text ? (JSON.parse(text) as unknown) : {};
    throw toGithubError(res, method, path, text);
  }
}

const githubCodeOf = (status: number, limited: boolean): GithubErrorCode => {
  if (limited) return 'GITHUB_RATE_LIMITED';
  if (status === 404) return 'GITHUB_NOT_FOUND';
  return status >= 500 ? 'GITHUB_UNAVAILABLE' : 'GITHUB_REJECTED';
};

const toGithubError = (res: Response, method: string, path: string, text: string): GithubApiError => {
  let message = text.slice(0, 200);
  try {
    message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
  } catch {
    // not JSON: keep the start of the text
  }
  const what = `GitHub ${method} ${path.split('?')[0]} answered ${res.status}: ${message}`;
  const status = res.status;
  const limited =
    status === 429 ||
    (status === 403 && (res.headers.get('x-ratelimit-remaining') === '0' || res.headers.has('retry-after')));
  return new GithubApiError(githubCodeOf(status, limited), what, { upstreamStatus: status });
};
