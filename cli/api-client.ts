import type { SignRequest } from './sigv4-signer.js';

/** A job as `GET /v1/clones/{jobId}` shows it (the fields the CLI reads). */
export type JobView = {
  jobId: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'DESTROYING' | 'DESTROYED';
  vmName: string;
  vm?: {
    moref: string;
    name: string;
    nics: Array<{ key: number; mac: string; addressType: string }>;
    ipAddress?: string;
  };
  error?: {
    code: string;
    fault?: string;
    message: string;
    retryable: boolean;
    cause?: { code: string; fault?: string; message: string };
  };
  deadlineAt?: string;
  attempts?: number;
  lastError?: { code: string; fault?: string; message: string; at: string };
  nextAttemptAt?: string;
  labels?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  readyAt?: string;
};

/** The API said no: its error body, with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiClientOptions = {
  /** Base URL, with or without `/v1`: `http://127.0.0.1:8080`. */
  apiUrl: string;
  /**
   * Bearer token: `npm start`'s or a named token, or an OIDC JWT. A function is asked before each request, so a
   * token file that the CI platform rotates is read afresh.
   */
  token?: string | (() => string);
  /** SigV4 signing (the deployed API). */
  sign?: SignRequest;
  timeoutMs?: number;
};

/**
 * The v1 API over fetch: a bearer token (named or an OIDC JWT) or SigV4. Rejects with ApiError on any non-2xx
 * answer.
 */
export const makeApiClient = (options: ApiClientOptions) => {
  const base = options.apiUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<T> => {
    const url = new URL(`${base}${path}`);
    const text = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = {
      accept: 'application/json',
      ...(text !== undefined && { 'content-type': 'application/json' }),
      ...extra,
    };
    if (options.sign) headers = await options.sign({ method, url, headers, ...(text !== undefined && { body: text }) });
    else if (options.token) {
      headers.authorization = `Bearer ${typeof options.token === 'function' ? options.token() : options.token}`;
    }
    const res = await fetch(url, {
      method,
      headers,
      ...(text !== undefined && { body: text }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const raw = await res.text();
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : {};
    } catch {
      throw new ApiError(res.status, 'NOT_JSON', `the API answered ${res.status} with something that is not JSON`);
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string; details?: ApiError['details'] } }).error;
      throw new ApiError(
        res.status,
        error?.code ?? `HTTP_${res.status}`,
        error?.message ?? `HTTP ${res.status}`,
        error?.details,
      );
    }
    return json as T;
  };
  return {
    submit: (request: unknown, idempotencyKey?: string) =>
      call<JobView | { jobs: JobView[] }>(
        'POST',
        '/v1/clones',
        request,
        idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      ),
    get: (jobId: string) => call<JobView>('GET', `/v1/clones/${encodeURIComponent(jobId)}`),
    /** `query` as name/value pairs: a name may repeat (`status` any of, `label` all of). */
    list: (query: ReadonlyArray<readonly [string, string]>) =>
      call<{ jobs: JobView[]; cursor?: string }>(
        'GET',
        `/v1/clones${query.length ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, v]))}` : ''}`,
      ),
    destroy: (jobId: string) => call<JobView>('DELETE', `/v1/clones/${encodeURIComponent(jobId)}`),
    /** A clone of a warm pool: a ready spare (`source: spare`) or a fresh one still queued (`fresh`). */
    claim: (pool: string, claimedBy?: string) =>
      call<{ pool: string; source: 'spare' | 'fresh'; clone: JobView }>(
        'POST',
        `/v1/pools/${encodeURIComponent(pool)}/claim`,
        { version: '1', ...(claimedBy && { claimedBy }) },
      ),
    release: (pool: string, jobId: string) =>
      call<{ pool: string; clone: JobView }>('POST', `/v1/pools/${encodeURIComponent(pool)}/release`, {
        version: '1',
        jobId,
      }),
  };
};
export type ApiClient = ReturnType<typeof makeApiClient>;
