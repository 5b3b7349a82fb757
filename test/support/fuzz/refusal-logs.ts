/** What the route functions logged about the requests they refused or failed, and what was wrong with it. */
export type RefusalLogReport = {
  /** `request refused` lines by level (expected refusals: 4xx, POOL_DEGRADED). */
  refused: Record<string, number>;
  /** `request failed` lines: unexpected failures, logged with their error (each one a 500). */
  failed: number;
  /** Refusals logged too loudly or with a stack trace (the first 5). */
  violations: string[];
};

const STACK_FRAME = /\n\s+at |\\n\s+at /;

/**
 * Reads the functions' Powertools JSON lines as they are written and checks the log hygiene of issue 17: an
 * expected refusal is logged at info or warn, with its code and no stack trace.
 */
export const refusalLogWatcher = () => {
  const report: RefusalLogReport = { refused: {}, failed: 0, violations: [] };
  const read = (line: string): void => {
    if (!line.includes('"request refused"') && !line.includes('"request failed"')) return;
    let entry: { level?: string; message?: string; code?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if (entry.message === 'request failed') report.failed++;
    if (entry.message !== 'request refused') return;
    const level = entry.level ?? '?';
    report.refused[level] = (report.refused[level] ?? 0) + 1;
    const loud = level !== 'INFO' && level !== 'WARN';
    if ((loud || STACK_FRAME.test(line) || line.includes('"stack"')) && report.violations.length < 5)
      report.violations.push(line.slice(0, 2000));
  };
  return { read, report };
};

/**
 * Feeds the Powertools JSON lines this process writes to stdout and stderr (the in-process stack's functions log
 * there) to `read` instead of the terminal; anything else is written as usual. Returns the undo.
 */
export const tapProcessOutput = (read: (line: string) => void): (() => void) => {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  streams.forEach((stream, i) => {
    const original = originals[i] as typeof stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (!text.startsWith('{"level":')) return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      for (const line of text.split('\n')) if (line) read(line);
      return true;
    }) as typeof stream.write;
  });
  return () =>
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
};
