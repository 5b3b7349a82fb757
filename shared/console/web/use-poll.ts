import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, ApiResult } from './api.js';

/** Receives the time of every successful refresh: the header's "last updated". */
export const UpdatedContext = createContext<(at: Date) => void>(() => undefined);

export type Poll<T> = { data?: T; error?: ApiError; updatedAt?: Date; refresh(): void };

/**
 * Loads now and again every `intervalMs` (a function of the last data, so a page can slow down once nothing moves)
 * while the tab is visible; a hidden tab makes no requests and refreshes as soon as it is shown again. Polling, not
 * Server-Sent Events: API Gateway HTTP APIs cannot stream a response and cut any request at 30 s, so each open
 * console would hold a Lambda invocation for nothing.
 */
export function usePoll<T>(
  load: () => Promise<ApiResult<T>>,
  intervalMs: number | ((data: T | undefined) => number),
  deps: readonly unknown[],
): Poll<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; updatedAt?: Date }>({});
  const updated = useContext(UpdatedContext);
  const timer = useRef<number | undefined>(undefined);
  const generation = useRef(0);
  const latest = useRef<T | undefined>(undefined);

  const run = useCallback(async () => {
    window.clearTimeout(timer.current);
    const mine = ++generation.current;
    const result = await load();
    if (mine !== generation.current) return;
    if (result.ok) {
      const at = new Date();
      latest.current = result.data;
      setState({ data: result.data, updatedAt: at });
      updated(at);
    } else {
      setState((previous) => ({ ...previous, error: result.error }));
    }
    if (document.visibilityState === 'visible') {
      const wait = typeof intervalMs === 'function' ? intervalMs(latest.current) : intervalMs;
      timer.current = window.setTimeout(() => void run(), wait);
    }
  }, deps);

  useEffect(() => {
    latest.current = undefined;
    setState({});
    void run();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void run();
      else window.clearTimeout(timer.current);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      generation.current++;
      window.clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [run]);

  return { ...state, refresh: () => void run() };
}
