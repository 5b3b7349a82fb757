import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { FunctionTrigger } from '#infra/alarm-policy';
import { synthWithFeatures } from './helpers/feature-stages.js';
import { renderValue, resourcesOfType } from './helpers/stage-app.js';

// Every function the service stack can create (each optional feature and warm pools on), and the core alone.
const full = synthWithFeatures(true);
const core = synthWithFeatures(false);

/** Each function (logical id without its hash) with the title and trigger the service stack declares for it. */
const FUNCTIONS: Record<string, { title: string; trigger: FunctionTrigger }> = {
  CloneWorkerFunction: { title: 'Worker', trigger: 'queue' },
  CloneApiHandlerFunction: { title: 'API function', trigger: 'http' },
  StatusApiHandlerFunction: { title: 'Status function', trigger: 'http' },
  ConsoleHandlerFunction: { title: 'Console', trigger: 'http' },
  HooksHandlerFunction: { title: 'Hooks function', trigger: 'http' },
  WarmPoolsApiFunction: { title: 'Pool API', trigger: 'http' },
  WarmPoolsScalerFunction: { title: 'Pool scaler', trigger: 'async' },
  ReconcilerHandlerFunction: { title: 'Reconciler', trigger: 'async' },
  ReaperHandlerFunction: { title: 'Reaper', trigger: 'async' },
  CallbackNotifierHandlerFunction: { title: 'Callback notifier', trigger: 'async' },
  SlackNotifierHandlerFunction: { title: 'Slack notifier', trigger: 'async' },
};
const AT_ONCE = { threshold: 1, periods: 1, datapoints: 1 };
const TWO_PERIODS_IN_A_ROW = { threshold: 1, periods: 2, datapoints: 2 };
/** The alarms each trigger gets: HTTP failures reach a caller at once; retried ones alarm when they persist. */
const ALARMS_BY_TRIGGER = {
  queue: { Errors: TWO_PERIODS_IN_A_ROW, Throttles: AT_ONCE },
  http: { Errors: AT_ONCE, Throttles: AT_ONCE },
  async: { Errors: TWO_PERIODS_IN_A_ROW, AsyncEventsDropped: AT_ONCE },
};

const ALARM_TOPIC = 'import(AlarmTopic)';
const stripHash = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
const functionIds = (template: Template) =>
  resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => stripHash(id));

type CfnMetric = { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] };
type MetricView = { metric: string; dimensions: Record<string, string> };
const viewMetric = (metric: CfnMetric): MetricView => ({
  metric: `${metric.Namespace}/${metric.MetricName}`,
  dimensions: Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, renderValue(d.Value)])),
});

/** Every alarm as plain data; a math-expression alarm lists the metrics it adds up. */
function alarmsOf(template: Template) {
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => {
    const stats = (alarm['Metrics'] as { MetricStat?: { Metric: CfnMetric } }[] | undefined)?.flatMap((m) =>
      m.MetricStat ? [m.MetricStat.Metric] : [],
    );
    const metrics = (stats ?? [alarm as unknown as CfnMetric]).map(viewMetric);
    const [first] = metrics;
    return {
      id: stripHash(id),
      metrics,
      /** The Lambda metric that names the alarm's function, e.g. `Errors` on `CloneWorkerFunction`. */
      on: first?.dimensions['FunctionName']?.replace(/^ref\((.*)\)$/, '$1'),
      kind: first?.metric.replace('AWS/Lambda/', ''),
      trigger: {
        threshold: alarm['Threshold'],
        periods: alarm['EvaluationPeriods'],
        datapoints: alarm['DatapointsToAlarm'],
      },
      actions: renderValue(alarm['AlarmActions']),
    };
  });
}

/** The dashboard body as JSON (its intrinsics rendered in place) and its widgets. */
function widgetsOf(template: Template) {
  const [[, dashboard] = []] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
  const body = JSON.parse(renderValue(dashboard?.['DashboardBody'])) as {
    widgets: { type: string; properties: { title: string; metrics?: unknown[][]; alarms?: string[] } }[];
  };
  return body.widgets.map(({ type, properties }) => ({
    type,
    title: properties.title,
    alarms: properties.alarms ?? [],
    metrics: (properties.metrics ?? []).map(([namespace, name, ...dimensions]) => ({
      metric: `${namespace}/${name}`,
      dimensions: Object.fromEntries(
        Array.from({ length: Math.floor(dimensions.length / 2) }, (_, i) => [dimensions[2 * i], dimensions[2 * i + 1]]),
      ),
    })),
  }));
}

