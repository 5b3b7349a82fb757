/**
 * Resolves with the first value `probe` gives that is not undefined, asking every 20 ms; rejects after `timeoutMs`,
 * naming `what` it waited for. For state that another process or the stack reaches on its own time (a VM, a file, a
 * delivery).
 */
export const until = async <T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'a value',
): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
