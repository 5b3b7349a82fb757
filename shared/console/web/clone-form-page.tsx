import { useState } from 'preact/hooks';
import type { PoolView } from '../../pools/model/pool-view.js';
import type { JobStats } from '../../stats/model/job-stats.js';
import {
  type CloneFormValues,
  EMPTY_CLONE_FORM,
  type FieldErrors,
  fieldErrorsFrom,
  toCloneRequest,
} from '../view/clone-form.js';
import type { ConsoleJob } from '../view/console-job.js';
import { sourceText } from '../view/format.js';
import type { Api, ApiError } from './api.js';
import { ApiErrorNote } from './components.js';
import { jobHref } from './router.js';
import { usePoll } from './use-poll.js';

const RECENT_KEY = 'instaclone.recentSources';

/**
 * Sources to offer: this browser's recent ones, those of recent jobs (`/v1/stats`) and of the pools. The API function
 * has no route to vCenter on AWS (it runs outside the VPC by design), so the form offers what the service has
 * cloned, and any path, moref or name can be typed.
 */
const useSourceChoices = (api: Api): string[] => {
  const stats = usePoll(() => api.get<JobStats>('/v1/stats?window=1h'), 60_000, []);
  const pools = usePoll(() => api.get<{ pools: PoolView[] }>('/v1/pools'), 60_000, []);
  const recent = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[];
  const fromStats = stats.data?.sources.map((use) => sourceText(use.source)) ?? [];
  const fromPools =
    pools.data?.pools.flatMap((p) =>
      [p.spec.source, ...(p.spec.sources ?? [])].flatMap((s) => (s ? [sourceText(s)] : [])),
    ) ?? [];
  return [...new Set([...recent, ...fromStats, ...fromPools])];
};

const remember = (source: string) => {
  const recent = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[];
  localStorage.setItem(RECENT_KEY, JSON.stringify([source, ...recent.filter((s) => s !== source)].slice(0, 10)));
};

type FieldProps = {
  field: keyof CloneFormValues;
  label: string;
  hint?: string;
  values: CloneFormValues;
  errors: FieldErrors;
  set: (field: keyof CloneFormValues, value: string) => void;
  input?: Record<string, unknown>;
};

/** A labelled input whose errors (the API's own messages) sit under it and are tied to it for screen readers. */
const Field = ({ field, label, hint, values, errors, set, input = {} }: FieldProps) => {
  const problems = errors[field] ?? [];
  const describedBy = [hint && `${field}-hint`, problems.length > 0 && `${field}-error`].filter(Boolean).join(' ');
  return (
    <div class={`field${problems.length > 0 ? ' invalid' : ''}`}>
      <label for={`clone-${field}`}>{label}</label>
      <input
        id={`clone-${field}`}
        name={field}
        value={values[field]}
        aria-invalid={problems.length > 0}
        aria-describedby={describedBy || undefined}
        onInput={(e) => set(field, (e.target as HTMLInputElement).value)}
        {...input}
      />
      {hint && (
        <small id={`${field}-hint`} class="muted">
          {hint}
        </small>
      )}
      {problems.length > 0 && (
        <p id={`${field}-error`} class="field-error" data-field-error={field}>
          {problems.join('; ')}
        </p>
      )}
    </div>
  );
};

/** The common clone request: source, name, count, labels, TTL, waitFor; the API's field errors shown inline. */
export const CloneFormPage = ({ api }: { api: Api }) => {
  const [values, setValues] = useState<CloneFormValues>(EMPTY_CLONE_FORM);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const sources = useSourceChoices(api);
  const set = (field: keyof CloneFormValues, value: string) => setValues((v) => ({ ...v, [field]: value }));
  const submit = async (event: Event) => {
    event.preventDefault();
    const { body, errors: local } = toCloneRequest(values);
    setErrors(local);
    setRefused(undefined);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const result = await api.send<ConsoleJob | { jobs: ConsoleJob[] }>('POST', '/v1/clones', body);
    setBusy(false);
    if (!result.ok) {
      setRefused(result.error);
      setErrors(fieldErrorsFrom(result.error.details ?? []));
      return;
    }
    remember(values.source.trim());
    window.location.hash = 'jobId' in result.data ? jobHref(result.data.jobId) : '#/jobs';
  };
  const shared = { values, errors, set };
  const formErrors = errors.form ?? [];
  return (
    <>
      <h1>New clone</h1>
      <form class="clone-form" onSubmit={(e) => void submit(e)} noValidate>
        <ApiErrorNote error={refused} what="The API refused the request" />
        {formErrors.length > 0 && <p class="field-error">{formErrors.join('; ')}</p>}
        <Field
          field="source"
          label="Source VM (running)"
          hint="Inventory path (/DC0/vm/DC0_H0_VM0), moref (vm-42) or name"
          input={{ list: 'source-choices', required: true, autoComplete: 'off' }}
          {...shared}
        />
        <datalist id="source-choices">
          {sources.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <Field field="name" label="Name" hint="Default: instaclone-<job id>" {...shared} />
        <Field field="count" label="Count" input={{ inputMode: 'numeric' }} {...shared} />
        <Field field="labels" label="Labels" hint="key=value, separated by commas" {...shared} />
        <Field
          field="ttlMinutes"
          label="Lease (minutes)"
          hint="Destroyed this long after it is ready"
          input={{ inputMode: 'numeric' }}
          {...shared}
        />
        <fieldset class="field">
          <legend>Wait for</legend>
          {(['task', 'ip'] as const).map((choice) => (
            <label key={choice} class="inline">
              <input
                type="radio"
                name="waitFor"
                value={choice}
                checked={values.waitFor === choice}
                onChange={() => set('waitFor', choice)}
              />{' '}
              {choice === 'task' ? 'the clone task (fastest)' : 'a guest IP of its own'}
            </label>
          ))}
          {(errors.waitFor ?? []).length > 0 && <p class="field-error">{errors.waitFor?.join('; ')}</p>}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? 'Submitting…' : 'Clone'}
        </button>
      </form>
    </>
  );
};