describe.each([
  { stage: 'every optional function on', template: full.serviceTemplate, present: Object.keys(FUNCTIONS) },
  {
    stage: 'no optional function',
    template: core.serviceTemplate,
    present: ['CloneWorkerFunction', 'CloneApiHandlerFunction', 'StatusApiHandlerFunction', 'ConsoleHandlerFunction'],
  },
])('Service monitoring with $stage', ({ template, present }) => {
  const alarms = alarmsOf(template);
  const widgets = widgetsOf(template);

  it('gives every function in the template an errors alarm that notifies the alarm topic', () => {
    // Act
    const withoutErrorsAlarm = functionIds(template).filter(
      (fn) => !alarms.some((alarm) => alarm.on === fn && alarm.kind === 'Errors' && alarm.actions === ALARM_TOPIC),
    );

    // Assess
    expect(functionIds(template).sort()).toEqual([...present].sort());
    expect(withoutErrorsAlarm).toEqual([]);
  });

  it("alarms on each function as its trigger's policy says, and only on functions the stage has", () => {
    // Act
    const byFunction: Record<string, Record<string, unknown>> = {};
    for (const alarm of alarms.filter((candidate) => candidate.on !== undefined)) {
      byFunction[alarm.on as string] = { ...byFunction[alarm.on as string], [alarm.kind as string]: alarm.trigger };
    }

    // Assess
    expect(byFunction).toEqual(
      Object.fromEntries(present.map((fn) => [fn, ALARMS_BY_TRIGGER[FUNCTIONS[fn]!.trigger]])),
    );
    expect(alarms.filter((alarm) => alarm.actions !== ALARM_TOPIC)).toEqual([]);
  });

  it('counts the events an async function lost: dropped by Lambda, or undelivered by any rule targeting it', () => {
    // Prepare
    const rules = resourcesOfType(template, 'AWS::Events::Rule');
    const rulesTargeting = (fn: string) =>
      rules.filter(([, rule]) =>
        (rule['Targets'] as { Arn: unknown }[]).some((target) => renderValue(target.Arn) === `${fn}.Arn`),
      );
    // A custom-bus rule reports under its bus and name (its Ref is `<bus>|<rule>`), a schedule under its name.
    const failedInvocations = ([id, rule]: [string, Record<string, unknown>]): MetricView => ({
      metric: 'AWS/Events/FailedInvocations',
      dimensions: rule['EventBusName']
        ? { EventBusName: 'import(EventBus)', RuleName: `select(1,split(|,ref(${stripHash(id)})))` }
        : { RuleName: `ref(${stripHash(id)})` },
    });

    for (const fn of present.filter((candidate) => FUNCTIONS[candidate]!.trigger === 'async')) {
      // Act
      const lost = alarms.find((alarm) => alarm.on === fn && alarm.kind === 'AsyncEventsDropped');

      // Assess
      expect(rulesTargeting(fn).length).toBeGreaterThan(0);
      expect(lost?.metrics).toEqual([
        { metric: 'AWS/Lambda/AsyncEventsDropped', dimensions: { FunctionName: `ref(${fn})` } },
        ...rulesTargeting(fn).map(failedInvocations),
      ]);
    }
  });

  it('graphs each function the stage has, under its title, with invocations, errors and duration', () => {
    // Act
    const graphs = widgets.filter((widget) => widget.type === 'metric');

    // Assess
    expect(graphs.map((graph) => graph.title)).toEqual([
      'Clone queue',
      'Dead-letter queues',
      ...present.map((fn) => FUNCTIONS[fn]!.title),
    ]);
    const dlqs = graphs.find((graph) => graph.title === 'Dead-letter queues');
    expect(dlqs?.metrics.map((metric) => metric.metric)).toEqual([
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
    ]);
    expect(new Set(dlqs?.metrics.map((metric) => metric.dimensions['QueueName']))).toEqual(
      new Set(['import(CloneQueueDeadLetterQueueQueueName)', 'import(NotificationDeadLetterQueueQueueName)']),
    );
    for (const fn of present) {
      const graph = graphs.find((candidate) => candidate.title === FUNCTIONS[fn]!.title);
      const onFunction = graph?.metrics.filter((metric) => metric.dimensions['FunctionName'] === `ref(${fn})`);
      expect(onFunction?.map((metric) => metric.metric)).toEqual(
        expect.arrayContaining(['AWS/Lambda/Invocations', 'AWS/Lambda/Errors', 'AWS/Lambda/Duration']),
      );
      if (FUNCTIONS[fn]!.trigger === 'async') {
        expect(graph?.metrics.map((metric) => metric.metric)).toEqual(
          expect.arrayContaining(['AWS/Lambda/AsyncEventsDropped', 'AWS/Events/FailedInvocations']),
        );
      }
    }
  });

  it('shows the state of every alarm of the stack on the dashboard', () => {
    // Act
    const [statusWidget] = widgets.filter((widget) => widget.type === 'alarm');

    // Assess
    expect(statusWidget?.alarms).toEqual(alarms.map((alarm) => `${alarm.id}.Arn`));
  });
});
