import { Fragment } from 'preact';
import type { JobStats } from '../../stats/model/job-stats.js';
import type { LatencySummary } from '../../stats/model/latency-summary.js';
import { formatDuration } from '../view/format.js';
import { summarizeStatus } from '../view/service-status.js';
import type { Api } from './api.js';
import { ApiErrorNote, Section, Unavailable } from './components.js';
import { LineChart } from './line-chart.js';
import { STATS_WINDOWS, type StatsWindow } from './router.js';
import { usePoll } from './use-poll.js';

const Summary = ({ label, summary }: { label: string; summary: LatencySummary }) => (
  <>
    <dt>{label}</dt>
    <dd>
      {summary.count === 0
        ? 'no jobs'
        : `p50 ${formatDuration(summary.p50Ms)}, p95 ${formatDuration(summary.p95Ms)}, max ${formatDuration(summary.maxMs)} (${summary.count})`}
    </dd>
  </>
);

/** `GET /v1/status` comes from other work (design §13): until the API has it, the DLQ depth says so. */
const ServiceStatus = ({ api }: { api: Api }) => {
  const status = usePoll(() => api.get<unknown>('/v1/status'), 15_000, []);
  if (status.error && status.error.status === 404)
    return (
      <p data-dlq="unavailable">
        Dead-letter queue depth: <Unavailable why="this API has no GET /v1/status yet" />
      </p>
    );
  if (!status.data) return <ApiErrorNote error={status.error} what="Could not read the service status" />;
  const summary = summarizeStatus(status.data);
  return (
    <>
      <p data-dlq={summary.deadLetterDepth ?? 'unknown'}>
        Dead-letter queue depth:{' '}
        {summary.deadLetterDepth === undefined ? (
          <Unavailable why="not in /v1/status" />
        ) : (
          <strong>{summary.deadLetterDepth}</strong>
        )}
      </p>
      <dl class="facts">
        {summary.facts.map((fact) => (
          <Fragment key={fact.name}>
            <dt>{fact.name}</dt>
            <dd>{fact.value}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
};

/** Why is my job waiting, and for how long: accept → SUCCEEDED, queue depth, the DLQ, GitHub runner start-up. */
export const QueuePage = ({ api, window: span }: { api: Api; window: StatsWindow }) => {
  const stats = usePoll(() => api.get<JobStats>(`/v1/stats?window=${span}`), 10_000, [span]);
  const s = stats.data;
  const at = s?.series.map((b) => b.at) ?? [];
  const per = s ? `per ${s.window.bucketSeconds} s` : '';
  return (
    <>
      <h1>Queue time</h1>
      <label class="window">
        Window{' '}
        <select
          value={span}
          onChange={(e) => {
            window.location.hash = `#/queue?window=${(e.target as HTMLSelectElement).value}`;
          }}
        >
          {STATS_WINDOWS.map((w) => (
            <option key={w} value={w}>
              last {w}
            </option>
          ))}
        </select>
      </label>
      <ApiErrorNote error={stats.error} what="Could not read the statistics" />
      {s && (
        <>
          <Section title={`Last ${span}`} id="totals">
            <dl class="facts">
              <dt>Accepted</dt>
              <dd data-total="accepted">{s.totals.accepted}</dd>
              <dt>Succeeded</dt>
              <dd data-total="succeeded">{s.totals.succeeded}</dd>
              <dt>Failed</dt>
              <dd data-total="failed">{s.totals.failed}</dd>
              <Summary label="Accept → SUCCEEDED" summary={s.totals.acceptToSucceeded} />
              <Summary label="Queue time (accept → worker)" summary={s.totals.queueTime} />
              <Summary label="Task time" summary={s.totals.taskTime} />
              <dt>Queued now</dt>
              <dd data-now="queued">{s.series.at(-1)?.queued ?? 0}</dd>
            </dl>
            {s.truncated && <p class="note">Figures undercount: more jobs than one answer reads ({s.jobsRead}).</p>}
          </Section>
          <Section title="Accept → SUCCEEDED" id="latency">
            <LineChart
              title={`Accept → SUCCEEDED ${per}`}
              at={at}
              series={[
                { name: 'p50', values: s.series.map((b) => b.succeededP50Ms) },
                { name: 'p95', values: s.series.map((b) => b.succeededP95Ms) },
              ]}
              format={formatDuration}
            />
          </Section>
          <Section title="Queue depth" id="depth">
            <LineChart
              title="Jobs waiting for a worker, and running"
              at={at}
              series={[
                { name: 'queued', values: s.series.map((b) => b.queued) },
                { name: 'running', values: s.series.map((b) => b.running) },
              ]}
              format={(v) => String(Math.round(v))}
            />
            <ServiceStatus api={api} />
          </Section>
          <Section title="GitHub runners: webhook → runner powered on" id="runners">
            {s.runners.poweredOn.count === 0 ? (
              <p class="muted">No runner clones in the last {span}.</p>
            ) : (
              <>
                <dl class="facts">
                  <Summary label="Webhook → powered on" summary={s.runners.poweredOn} />
                </dl>
                <LineChart
                  title={`Webhook → runner powered on ${per}`}
                  at={at}
                  series={[
                    { name: 'p50', values: s.runners.series.map((b) => b.p50Ms) },
                    { name: 'p95', values: s.runners.series.map((b) => b.p95Ms) },
                  ]}
                  format={formatDuration}
                />
              </>
            )}
          </Section>
        </>
      )}
    </>
  );
};
