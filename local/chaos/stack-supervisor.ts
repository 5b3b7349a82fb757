import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { CloneMessageInput } from '#shared/clones/model/clone-message';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local-aws.js';
import { type StackChild, spawnStack } from './spawn-stack.js';
import type { StackProcessConfig, StackReady } from './stack-process-config.js';

/**
 * Keeps one local stack running in a child process and lets the chaos run kill or restart it. Callers go through
 * {@link StackSupervisor.use}, which waits while the stack is down, so a request is never sent into the gap; the
 * worker inside the stack, by contrast, gets no warning: it dies wherever it is.
 */
export class StackSupervisor {
  private current: StackChild | undefined;
  private sqs: SQSClient | undefined;
  private up: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private drained: Array<() => void> = [];
  /** Every stdout/stderr line of every stack process so far (for the secret scan). */
  readonly output: string[] = [];
  kills = 0;
  restarts = 0;

  constructor(private readonly config: StackProcessConfig) {}

  get ready(): StackReady {
    if (!this.current) throw new Error('the stack is not running');
    return this.current.ready;
  }

  async start(): Promise<void> {
    this.current = await spawnStack(this.config);
    this.sqs = new SQSClient({
      endpoint: this.current.ready.sqsEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  }

  /** Runs `fn` against the running stack, waiting first if it is being restarted. */
  async use<T>(fn: (ready: StackReady) => Promise<T>): Promise<T> {
    await this.up;
    this.inFlight++;
    try {
      return await fn(this.ready);
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /** Sends a second copy of a job's clone message straight to the queue: SQS may deliver any message twice. */
  async duplicate(jobId: string): Promise<void> {
    const message: CloneMessageInput = { version: '1', jobId, action: 'clone' };
    await this.use((ready) =>
      (this.sqs as SQSClient).send(
        new SendMessageCommand({ QueueUrl: ready.queueUrl, MessageBody: JSON.stringify(message) }),
      ),
    );
  }

  /** Messages in the clone queue (visible or in flight) and in its DLQ, where a job's last hope of a retry ends. */
  async queueDepths(): Promise<{ queue: number; dlq: number }> {
    const depth = (url: string) =>
      this.use(async () => {
        const { Attributes = {} } = await (this.sqs as SQSClient).send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return (
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
        );
      });
    return { queue: await depth(this.ready.queueUrl), dlq: await depth(this.ready.dlqUrl) };
  }

  /** SIGKILL (the worker dies mid-step, the in-memory queue with it), then a new stack on the same data folder. */
  kill(): Promise<number> {
    this.kills++;
    return this.replace((child) => child.kill());
  }

  /** A clean stop (SIGTERM) and a fresh start on the same data folder: what `npm start` after Ctrl-C does. */
  restart(): Promise<number> {
    this.restarts++;
    return this.replace((child) => child.stop());
  }

  async stop(): Promise<void> {
    await this.settle();
    await this.current?.stop();
    this.collect();
  }

  /** Lets in-flight API calls finish (briefly), ends the stack with `end`, starts another; resolves its redriven count. */
  private async replace(end: (child: StackChild) => Promise<void>): Promise<number> {
    let open = () => {};
    this.up = new Promise<void>((resolve) => {
      open = resolve;
    });
    try {
      await this.settle();
      if (this.current) await end(this.current);
      this.collect();
      await this.start();
      return this.ready.redriven;
    } finally {
      open();
    }
  }

  private async settle(): Promise<void> {
    if (this.inFlight === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => this.drained.push(resolve)),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ]);
  }

  private collect(): void {
    this.sqs?.destroy();
    if (this.current) this.output.push(...this.current.output.splice(0));
  }
}
