import { type Duration, Fn } from 'aws-cdk-lib';
import { type DimensionsMap, type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnRule, Rule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { FunctionTrigger } from './alarm-policy.js';

type MonitoredFunctionBase = {
  /** PascalCase, unique in the stack: the prefix of the function's alarm ids, e.g. `CallbackNotifier`. */
  readonly name: string;
  /** What the on-call reads on the dashboard and in alarm descriptions, e.g. `Callback notifier`. */
  readonly title: string;
  readonly function: IFunction;
};

/**
 * A function of the service stack as the alarms and the dashboard see it. An `async` function lists every rule
 * that targets it (event patterns and schedules), so that events the rules fail to deliver count as lost.
 */
export type MonitoredFunction = MonitoredFunctionBase &
  (
    | { readonly trigger: Exclude<FunctionTrigger, 'async'> }
    | { readonly trigger: 'async'; readonly rules: readonly Rule[] }
  );

/**
 * `AWS/Events` `FailedInvocations` of one rule: events EventBridge gave up handing to the target after the target's
 * retry policy. A rule on a custom bus reports under `{EventBusName, RuleName}` and its `Ref` is `<bus>|<rule>`; a
 * rule on the default bus (schedules) reports under `RuleName` alone. A metric with the wrong dimensions matches no
 * data and would never alarm, hence the split.
 */
export function ruleFailedInvocations(rule: Rule, period: Duration): Metric {
  const eventBusName = (rule.node.defaultChild as CfnRule).eventBusName;
  const dimensionsMap: DimensionsMap = eventBusName
    ? { EventBusName: eventBusName, RuleName: Fn.select(1, Fn.split('|', rule.ruleName)) }
    : { RuleName: rule.ruleName };
  return new Metric({
    namespace: 'AWS/Events',
    metricName: 'FailedInvocations',
    dimensionsMap,
    statistic: 'Sum',
    period,
    label: `${rule.node.id} failed invocations`,
  });
}

/** Lambda `AsyncEventsDropped`: async events dropped without a successful invocation (retries or age exhausted). */
export const droppedEvents = (fn: IFunction, period: Duration): Metric =>
  fn.metric('AsyncEventsDropped', { statistic: 'Sum', period, label: 'Dropped events' });

/** The separate ways an async function loses events: dropped by Lambda, then undelivered by each of its rules. */
export const lostEventMetrics = (fn: MonitoredFunction & { trigger: 'async' }, period: Duration): Metric[] => [
  droppedEvents(fn.function, period),
  ...fn.rules.map((rule) => ruleFailedInvocations(rule, period)),
];

/**
 * All events an async function lost, as one series (`SUM(METRICS())` adds whichever metrics have data; no data at
 * all stays missing, which never alarms).
 */
export function lostEvents(fn: MonitoredFunction & { trigger: 'async' }, period: Duration): IMetric {
  const usingMetrics = Object.fromEntries(lostEventMetrics(fn, period).map((metric, index) => [`m${index}`, metric]));
  return new MathExpression({ expression: 'SUM(METRICS())', usingMetrics, label: 'Lost events', period });
}
