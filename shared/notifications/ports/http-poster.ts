/**
 * Posts a body; resolves with the status of any answer (even 5xx). Rejects with TargetRefusedError for a target it
 * will not try, TargetUnreachableError when no answer came.
 */
export type HttpPoster = (
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { signal?: AbortSignal },
) => Promise<{ status: number }>;
