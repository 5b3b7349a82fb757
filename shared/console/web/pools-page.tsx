import { useState } from 'preact/hooks';
import type { PoolView } from '../../pools/model/pool-view.js';
import type { JobStats } from '../../stats/model/job-stats.js';
import type { ConsoleJob } from '../view/console-job.js';
import { formatAge, sourceText } from '../view/format.js';
import type { Api, ApiError, ApiResult } from './api.js';
import { ApiErrorNote, Section } from './components.js';
import { LineChart } from './line-chart.js';
import { jobHref } from './router.js';
import { usePoll } from './use-poll.js';

const POOL_LABEL = 'instaclone.pool';
const CLAIMED_BY_LABEL = 'instaclone.claimedBy';

type PoolState = { pool: PoolView; claimed: ConsoleJob[] };

/** Every pool with its live counts and its claimed clones (one request per pool: pools are few). */
const loadPools = async (api: Api): Promise<ApiResult<PoolState[]>> => {
  const list = await api.get<{ pools: PoolView[] }>('/v1/pools');
  if (!list.ok) return list;
  const states: PoolState[] = [];
  for (const { name } of list.data.pools) {
    const label = encodeURIComponent(`${POOL_LABEL}=${name}`);
    const [pool, clones] = await Promise.all([
      api.get<PoolView>(`/v1/pools/${encodeURIComponent(name)}`),
      api.get<{ jobs: ConsoleJob[] }>(`/v1/clones?status=SUCCEEDED&order=newest&limit=100&label=${label}`),
    ]);
    if (!pool.ok) return pool;
    const claimed = clones.ok ? clones.data.jobs.filter((job) => job.labels[CLAIMED_BY_LABEL] !== undefined) : [];
    states.push({ pool: pool.data, claimed });
  }
  return { ok: true, status: 200, data: states };
};

const Health = ({ pool }: { pool: PoolView }) => {
  const { status } = pool;
  return (
    <dl class="facts">
      <dt>Health</dt>
      <dd data-health={status.degraded ? 'degraded' : 'ok'}>
        {status.degraded ? (
          <span class="status status-bad">
            <span aria-hidden="true">✗ </span>degraded{status.degradedReason ? `: ${status.degradedReason}` : ''}
            {status.backoffUntil ? ` (backing off until ${status.backoffUntil})` : ''}
          </span>
        ) : (
          <span class="status status-good">
            <span aria-hidden="true">✓ </span>healthy
          </span>
        )}
      </dd>
      <dt>Ready</dt>
      <dd data-count="ready">{status.ready ?? '—'}</dd>
      <dt>In flight</dt>
      <dd data-count="inFlight">{status.inFlight ?? '—'}</dd>
      <dt>Claimed</dt>
      <dd data-count="claimed">{status.claimed ?? '—'}</dd>
      <dt>Spec</dt>
      <dd>
        {pool.spec.source ? sourceText(pool.spec.source) : (pool.spec.sources ?? []).map(sourceText).join(', ')} · spare{' '}
        {pool.spec.spare} · min {pool.spec.min} · max {pool.spec.max} · lease {pool.spec.ttlMinutes} min
      </dd>
    </dl>
  );
};

const Actions = ({ api, state, onDone }: { api: Api; state: PoolState; onDone: () => void }) => {
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const name = encodeURIComponent(state.pool.name);
  const act = async (path: string, body: unknown, done: (data: { source?: string; clone: ConsoleJob }) => string) => {
    const result = await api.send<{ source?: string; clone: ConsoleJob }>('POST', `/v1/pools/${name}/${path}`, body);
    setError(result.ok ? undefined : result.error);
    setMessage(result.ok ? done(result.data) : undefined);
    onDone();
  };
  const claim = () =>
    act('claim', { claimedBy: 'console' }, ({ source, clone }) =>
      source === 'spare'
        ? `Claimed ${clone.vm?.name ?? clone.vmName}, a ready spare.`
        : `No spare was ready: ${clone.vmName} is being cloned for you.`,
    );
  return (
    <div class="pool-actions">
      <button type="button" onClick={() => void claim()}>
        Claim a clone
      </button>
      {message && (
        <p role="status" class="note">
          {message}
        </p>
      )}
      <ApiErrorNote error={error} what="The pool refused" />
      {state.claimed.length > 0 && (
        <table class="claimed">
          <caption>Claimed clones</caption>
          <thead>
            <tr>
              <th scope="col">Clone</th>
              <th scope="col">Claimed by</th>
              <th scope="col">Claimed</th>
              <th scope="col">
                <span class="visually-hidden">Release</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.claimed.map((job) => (
              <tr key={job.jobId}>
                <td data-label="Clone">
                  <a href={jobHref(job.jobId)}>{job.vm?.name ?? job.vmName}</a>
                </td>
                <td data-label="Claimed by">{job.labels[CLAIMED_BY_LABEL]}</td>
                <td data-label="Claimed">{job.claimedAt ? formatAge(job.claimedAt, new Date()) : '—'}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        'release',
                        { jobId: job.jobId },
                        ({ clone }) => `Released ${clone.vm?.name ?? clone.vmName}: it is being destroyed.`,
                      )
                    }
                  >
                    Release<span class="visually-hidden"> {job.vm?.name ?? job.vmName}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
};

/** Warm pools: spec and health, ready spares and claims over the last hour, claim and release. */
export const PoolsPage = ({ api }: { api: Api }) => {
  const pools = usePoll(() => loadPools(api), 2000, []);
  const stats = usePoll(() => api.get<JobStats>('/v1/stats?window=1h'), 10_000, []);
  return (
    <>
      <h1>Warm pools</h1>
      <ApiErrorNote error={pools.error} what="Could not read the pools" />
      {pools.data?.length === 0 && <p>No pools yet. Create one with PUT /v1/pools/&lt;name&gt; (see the README).</p>}
      {pools.data?.map((state) => {
        const series = stats.data?.pools.find((p) => p.name === state.pool.name)?.series ?? [];
        return (
          <Section title={`Pool ${state.pool.name}`} id={`pool-${state.pool.name}`} key={state.pool.name}>
            <Health pool={state.pool} />
            <LineChart
              title="Ready spares and claims per minute, last hour"
              at={series.map((b) => b.at)}
              series={[
                { name: 'ready spares', values: series.map((b) => b.ready) },
                { name: 'claims', values: series.map((b) => b.claims) },
              ]}
              format={(v) => String(Math.round(v))}
            />
            <Actions api={api} state={state} onDone={pools.refresh} />
          </Section>
        );
      })}
    </>
  );
};
