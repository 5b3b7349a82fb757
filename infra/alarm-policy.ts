import { Duration } from 'aws-cdk-lib';

/**
 * How a function is invoked, which decides what retries a failure and so how soon it is worth a page:
 * - `queue`: the SQS event source mapping (the worker); a failed batch is redelivered, then dead-lettered;
 * - `http`: API Gateway, synchronously; nothing retries, the caller gets a 5xx (GitHub does not redeliver a webhook,
 *   Slack shows the user an error);
 * - `async`: EventBridge rules and schedules. EventBridge hands the event to Lambda's async queue (its retry policy
 *   covers only that hand-over), then Lambda retries a failing invocation twice and drops the event.
 */
export type FunctionTrigger = 'queue' | 'http' | 'async';

/** An alarm fires when the metric's `Sum` is at least `threshold` in `datapoints` of the last `periods` periods. */
export type AlarmThreshold = {
  readonly threshold: number;
  readonly periods: number;
  readonly datapoints: number;
  /** What a breach means for the operator; the alarm description starts with the function's title. */
  readonly meaning: string;
};

/** The evaluation period of every function alarm. */
export const ALARM_PERIOD = Duration.minutes(5);

const AT_ONCE = { threshold: 1, periods: 1, datapoints: 1 } as const;
/** Two periods in a row: a failure the platform retries is an incident only once it outlives the retries. */
const PERSISTENT = { threshold: 1, periods: 2, datapoints: 2 } as const;
const THROTTLED = { ...AT_ONCE, meaning: 'invocations were throttled; the account concurrency is exhausted.' };

export type FunctionAlarmThresholds = {
  /** Lambda `Errors`: crashes, timeouts, unhandled rejections (handled failures return a response instead). */
  readonly errors: AlarmThreshold;
  /** Lambda `Throttles`. @default no alarm */
  readonly throttles?: AlarmThreshold;
  /**
   * Events lost for good: Lambda `AsyncEventsDropped` (retries or event age exhausted) plus `AWS/Events`
   * `FailedInvocations` of every rule targeting the function (EventBridge could not hand the event over, e.g. a
   * missing invoke permission). Neither target has a DLQ, so these two are the only trace of a lost event.
   * @default no alarm
   */
  readonly lostEvents?: AlarmThreshold;
};

/**
 * Every function alarm's threshold, by trigger: the single place to tune them (the clone-queue age alarm takes
 * `alarms.oldestMessageAgeSeconds` from the stage; the DLQ alarm lives with the queue). Missing data never alarms.
 * Async functions get no throttle alarm: Lambda keeps a throttled async event and retries it for up to 6 hours, an
 * exhausted account already shows on the worker and API throttle alarms, and an event that runs out of time is
 * counted as lost.
 */
export const FUNCTION_ALARMS: Readonly<Record<FunctionTrigger, FunctionAlarmThresholds>> = {
  queue: {
    errors: {
      ...PERSISTENT,
      meaning:
        'whole invocations failed (crash, timeout or every record failed) in two periods in a row. Per-record ' +
        'failures are batch item failures and do not count; SQS redelivers, then dead-letters.',
    },
    throttles: THROTTLED,
  },
  http: {
    errors: {
      ...AT_ONCE,
      meaning: 'invocations failed (crash or timeout); each one was a 5xx for a caller, and nothing retries it.',
    },
    throttles: { ...AT_ONCE, meaning: 'invocations were throttled; callers received errors.' },
  },
  async: {
    errors: {
      ...PERSISTENT,
      meaning:
        'invocations failed in two periods in a row. Lambda retries each event twice; the lost-events alarm ' +
        'fires if the retries run out.',
    },
    lostEvents: {
      ...AT_ONCE,
      meaning:
        'events were lost, dropped after Lambda retries (AsyncEventsDropped) or not delivered by a rule ' +
        '(FailedInvocations). The work they carried (a callback, a Slack reply, a scaling or housekeeping run) ' +
        'was not done; see the function logs and the rule metrics on the dashboard.',
    },
  },
};
