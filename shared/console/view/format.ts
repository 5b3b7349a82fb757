import type { CloneSource } from '../../clones/model/clone-request.js';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A duration as people read it: `850 ms`, `1.2 s`, `3 min 05 s`, `2 h 10 min`, `3 d 4 h`. Undefined or negative
 * input (a moment not reached, clock skew) reads `—`.
 */
export const formatDuration = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
};

/** Milliseconds from `from` to `to` (ISO times); undefined when either is missing or unreadable. */
export const between = (from: string | undefined, to: string | undefined): number | undefined => {
  if (from === undefined || to === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isNaN(ms) ? undefined : ms;
};

/** How long ago `iso` was: `12 s ago`, `3 min 05 s ago`. */
export const formatAge = (iso: string, now: Date): string => {
  const ms = now.getTime() - Date.parse(iso);
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
};

/** Wall-clock time in the browser's zone, with seconds: `12:03:45`. */
export const formatClock = (at: Date): string =>
  `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;

/** The source as typed in a request: its inventory path, moref or name. */
export const sourceText = (source: CloneSource): string => source.path ?? source.moref ?? source.name ?? '?';

/** Labels as `key=value` strings, the service's own (`instaclone.*`) last. */
export const labelTexts = (labels: Record<string, string>): string[] =>
  Object.entries(labels)
    .sort(([a], [b]) => Number(a.startsWith('instaclone.')) - Number(b.startsWith('instaclone.')) || a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`);
