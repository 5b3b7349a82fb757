import type { EventPattern } from '../events/event-pattern.js';
import { EVENT_RULES } from '../events/event-rules.js';
import { POOL_EVENT_RULES } from '../pools/model/pool-events.js';
import { FUNCTIONS, type FunctionName } from './service-functions.js';

/**
 * How a route is authenticated:
 * - `iam`: SigV4 checked by API Gateway (callers need `execute-api:Invoke`); locally a bearer token;
 * - `none`: no authentication (health, the API description);
 * - `signed`: no gateway auth; the function verifies its sender's signature over the raw body (webhooks, Slack).
 */
export type RouteAuth = 'iam' | 'none' | 'signed';

/** An HTTP route: API Gateway's route key (`METHOD /path/{param}`), the function behind it and how it is let in. */
export type HttpRouteEntry = { readonly routeKey: string; readonly function: FunctionName; readonly auth: RouteAuth };

/** An EventBridge rule on the service bus and the function it invokes asynchronously. */
export type EventRuleEntry = {
  /** Also the rule's construct id in its function's construct (CloudFormation logical ids depend on it). */
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly target: FunctionName;
  /** Lambda's async retries of a failed invocation, and how old an event may get while they last. */
  readonly retry: { readonly attempts: number; readonly maxEventAgeMinutes: number };
};

/** A function run on a fixed rate (no retries: the next run comes soon enough). */
export type ScheduleEntry = {
  readonly description: string;
  readonly target: FunctionName;
  readonly everyMinutes: number;
  /** Locally: once when the stack starts, or on a timer of this many milliseconds (a stack option may override it). */
  readonly local: 'at-start' | { readonly everyMs: number };
};

const ROUTES: readonly HttpRouteEntry[] = [
  { routeKey: 'POST /v1/clones', function: 'clone-api', auth: 'iam' },
  { routeKey: 'GET /v1/clones', function: 'clone-api', auth: 'iam' },
  { routeKey: 'GET /v1/clones/{jobId}', function: 'clone-api', auth: 'iam' },
  { routeKey: 'DELETE /v1/clones/{jobId}', function: 'clone-api', auth: 'iam' },
  { routeKey: 'GET /v1/stats', function: 'clone-api', auth: 'iam' },
  { routeKey: 'GET /v1/health', function: 'clone-api', auth: 'none' },
  { routeKey: 'GET /v1/status', function: 'status-api', auth: 'iam' },
  { routeKey: 'GET /v1/openapi.json', function: 'clone-api', auth: 'none' },
  // The web console's page and files: public, they hold no data (every datum comes from the routes above).
  { routeKey: 'GET /', function: 'console', auth: 'none' },
  { routeKey: 'GET /console/{file}', function: 'console', auth: 'none' },
  { routeKey: 'POST /v1/hooks/generic', function: 'hooks', auth: 'signed' },
  { routeKey: 'POST /v1/hooks/github', function: 'hooks', auth: 'signed' },
  { routeKey: 'POST /v1/chat/slack', function: 'hooks', auth: 'signed' },
  { routeKey: 'GET /v1/pools', function: 'pool-api', auth: 'iam' },
  { routeKey: 'PUT /v1/pools/{name}', function: 'pool-api', auth: 'iam' },
  { routeKey: 'GET /v1/pools/{name}', function: 'pool-api', auth: 'iam' },
  { routeKey: 'DELETE /v1/pools/{name}', function: 'pool-api', auth: 'iam' },
  { routeKey: 'POST /v1/pools/{name}/claim', function: 'pool-api', auth: 'iam' },
  { routeKey: 'POST /v1/pools/{name}/release', function: 'pool-api', auth: 'iam' },
];

const POOL_SCALER_RETRY = { attempts: 2, maxEventAgeMinutes: 15 };

const RULES: readonly EventRuleEntry[] = [
  {
    name: 'OnCallbackWanted',
    description: 'Completions of jobs with a callbackUrl → callback notifier',
    pattern: EVENT_RULES.callbackWanted,
    target: 'callback-notifier',
    // A receiver may be down for a while; the job's `callbacks` record says how it went.
    retry: { attempts: 8, maxEventAgeMinutes: 60 },
  },
  {
    name: 'OnSlackWanted',
    description: 'Completions of Slack-made clones → Slack notifier',
    pattern: EVENT_RULES.slackWanted,
    target: 'slack-notifier',
    // A Slack response_url lasts 30 minutes.
    retry: { attempts: 2, maxEventAgeMinutes: 30 },
  },
  ...Object.entries(POOL_EVENT_RULES).map(([name, pattern]) => ({
    name,
    description: `${name} → pool scaler`,
    pattern,
    target: 'pool-scaler' as const,
    retry: POOL_SCALER_RETRY,
  })),
];

const SCHEDULES: readonly ScheduleEntry[] = [
  {
    description: 'instaclone reconciler: re-drives jobs stuck in QUEUED or RUNNING',
    target: 'reconciler',
    everyMinutes: 5,
    // fauxqs keeps messages in memory only: after a restart every unfinished job on disk needs a new one.
    local: 'at-start',
  },
  {
    description: 'instaclone reaper: destroys clones whose lease expired and idle GitHub runner clones',
    target: 'reaper',
    everyMinutes: 15,
    local: { everyMs: 15_000 },
  },
  {
    // Events do the scaling; this catches lost ones and ends back-offs.
    description: 'pool scaler safety net',
    target: 'pool-scaler',
    everyMinutes: 1,
    local: { everyMs: 15_000 },
  },
];

/**
 * The service as data: its functions, HTTP routes, event rules and schedules. The CDK stacks create exactly these
 * (each function's construct takes its entries), `npm start`'s gateway, local bus and timers serve exactly these,
 * and tests check the OpenAPI document and each function's route table against the routes.
 */
export const SERVICE_MANIFEST = { functions: FUNCTIONS, routes: ROUTES, rules: RULES, schedules: SCHEDULES } as const;

/** The routes one function serves. */
export const routesOf = (name: FunctionName): HttpRouteEntry[] => ROUTES.filter((r) => r.function === name);

/** The event rules that invoke one function. */
export const rulesTargeting = (name: FunctionName): EventRuleEntry[] => RULES.filter((r) => r.target === name);

/** The schedule of one function, if it has one. */
export const scheduleOf = (name: FunctionName): ScheduleEntry | undefined => SCHEDULES.find((s) => s.target === name);

/** `POST /v1/pools/{name}` → `{ method: 'POST', path: '/v1/pools/{name}' }`. */
export const splitRouteKey = (routeKey: string): { method: string; path: string } => {
  const [method = '', path = ''] = routeKey.split(' ');
  return { method, path };
};
