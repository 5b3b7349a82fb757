import { useState } from 'preact/hooks';
import { JOB_STATUSES } from '../../clones/model/clone-job.js';
import type { ConsoleJob } from '../view/console-job.js';
import { showsRequester, toJobRow } from '../view/job-row.js';
import type { Api } from './api.js';
import { ApiErrorNote, StatusText } from './components.js';
import { jobHref } from './router.js';
import { usePoll } from './use-poll.js';

const PAGE = 50;
/** Often enough to watch a clone go QUEUED → SUCCEEDED; one page costs at most one bounded query per status. */
const POLL_MS = 2000;

type JobList = { jobs: ConsoleJob[]; cursor?: string };

const listPath = (status: string, label: string) => {
  const query = new URLSearchParams({ order: 'newest', limit: String(PAGE) });
  if (status) query.set('status', status);
  if (label) query.set('label', label);
  return `/v1/clones?${query}`;
};

const Filters = ({ status, label }: { status: string; label: string }) => {
  const [labelText, setLabelText] = useState(label);
  const go = (next: { status?: string; label?: string }) => {
    const query = new URLSearchParams();
    const s = next.status ?? status;
    const l = next.label ?? label;
    if (s) query.set('status', s);
    if (l) query.set('label', l);
    const search = query.toString();
    window.location.hash = search ? `#/jobs?${search}` : '#/jobs';
  };
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        go({ label: labelText.trim() });
      }}
    >
      <label>
        Status{' '}
        <select value={status} onChange={(e) => go({ status: (e.target as HTMLSelectElement).value })}>
          <option value="">any</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Label{' '}
        <input
          name="label"
          placeholder="key=value"
          value={labelText}
          onInput={(e) => setLabelText((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Filter</button>
    </form>
  );
};

/** The jobs, newest first, live: status, source, name, who asked (when known), labels, age, queue and task time, IP. */
export const JobsPage = ({ api, query }: { api: Api; query: URLSearchParams }) => {
  const status = query.get('status') ?? '';
  const label = query.get('label') ?? '';
  const poll = usePoll(() => api.get<JobList>(listPath(status, label)), POLL_MS, [status, label]);
  const now = poll.updatedAt ?? new Date();
  const rows = (poll.data?.jobs ?? []).map((job) => toJobRow(job, now));
  const who = showsRequester(rows);
  return (
    <>
      <h1>Jobs</h1>
      <Filters status={status} label={label} key={`${status}|${label}`} />
      <ApiErrorNote error={poll.error} what="Could not list jobs" />
      <table class="jobs">
        <caption>
          {poll.data ? `${rows.length} job${rows.length === 1 ? '' : 's'}, newest first` : 'Loading…'}
          {poll.data?.cursor ? ` (the newest ${PAGE})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Name</th>
            <th scope="col">Source</th>
            {who && <th scope="col">Who asked</th>}
            <th scope="col">Labels</th>
            <th scope="col">Age</th>
            <th scope="col">Queue time</th>
            <th scope="col">Task time</th>
            <th scope="col">IP</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.jobId} data-job-id={row.jobId}>
              <td data-label="Status">
                <StatusText status={row.status} />
              </td>
              <td data-label="Name">
                <a href={jobHref(row.jobId)}>{row.name}</a>
              </td>
              <td data-label="Source">{row.source}</td>
              {who && <td data-label="Who asked">{row.requestedBy ?? '—'}</td>}
              <td data-label="Labels">
                <span>{row.labels.length === 0 ? '—' : row.labels.map((l) => <code key={l}>{l}</code>)}</span>
              </td>
              <td data-label="Age">{row.age}</td>
              <td data-label="Queue time">{row.queueTime}</td>
              <td data-label="Task time">{row.taskTime}</td>
              <td data-label="IP">{row.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};
