import { describe, expect, it } from 'vitest';
import type { CloneJob } from '#shared/clones/model/clone-job';
import type { CloneRequest } from '#shared/clones/model/clone-request';
import { JobNotFoundError } from '#shared/errors/app-error';
import { parseSlackCommand } from '#shared/notifications/model/slack-command';
import { outcomeMessage } from '#shared/notifications/model/slack-messages';
import { makeHandleSlackCommand } from '#shared/notifications/use-cases/handle-slack-command';

const command = { teamId: 'T0001', userId: 'U1', channelId: 'C1', responseUrl: 'https://hooks.slack.com/commands/1/2' };

const jobOf = (request: CloneRequest, jobId = 'job-00000001'): CloneJob => ({
  jobId,
  status: 'QUEUED',
  version: 1,
  request,
  vmName: `instaclone-${jobId}`,
  createdAt: '2026-11-25T12:00:00Z',
  updatedAt: '2026-11-25T12:00:00Z',
});

describe('Slack /clone command', () => {
  it('parses source, name and options into a clone request', () => {
    // Act
    const parsed = parseSlackCommand('/DC0/vm/golden ci-box ttl=30 wait=ip label.team=qa ci.job=42');
    // Assess
    expect(parsed).toEqual({
      kind: 'clone',
      request: {
        source: { path: '/DC0/vm/golden' },
        name: 'ci-box',
        ttlMinutes: 30,
        waitFor: 'ip',
        labels: { team: 'qa' },
        guestinfo: { 'ci.job': '42' },
      },
    });
  });

  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['status job-1', { kind: 'status', jobId: 'job-1' }],
    ['destroy job-1', { kind: 'destroy', jobId: 'job-1' }],
    ['vm-42', { kind: 'clone', request: { source: { moref: 'vm-42' }, labels: {} } }],
    ['status', { kind: 'invalid', problem: 'usage: /clone status <job id>' }],
    ['vm-42 __proto__=x', { kind: 'invalid', problem: '"__proto__" is not allowed as a key' }],
    ['vm-42 label.__proto__=x', { kind: 'invalid', problem: '"__proto__" is not allowed as a key' }],
  ])('parses "%s"', (text, expected) => {
    // Act + Assess
    expect(parseSlackCommand(text)).toEqual(expected);
  });

  it('submits a clone labelled with the team, user, channel and response URL, and answers ephemerally', async () => {
    // Prepare
    const submitted: CloneRequest[] = [];
    const handle = makeHandleSlackCommand({
      submit: async (r) => {
        submitted.push(r);
        return [jobOf(r)];
      },
      getClone: async () => {
        throw new Error('unused');
      },
      requestDestroy: async () => {
        throw new Error('unused');
      },
    });
    // Act
    const reply = await handle({ ...command, text: '/DC0/vm/DC0_H0_VM0 box-1 ttl=30' });
    // Assess
    expect(reply).toEqual({
      response_type: 'ephemeral',
      text: expect.stringContaining('job `job-00000001`'),
    });
    expect(submitted[0]).toMatchObject({
      source: { path: '/DC0/vm/DC0_H0_VM0' },
      name: 'box-1',
      ttlMinutes: 30,
      labels: {
        'slack.team': 'T0001',
        'slack.user': 'U1',
        'slack.channel': 'C1',
        'slack.response-url': 'https://hooks.slack.com/commands/1/2',
      },
    });
  });

  it('answers what is wrong, without submitting, when the request breaks the schema', async () => {
    // Prepare
    let submits = 0;
    const handle = makeHandleSlackCommand({
      submit: async () => {
        submits++;
        return [];
      },
      getClone: async (id) => {
        throw new JobNotFoundError(id);
      },
      requestDestroy: async () => {
        throw new Error('unused');
      },
    });
    // Act
    const reply = await handle({ ...command, text: '/DC0/vm/x ttl=zero' });
    // Assess
    expect(reply.text).toMatch(/^Cannot clone: ttlMinutes/);
    expect(submits).toBe(0);
  });

  it("does not show or destroy another workspace's clone", async () => {
    // Prepare
    const destroyed: string[] = [];
    const foreign = jobOf({ source: { moref: 'vm-1' }, labels: { 'slack.team': 'T9999' } } as unknown as CloneRequest);
    const handle = makeHandleSlackCommand({
      submit: async () => [],
      getClone: async () => foreign,
      requestDestroy: async (id) => {
        destroyed.push(id);
        return foreign;
      },
    });
    // Act
    const status = await handle({ ...command, text: 'status job-00000001' });
    const destroy = await handle({ ...command, text: 'destroy job-00000001' });
    // Assess
    expect(status.text).toContain('No clone job');
    expect(destroy.text).toContain('No clone job');
    expect(destroyed).toEqual([]);
  });

  it('describes a failed clone in plain words', () => {
    // Act
    const text = outcomeMessage('Clone Failed', {
      version: '1',
      jobId: 'job-1',
      status: 'FAILED',
      source: { path: '/DC0/vm/DC0_H0_VM1' },
      labels: {},
      vmName: 'instaclone-job-1',
      error: { code: 'VCENTER_FAULT', fault: 'InvalidPowerState', message: 'x', retryable: false },
      createdAt: '2026-11-25T12:00:00Z',
      at: '2026-11-25T12:00:01Z',
      durationMs: 1000,
    });
    // Assess
    expect(text).toBe(
      ':x: Clone of /DC0/vm/DC0_H0_VM1 failed: the source VM is not powered on (InvalidPowerState). Job `job-1`.',
    );
  });
});
