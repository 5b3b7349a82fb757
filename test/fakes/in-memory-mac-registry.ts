import type { MacRange } from '#shared/clones/model/mac-ranges';
import type { JobRepository } from '#shared/clones/ports/job-repository';
import type { MacHolding, MacRegistry } from '#shared/clones/ports/mac-registry';
import { makeJobMacs } from '#shared/clones/use-cases/job-macs';
import type { Clock } from '#shared/runtime/runtime';

/** MacRegistry in a Map, with the DynamoDB adapter's conditions; `holdings` is open for assertions. */
export class InMemoryMacRegistry implements MacRegistry {
  readonly holdings = new Map<string, MacHolding>();
  private readonly cursors = new Map<string, number>();

  async claim(holding: MacHolding, replacing?: MacHolding): Promise<boolean> {
    const current = this.holdings.get(holding.mac);
    const allowed = replacing
      ? current?.jobId === replacing.jobId && current.since === replacing.since
      : current === undefined || current.jobId === holding.jobId;
    if (allowed) this.holdings.set(holding.mac, { ...holding });
    return allowed;
  }

  async holder(mac: string): Promise<MacHolding | undefined> {
    const current = this.holdings.get(mac);
    return current && { ...current };
  }

  async release(mac: string, jobId: string): Promise<void> {
    if (this.holdings.get(mac)?.jobId === jobId) this.holdings.delete(mac);
  }

  async nextInRange(range: string): Promise<number> {
    const next = this.cursors.get(range) ?? 0;
    this.cursors.set(range, next + 1);
    return next;
  }
}

/** The job MACs use case over an in-memory registry (no ranges unless given). */
export const inMemoryJobMacs = (
  jobs: Pick<JobRepository, 'get'>,
  clock: Clock,
  ranges: MacRange[] = [],
  registry = new InMemoryMacRegistry(),
) => ({ registry, macs: makeJobMacs({ registry, jobs, clock, ranges }) });
