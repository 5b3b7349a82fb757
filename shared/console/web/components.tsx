import type { ComponentChildren } from 'preact';
import type { JobStatus } from '../../clones/model/clone-job.js';
import { STATUS_TEXT } from '../view/status-text.js';
import type { ApiError } from './api.js';

/** A job status as a symbol and a word (readable without colour); the colour class is a third cue. */
export const StatusText = ({ status }: { status: JobStatus }) => {
  const text = STATUS_TEXT[status];
  return (
    <span class={`status status-${text.kind}`} data-status={status}>
      <span aria-hidden="true">{text.symbol} </span>
      {text.word}
    </span>
  );
};

/** The API's own message for a refused or failed request, announced to screen readers. */
export const ApiErrorNote = ({ error, what }: { error: ApiError | undefined; what: string }) =>
  error ? (
    <p class="error" role="alert">
      {what}: {error.message}{' '}
      <span class="code">
        ({error.status ? `${error.status} ` : ''}
        {error.code})
      </span>
    </p>
  ) : null;

/** A titled section. */
export const Section = ({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) => (
  <section aria-labelledby={id ? `${id}-title` : undefined} class="card">
    <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
    {children}
  </section>
);

/** A value that is not available, with the reason. */
export const Unavailable = ({ why }: { why: string }) => <span class="unavailable">unavailable ({why})</span>;
