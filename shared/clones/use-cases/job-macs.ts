import { ValidationError } from '../../errors/app-error.js';
import type { Clock } from '../../runtime/runtime.js';
import { MacInUseError, MacRangeExhaustedError } from '../model/clone-errors.js';
import { type CloneJob, holdsMacs, type JobMac } from '../model/clone-job.js';
import { MAC_RANGE_PREFIX, type MacRange, macAt, rangeNameOf, rangeSize } from '../model/mac-ranges.js';
import type { JobRepository } from '../ports/job-repository.js';
import type { MacHolding, MacRegistry } from '../ports/mac-registry.js';

export type JobMacsDeps = {
  registry: MacRegistry;
  jobs: Pick<JobRepository, 'get'>;
  clock: Clock;
  ranges: readonly MacRange[];
};

/**
 * A MAC claimed for a job id without a job row is live this long: submit writes the row right after its claims (a
 * few milliseconds), so a holder older than this without a job is what a crash between the two left behind.
 */
export const UNWRITTEN_JOB_GRACE_MS = 2 * 60_000;
/** An allocation tries at most this many MACs of a range (all of a smaller range) before answering "exhausted". */
export const MAX_RANGE_PROBES = 256;

/** The NICs of a request that ask for a particular MAC: manual ones and `range:<name>` ones. */
const askedMacs = (job: Pick<CloneJob, 'request'>) =>
  (job.request.nics ?? []).flatMap((nic, i) =>
    nic.mac === undefined || nic.mac === 'auto'
      ? []
      : [
          {
            field: `nics.${i}.mac`,
            ask: nic.mac,
            ref: nic.key !== undefined ? { key: nic.key } : { label: nic.label },
          },
        ],
  );

/**
 * The MACs of the service's jobs, one registry record per MAC. `claim` gives a job the MACs its request asks for
 * (manual ones, and free ones of managed ranges) with conditional writes only, so no two live jobs ever hold the same
 * MAC; `release` frees a job's MACs once it no longer holds them (ended without a clone, or its clone destroyed).
 * A holder whose job no longer holds its MACs (a release that never ran) or was never written (a crash between claim
 * and job row) is taken over by the next claim, conditionally on it being unchanged, so nothing leaks for good.
 */
export const makeJobMacs = ({ registry, jobs, clock, ranges }: JobMacsDeps) => {
  const byName = new Map(ranges.map((r) => [r.name, r]));

  const isLive = async (holder: MacHolding): Promise<boolean> => {
    const job = await jobs.get(holder.jobId);
    if (job) return holdsMacs(job);
    return clock.now().getTime() - Date.parse(holder.since) < UNWRITTEN_JOB_GRACE_MS;
  };

  /** Claims `mac` for the job; resolves with the live holder that keeps it from the job, if any. */
  const claimOne = async (mac: string, jobId: string, range?: string): Promise<MacHolding | undefined> => {
    const holding: MacHolding = { mac, jobId, since: clock.now().toISOString(), ...(range && { range }) };
    let holder: MacHolding | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await registry.claim(holding)) return undefined;
      holder = await registry.holder(mac);
      if (holder === undefined) continue; // freed meanwhile
      if (await isLive(holder)) return holder;
      if (await registry.claim(holding, holder)) return undefined;
    }
    return holder;
  };

  const allocate = async (range: MacRange, jobId: string, field: string): Promise<string> => {
    const probes = Math.min(rangeSize(range), MAX_RANGE_PROBES);
    for (let tried = 0; tried < probes; tried++) {
      const mac = macAt(range, await registry.nextInRange(range.name));
      if ((await claimOne(mac, jobId, range.name)) === undefined) return mac;
    }
    throw new MacRangeExhaustedError(range.name, field, rangeSize(range), probes);
  };

  const releaseAll = (jobId: string, macs: readonly JobMac[]) =>
    Promise.all(macs.map((m) => registry.release(m.mac, jobId)));

  /**
   * Claims the MACs `job`'s request asks for and resolves with them (none: an empty list). Nothing stays claimed when
   * it rejects: with ValidationError naming the NIC's `mac` when a range does not exist, MacInUseError when another
   * live job holds a manual MAC, MacRangeExhaustedError when a range has no free MAC.
   */
  const claim = async (job: Pick<CloneJob, 'jobId' | 'request'>): Promise<JobMac[]> => {
    const asked = askedMacs(job);
    const unknown = asked.filter((a) => a.ask.startsWith(MAC_RANGE_PREFIX) && !byName.has(rangeNameOf(a.ask) ?? ''));
    if (unknown.length > 0) {
      const known = ranges.length > 0 ? `configured: ${ranges.map((r) => r.name).join(', ')}` : 'none is configured';
      throw new ValidationError(
        unknown.map((a) => ({ field: a.field, message: `names no managed MAC range (${known})` })),
      );
    }
    const claimed: JobMac[] = [];
    try {
      for (const { field, ask, ref } of asked) {
        const range = byName.get(rangeNameOf(ask) ?? '');
        if (range) {
          claimed.push({ ...ref, mac: await allocate(range, job.jobId, field), range: range.name });
          continue;
        }
        const holder = await claimOne(ask, job.jobId);
        if (holder) throw new MacInUseError(ask, field, 'another live clone of this service');
        claimed.push({ ...ref, mac: ask });
      }
      return claimed;
    } catch (err) {
      await releaseAll(job.jobId, claimed);
      throw err;
    }
  };

  /** Frees the job's MACs if its status says it no longer holds them; safe to repeat. */
  const release = async (job: Pick<CloneJob, 'jobId' | 'status' | 'macs'> & { cleanupPending?: boolean }) => {
    if (job.macs && !holdsMacs(job)) await releaseAll(job.jobId, job.macs);
  };

  /** Frees MACs claimed for jobs whose rows were never written (submit failed after claiming). */
  const abandon = (jobId: string, macs: readonly JobMac[]) => releaseAll(jobId, macs).then(() => undefined);

  return { claim, release, abandon };
};

export type JobMacs = ReturnType<typeof makeJobMacs>;
