import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { type BusEvent, startEventBus } from '#local/emulators/event-bus';
import { ndjsonFileTarget } from '#local/emulators/ndjson-file-target';
import { silentLogger } from '#local/local-logger';

const BUS = 'instaclone';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function busWith(rules: Parameters<typeof startEventBus>[0]['rules']) {
  const bus = await startEventBus({ busName: BUS, rules, logger: silentLogger });
  cleanups.push(bus.close);
  return bus;
}

describe('Event bus stand-in', () => {
  it('accepts PutEvents from the real EventBridgeClient and delivers only to matching rules', async () => {
    // Prepare
    const succeeded: BusEvent[] = [];
    const failed: BusEvent[] = [];
    const bus = await busWith([
      {
        name: 'succeeded',
        pattern: { source: ['instaclone'], 'detail-type': ['Clone Succeeded'] },
        target: (e) => void succeeded.push(e),
      },
      { name: 'failed', pattern: { 'detail-type': ['Clone Failed'] }, target: (e) => void failed.push(e) },
    ]);

    // Act
    const result = await bus.client().send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: BUS,
            Source: 'instaclone',
            DetailType: 'Clone Succeeded',
            Detail: JSON.stringify({ version: '1', jobId: 'j1' }),
            Resources: ['vm-42'],
            Time: new Date('2026-01-02T03:04:05.678Z'),
          },
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.[0]?.EventId).toBe(succeeded[0]?.id);
    expect(failed).toHaveLength(0);
    expect(succeeded[0]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Clone Succeeded',
      source: 'instaclone',
      account: '000000000000',
      time: '2026-01-02T03:04:05Z',
      region: 'us-east-1',
      resources: ['vm-42'],
      detail: { version: '1', jobId: 'j1' },
    });
    expect(bus.published).toEqual(succeeded);
  });

  it('fails invalid entries one by one like AWS while accepting the valid ones', async () => {
    // Prepare
    const bus = await busWith([]);
    const valid = { EventBusName: BUS, Source: 'instaclone', DetailType: 'Clone Failed', Detail: '{}' };

    // Act
    const result = await bus.client().send(
      new PutEventsCommand({
        Entries: [
          valid,
          { ...valid, Detail: '[1,2]' },
          { ...valid, Detail: 'not json' },
          { ...valid, DetailType: 'x'.repeat(129) },
          { ...valid, Source: undefined },
          { ...valid, EventBusName: 'other-bus' },
          { ...valid, EventBusName: undefined },
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(6);
    expect(result.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'ResourceNotFoundException',
      'ResourceNotFoundException',
    ]);
    expect(bus.published).toHaveLength(1);
  });

  it('keeps answering PutEvents when a rule target throws, and still feeds later rules', async () => {
    // Prepare
    const delivered: BusEvent[] = [];
    const bus = await busWith([
      {
        name: 'broken',
        pattern: { source: ['instaclone'] },
        target: () => {
          throw new Error('target down');
        },
      },
    ]);
    bus.addRule({ name: 'late', pattern: { source: [{ prefix: 'insta' }] }, target: (e) => void delivered.push(e) });

    // Act
    const result = await bus.client().send(
      new PutEventsCommand({
        Entries: [{ EventBusName: BUS, Source: 'instaclone', DetailType: 'Clone Ready', Detail: '{}' }],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(delivered).toHaveLength(1);
  });

  it('appends each delivered event as one JSON line through the ndjson target', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'instaclone-bus-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'nested', 'events.ndjson');
    const printed: string[] = [];
    const bus = await busWith([
      {
        name: 'all',
        pattern: { source: ['instaclone'] },
        target: ndjsonFileTarget(file, (line) => printed.push(line)),
      },
    ]);
    const entry = { EventBusName: BUS, Source: 'instaclone', DetailType: 'Clone Succeeded' };

    // Act
    await bus.client().send(
      new PutEventsCommand({
        Entries: [
          { ...entry, Detail: JSON.stringify({ jobId: 'a' }) },
          { ...entry, Detail: JSON.stringify({ jobId: 'b' }) },
        ],
      }),
    );

    // Assess
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as BusEvent).detail['jobId'])).toEqual(['a', 'b']);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('Clone Succeeded');
    expect(printed[0]).toContain('jobId=a');
  });
});
