import type { CloneSource } from '../../clones/model/clone-request.js';

/** What the clone form holds, as typed. */
export type CloneFormValues = {
  source: string;
  name: string;
  count: string;
  /** `key=value` pairs separated by commas or new lines. */
  labels: string;
  ttlMinutes: string;
  waitFor: 'task' | 'ip';
};

/** The form's fields, plus `form` for what belongs to none of them. */
export type CloneFormField = keyof CloneFormValues | 'form';
export type FieldErrors = Partial<Record<CloneFormField, string[]>>;

export const EMPTY_CLONE_FORM: CloneFormValues = {
  source: '',
  name: '',
  count: '1',
  labels: '',
  ttlMinutes: '',
  waitFor: 'task',
};

/** An inventory path (`/DC0/vm/golden`) or a moref (`vm-42`); anything else is taken as a VM name. */
export const parseSource = (text: string): CloneSource => {
  const value = text.trim();
  if (value.startsWith('/')) return { path: value };
  if (/^vm-[0-9]+$/.test(value)) return { moref: value };
  return { name: value };
};

const parseLabels = (text: string): { labels: Record<string, string>; bad: string[] } => {
  const labels: Record<string, string> = {};
  const bad: string[] = [];
  for (const part of text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) bad.push(part);
    else labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { labels, bad };
};

const asNumber = (text: string): number | string => (/^-?[0-9]+$/.test(text.trim()) ? Number(text.trim()) : text);

/**
 * The request body for `POST /v1/clones` from the form, leaving out what was left empty. The API validates it; only
 * what cannot be sent at all (a label without `=`) is refused here, in `errors`.
 */
export const toCloneRequest = (values: CloneFormValues): { body: Record<string, unknown>; errors: FieldErrors } => {
  const { labels, bad } = parseLabels(values.labels);
  const errors: FieldErrors = {};
  if (bad.length > 0) errors.labels = [`write labels as key=value (not: ${bad.join(', ')})`];
  const body: Record<string, unknown> = { source: parseSource(values.source) };
  if (values.name.trim()) body.name = values.name.trim();
  if (values.count.trim() && values.count.trim() !== '1') body.count = asNumber(values.count);
  if (Object.keys(labels).length > 0) body.labels = labels;
  if (values.ttlMinutes.trim()) body.ttlMinutes = asNumber(values.ttlMinutes);
  if (values.waitFor === 'ip') body.waitFor = 'ip';
  return { body, errors };
};

const FIELD_OF: Readonly<Record<string, keyof CloneFormValues>> = {
  source: 'source',
  name: 'name',
  count: 'count',
  labels: 'labels',
  ttlMinutes: 'ttlMinutes',
  waitFor: 'waitFor',
};

/** The API's `details` (`{field: "labels.team", message}`) by form field; others (and the root) go to `form`. */
export const fieldErrorsFrom = (details: readonly { field: string; message: string }[]): FieldErrors => {
  const errors: FieldErrors = {};
  for (const { field, message } of details) {
    const target = FIELD_OF[field.split('.')[0] ?? ''] ?? 'form';
    const text = target === 'form' || field === target ? message : `${field}: ${message}`;
    errors[target] = [...(errors[target] ?? []), text];
  }
  return errors;
};
