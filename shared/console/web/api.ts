import type { ConsoleSettings } from '../model/console-oidc.js';

/** An error as the API reports it (`{error: {code, message, details}}`), with the HTTP status. */
export type ApiError = {
  status: number;
  code: string;
  message: string;
  details?: { field: string; message: string }[];
};
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

export type Api = {
  get<T>(path: string): Promise<ApiResult<T>>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>>;
};

const asApiError = (status: number, body: unknown): ApiError => {
  const error = (body as { error?: Partial<ApiError> } | undefined)?.error;
  return {
    status,
    code: error?.code ?? `HTTP_${status}`,
    message: error?.message ?? `The API answered ${status}`,
    ...(error?.details && { details: error.details }),
  };
};

/**
 * The page's adapter to the v1 API of its own origin (no CORS; the one file of web/ that biome lets call `fetch`):
 * JSON in and out, `headers()` (the sign-in's) on every request. Never throws: a network failure is an ApiError with status 0.
 * A 401 calls `onUnauthorized` (the console signs out).
 */
export const makeApi = (headers: () => Record<string, string>, onUnauthorized: (error: ApiError) => void): Api => {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...headers(),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (err) {
      return { ok: false, error: { status: 0, code: 'NETWORK', message: `The API did not answer (${String(err)})` } };
    }
    const parsed: unknown = await response.json().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status, data: parsed as T };
    const error = asApiError(response.status, parsed);
    if (response.status === 401) onUnauthorized(error);
    return { ok: false, error };
  };
  return { get: (path) => call('GET', path), send: (method, path, body) => call(method, path, body) };
};

/**
 * The page's settings (`console/config.json`, served beside its script: how to sign in). Rejects when they cannot
 * be read, so the page says so rather than guess a way to sign in.
 */
export const readSettings = async (): Promise<ConsoleSettings> => {
  const response = await fetch('console/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`console/config.json answered ${response.status}`);
  return (await response.json()) as ConsoleSettings;
};
