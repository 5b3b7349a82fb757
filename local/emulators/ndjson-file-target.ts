import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BusEvent } from './event-bus.js';

/**
 * A rule target that appends each event as one JSON line to `filePath` (creating its directory) and
 * prints one short line per event, e.g. `event Clone Succeeded from instaclone jobId=… (id …)`.
 *
 * Appends are serialised, so lines keep delivery order even when events arrive concurrently.
 * Rejects when the file cannot be written; the event bus logs that and carries on.
 */
export function ndjsonFileTarget(
  filePath: string,
  print: (line: string) => void = (line) => console.log(line),
): (event: BusEvent) => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  return (event) => {
    const write = async (): Promise<void> => {
      await mkdir(dirname(filePath), { recursive: true });
      await appendFile(filePath, `${JSON.stringify(event)}\n`, 'utf8');
      print(summarise(event));
    };
    const next = tail.then(write, write);
    // Later events must not inherit an earlier failure; the caller of this event still sees it.
    tail = next.catch(() => {});
    return next;
  };
}

function summarise(event: BusEvent): string {
  const jobId = event.detail['jobId'];
  const job = typeof jobId === 'string' ? ` jobId=${jobId}` : '';
  return `event ${event['detail-type']} from ${event.source}${job} (id ${event.id})`;
}
