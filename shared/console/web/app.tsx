import { useMemo, useState } from 'preact/hooks';
import { formatClock } from '../view/format.js';
import { type ApiError, makeApi } from './api.js';
import type { Auth } from './auth.js';
import { CloneFormPage } from './clone-form-page.js';
import { JobPage } from './job-page.js';
import { JobsPage } from './jobs-page.js';
import { PoolsPage } from './pools-page.js';
import { QueuePage } from './queue-page.js';
import { type Route, useRoute } from './router.js';
import { SignIn } from './sign-in.js';
import { UpdatedContext } from './use-poll.js';

const NAV: { page: Route['page']; href: string; label: string }[] = [
  { page: 'jobs', href: '#/jobs', label: 'Jobs' },
  { page: 'pools', href: '#/pools', label: 'Pools' },
  { page: 'queue', href: '#/queue', label: 'Queue time' },
  { page: 'new', href: '#/new', label: 'New clone' },
];

const Page = ({ route, api }: { route: Route; api: ReturnType<typeof makeApi> }) => {
  switch (route.page) {
    case 'jobs':
      return <JobsPage api={api} query={route.query} />;
    case 'job':
      return <JobPage api={api} jobId={route.jobId} key={route.jobId} />;
    case 'pools':
      return <PoolsPage api={api} />;
    case 'queue':
      return <QueuePage api={api} window={route.window} />;
    case 'new':
      return <CloneFormPage api={api} />;
    default:
      return route satisfies never;
  }
};

/**
 * The console: a header (pages, last update, sign-out) over the current page; the sign-in page until signed in, and
 * again (with the API's message) when the API answers 401. `refusal`: why the last sign-in failed, shown at first.
 */
export const App = ({ auth, refusal: first }: { auth: Auth; refusal?: ApiError | undefined }) => {
  const route = useRoute();
  const [signedIn, setSignedIn] = useState(auth.signedIn());
  const [refusal, setRefusal] = useState<ApiError | undefined>(first);
  const [updatedAt, setUpdatedAt] = useState<Date | undefined>();
  const api = useMemo(
    () =>
      makeApi(auth.headers, (error) => {
        setRefusal(auth.kind === 'oidc' ? auth.refusalOf(error) : error);
        auth.signOut();
        setSignedIn(false);
      }),
    [auth],
  );
  const current = route.page === 'job' ? 'jobs' : route.page;
  return (
    <UpdatedContext.Provider value={setUpdatedAt}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">instaclone</span>
        <nav aria-label="Pages">
          {NAV.map((item) => (
            <a key={item.page} href={item.href} aria-current={current === item.page ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <span class="updated" aria-live="polite" data-updated={updatedAt?.toISOString() ?? ''}>
          {updatedAt ? `Last updated ${formatClock(updatedAt)}` : 'Not updated yet'}
        </span>
        {signedIn && (
          <button
            type="button"
            class="link"
            onClick={() => {
              auth.signOut();
              setRefusal(undefined);
              setSignedIn(false);
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {signedIn ? (
          <Page route={route} api={api} />
        ) : (
          <SignIn
            auth={auth}
            refusal={refusal}
            onSignedIn={() => {
              setRefusal(undefined);
              setSignedIn(true);
            }}
          />
        )}
      </main>
    </UpdatedContext.Provider>
  );
};
