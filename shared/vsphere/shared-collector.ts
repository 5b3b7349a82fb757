/**
 * The client's one session-scoped PropertyCollector: created on first use (CreatePropertyCollector), re-created
 * after a re-login (it dies with the session), and recycled (DestroyPropertyCollector, filters and all) when
 * enough per-task filters of finished tasks have piled up, instead of destroying each filter with a round trip.
 * It also keeps the WaitForUpdatesEx version.
 */
import { VimFaultError, VimTransportError } from './errors.js';
import type { Session } from './session.js';
import type { XmlObject } from './soap/envelope.js';
import { child, moRef, type Node, returnval, text } from './soap/parse.js';
import { mo } from './soap/serialize.js';
import type { VimArgs } from './soap/transport.js';
import type { CallOptions, MoRef } from './types.js';

const RECYCLE_AFTER_FILTERS = 64;

export class SharedCollector {
  private current: { ref: MoRef; epoch: number; generation: number } | undefined;
  private creating: Promise<MoRef> | undefined;
  private generations = 0;
  private version = '';
  /** Filters whose task has finished; they stay on the server until the collector is recycled. */
  private deadFilters = 0;

  constructor(private readonly session: Session) {}

  /** Generation of the live collector (filters from another generation are gone), or -1. */
  get generation(): number {
    return this.usable() ? (this.current?.generation ?? -1) : -1;
  }

  usable(): boolean {
    return this.current !== undefined && this.current.epoch === this.session.epoch;
  }

  /** Forgets the collector (the session that owned it ended, or vCenter says it is gone). */
  drop(): void {
    this.current = undefined;
  }

  /** Counts a filter whose object is no longer interesting. */
  retireFilter(): void {
    this.deadFilters++;
  }

  /** A live collector; recycles the old one first when `idle` and enough dead filters piled up. */
  async ensure(options: CallOptions, idle: boolean): Promise<MoRef> {
    if (this.current && this.usable()) {
      if (this.deadFilters < RECYCLE_AFTER_FILTERS || !idle) return this.current.ref;
      const old = this.current.ref;
      this.current = undefined;
      await this.session.call('DestroyPropertyCollector', { _this: mo(old) }, options).catch(() => undefined);
    }
    this.creating ??= this.create(options).finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async create(options: CallOptions): Promise<MoRef> {
    const sc = await this.session.serviceContent(options);
    const answer = await this.session.call('CreatePropertyCollector', { _this: mo(sc.propertyCollector) }, options);
    const ref = moRef(returnval(answer));
    if (!ref) {
      throw new VimTransportError('bad-response', 'CreatePropertyCollector returned no collector', {
        retryable: false,
      });
    }
    this.current = { ref, epoch: this.session.epoch, generation: ++this.generations };
    this.version = '';
    this.deadFilters = 0;
    return ref;
  }

  /** CreateFilter(spec, partialUpdates=false) on the live collector. */
  async createFilter(spec: XmlObject, options: CallOptions, idle: boolean) {
    const collector = await this.ensure(options, idle);
    const answer = await this.session.call(
      'CreateFilter',
      { _this: mo(collector), spec, partialUpdates: false },
      options,
    );
    return { filter: moRef(returnval(answer)) ?? { type: 'PropertyFilter', value: '' }, generation: this.generation };
  }

  /**
   * One WaitForUpdatesEx from the last version. Resolves with the UpdateSet, or undefined when `maxWaitSeconds`
   * passed without a change. A rejected version is reset, so the next call starts over with full `enter` updates.
   */
  async waitForUpdates(maxWaitSeconds: number, options: CallOptions & { timeoutMs: number }): Promise<Node> {
    const current = this.current;
    if (!current || !this.usable()) throw new VimFaultError('NotAuthenticated', 'the session changed');
    const args: VimArgs = { _this: mo(current.ref) };
    if (this.version) args['version'] = this.version;
    args['options'] = { maxWaitSeconds };
    try {
      const update = returnval(await this.session.call('WaitForUpdatesEx', args, options));
      this.version = text(child(update, 'version')) ?? this.version;
      return update;
    } catch (err) {
      if (err instanceof VimFaultError && err.faultType === 'InvalidCollectorVersion') this.version = '';
      throw err;
    }
  }

  /** True when `err` says the collector itself no longer exists. */
  isGone(err: unknown): boolean {
    if (!(err instanceof VimFaultError) || err.faultType !== 'ManagedObjectNotFound') return false;
    const obj = err.fields['obj'];
    return typeof obj === 'object' && obj !== null && 'type' in obj && obj.type === 'PropertyCollector';
  }
}
