import { useEffect, useRef, useState } from 'preact/hooks';
import { type ConsoleJob, isSettled, offersDestroy, requesterOf } from '../view/console-job.js';
import { formatDuration, labelTexts, sourceText } from '../view/format.js';
import { eventsOf } from '../view/job-events.js';
import { timelineOf } from '../view/timeline.js';
import type { Api, ApiError } from './api.js';
import { ApiErrorNote, Section, StatusText } from './components.js';
import { usePoll } from './use-poll.js';

/** Quick while the job moves; slow once it has settled (FAILED, DESTROYED). */
const pollMs = (job: ConsoleJob | undefined) => (job && isSettled(job.status) ? 10_000 : 1000);

const Timeline = ({ job, now }: { job: ConsoleJob; now: Date }) => (
  <ol class="timeline">
    {timelineOf(job, now).map((step) => (
      <li key={step.key} class={`step step-${step.state}`} data-step={step.key}>
        <span class="step-label">{step.label}</span>{' '}
        {step.state === 'done' && (
          <>
            <time dateTime={step.at}>{step.at?.replace('T', ' ').replace('Z', ' UTC')}</time>
            {step.sincePreviousMs !== undefined && step.key !== 'accepted' && (
              <span class="muted"> (+{formatDuration(step.sincePreviousMs)})</span>
            )}
          </>
        )}
        {step.state === 'current' && <span>in progress, {formatDuration(step.sincePreviousMs)} so far</span>}
        {step.state === 'later' && <span class="muted">not yet</span>}
        {step.state === 'skipped' && <span class="muted">skipped: destroyed before it was made</span>}
        {step.state === 'unrecorded' && <span class="muted">not recorded</span>}
      </li>
    ))}
  </ol>
);

const Destroy = ({ api, job, onDone }: { api: Api; job: ConsoleJob; onDone: () => void }) => {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // The person just asked to destroy: the confirmation takes the focus, so Enter (or Escape to cancel) answers it.
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  if (!offersDestroy(job)) return null;
  const destroy = async () => {
    setBusy(true);
    const result = await api.send<ConsoleJob>('DELETE', `/v1/clones/${encodeURIComponent(job.jobId)}`);
    setBusy(false);
    setConfirming(false);
    setError(result.ok ? undefined : result.error);
    onDone();
  };
  return (
    <div class="destroy">
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Destroy…
        </button>
      ) : (
        <fieldset
          class="confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setConfirming(false);
          }}
        >
          <legend>Confirm destroy</legend>
          <p>
            Power off and destroy <strong>{job.vm?.name ?? job.vmName}</strong>? This cannot be undone.
          </p>
          <button type="button" class="danger" disabled={busy} onClick={() => void destroy()} ref={confirm}>
            Destroy clone
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
      )}
      <ApiErrorNote error={error} what="Destroy refused" />
    </div>
  );
};

const Facts = ({ job }: { job: ConsoleJob }) => {
  const who = requesterOf(job);
  const labels = labelTexts(job.labels);
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <StatusText status={job.status} />
      </dd>
      <dt>Source</dt>
      <dd>{sourceText(job.request.source)}</dd>
      <dt>VM</dt>
      <dd>
        {job.vm?.name ?? job.vmName}
        {job.vm ? ` (${job.vm.moref})` : ''}
      </dd>
      {job.vm?.ipAddress && (
        <>
          <dt>IP</dt>
          <dd>{job.vm.ipAddress}</dd>
        </>
      )}
      {who !== undefined && (
        <>
          <dt>Who asked</dt>
          <dd>{who}</dd>
        </>
      )}
      <dt>Labels</dt>
      <dd>
        {labels.length === 0
          ? '—'
          : labels.map((l) => (
              <code class="label" key={l}>
                {l}
              </code>
            ))}
      </dd>
      {job.leaseExpiresAt && (
        <>
          <dt>Lease ends</dt>
          <dd>{job.leaseExpiresAt}</dd>
        </>
      )}
      <dt>Job id</dt>
      <dd>
        <code>{job.jobId}</code>
      </dd>
    </dl>
  );
};

/** Attempts, last error, next attempt and deadline: shown when the API reports them (deadlines, design §13). */
const Attempts = ({ job }: { job: ConsoleJob }) =>
  job.attempts === undefined && !job.lastError && !job.nextAttemptAt && !job.deadlineAt ? null : (
    <Section title="Attempts" id="attempts">
      <dl class="facts">
        {job.attempts !== undefined && (
          <>
            <dt>Attempts</dt>
            <dd>{job.attempts}</dd>
          </>
        )}
        {job.lastError && (
          <>
            <dt>Last error</dt>
            <dd>
              <code>{job.lastError.code}</code>
              {job.lastError.fault ? ` (${job.lastError.fault})` : ''}: {job.lastError.message}{' '}
              <span class="muted">at {job.lastError.at}</span>
            </dd>
          </>
        )}
        {job.nextAttemptAt && (
          <>
            <dt>Next attempt</dt>
            <dd>{job.nextAttemptAt}</dd>
          </>
        )}
        {job.deadlineAt && (
          <>
            <dt>Deadline</dt>
            <dd>{job.deadlineAt}</dd>
          </>
        )}
      </dl>
    </Section>
  );

/** One job: its facts, timeline with durations, error and attempts, events, and Destroy (with confirmation). */
export const JobPage = ({ api, jobId }: { api: Api; jobId: string }) => {
  const poll = usePoll(() => api.get<ConsoleJob>(`/v1/clones/${encodeURIComponent(jobId)}`), pollMs, [jobId]);
  const job = poll.data;
  const now = poll.updatedAt ?? new Date();
  return (
    <>
      <p>
        <a href="#/jobs">← Jobs</a>
      </p>
      <h1>Job {job?.vm?.name ?? job?.vmName ?? jobId}</h1>
      <ApiErrorNote error={poll.error} what="Could not read the job" />
      {job && (
        <>
          <Facts job={job} />
          <Destroy api={api} job={job} onDone={poll.refresh} />
          {job.error && (
            <div class="error" role="status">
              <strong>Error</strong> <code>{job.error.code}</code>
              {job.error.fault ? ` (${job.error.fault})` : ''}: {job.error.message}
              {job.error.retryable ? ' — retryable' : ''}
              {job.error.cause && (
                <>
                  {' '}
                  (last attempt: <code>{job.error.cause.code}</code>
                  {job.error.cause.fault ? ` ${job.error.cause.fault}` : ''}: {job.error.cause.message})
                </>
              )}
            </div>
          )}
          <Section title="Timeline" id="timeline">
            <Timeline job={job} now={now} />
          </Section>
          <Attempts job={job} />
          <Section title="Events" id="events">
            <EventList job={job} />
          </Section>
        </>
      )}
    </>
  );
};

const EventList = ({ job }: { job: ConsoleJob }) => {
  const events = eventsOf(job);
  if (events.length === 0) return <p class="muted">None published yet.</p>;
  return (
    <ul class="events">
      {events.map((event) => (
        <li key={event.name}>
          <strong>{event.name}</strong> <time dateTime={event.at}>{event.at}</time>
          {event.callback && (
            <span>
              {' '}
              — callback {event.callback.state} after {event.callback.attempts} attempt(s)
              {event.callback.status ? `, HTTP ${event.callback.status}` : ''}
              {event.callback.reason ? ` (${event.callback.reason})` : ''}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
};
