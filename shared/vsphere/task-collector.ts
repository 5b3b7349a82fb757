/**
 * The client's one session-scoped PropertyCollector and its *source filters*: one filter per source VM that follows
 * its `recentTask` and reports the task paths of every task on it, so a clone of a VM already watched needs no
 * CreateFilter at all. Created on first use, forgotten (filters and all) when the session changes or a wait on it
 * fails; nothing here is needed for correctness (the waiter reads tasks directly when news does not come), only for
 * economy. It also keeps the WaitForUpdatesEx version.
 */
import { VimTransportError } from './errors.js';
import type { Session } from './session.js';
import { child, moRef, type Node, returnval, text } from './soap/parse.js';
import { mo, recentTaskFilterSpec } from './soap/serialize.js';
import type { VimArgs } from './soap/transport.js';
import type { CallOptions, MoRef } from './types.js';

interface Generation {
  ref: Promise<MoRef>;
  /** Session epoch the collector was created in; -1 while CreatePropertyCollector (maybe a login first) runs. */
  epoch: number;
  version: string;
  /** Source VMs by moref value: pending or settled CreateFilter. */
  filters: Map<string, Promise<void>>;
  /** Source VMs whose filter exists. */
  live: Set<string>;
}

export class TaskCollector {
  private current: Generation | undefined;

  constructor(private readonly session: Session) {}

  /**
   * Makes sure tasks on `vm` are reported by a source filter; concurrent calls for one VM share one CreateFilter.
   * Best effort: never rejects (a VM without a filter gets its tasks read directly).
   */
  async watchSource(vm: MoRef, options: CallOptions): Promise<void> {
    const generation = this.generation(options);
    let pending = generation.filters.get(vm.value);
    if (!pending) {
      pending = (async () => {
        const collector = await generation.ref;
        const spec = recentTaskFilterSpec(vm);
        await this.session.call('CreateFilter', { _this: mo(collector), spec, partialUpdates: false }, options);
        generation.live.add(vm.value);
      })().catch(() => {
        generation.filters.delete(vm.value);
      });
      generation.filters.set(vm.value, pending);
    }
    await pending;
  }

  /** True when a live source filter reports the tasks of `vm`. */
  reports(vm: MoRef): boolean {
    return this.usable(this.current) && this.current.live.has(vm.value);
  }

  /**
   * One WaitForUpdatesEx from the last version: the UpdateSet, or undefined when `maxWaitSeconds` passed without a
   * change. Rejects when there is no live collector or the call fails; the caller then {@link drop}s it.
   */
  async waitForUpdates(maxWaitSeconds: number, options: CallOptions & { timeoutMs: number }): Promise<Node> {
    const generation = this.current;
    if (!this.usable(generation)) throw new VimTransportError('aborted', 'no property collector', { retryable: true });
    const args: VimArgs = { _this: mo(await generation.ref) };
    if (generation.version) args['version'] = generation.version;
    args['options'] = { maxWaitSeconds };
    const update = returnval(await this.session.call('WaitForUpdatesEx', args, options));
    generation.version = text(child(update, 'version')) ?? generation.version;
    return update;
  }

  /** Forgets the collector and its filters (the session that owned them ended, or a wait on it failed). */
  drop(): void {
    this.current = undefined;
  }

  private usable(generation: Generation | undefined): generation is Generation {
    return generation !== undefined && (generation.epoch === -1 || generation.epoch === this.session.epoch);
  }

  private generation(options: CallOptions): Generation {
    if (this.usable(this.current)) return this.current;
    const generation: Generation = {
      ref: Promise.resolve({ type: 'PropertyCollector', value: '' }),
      epoch: -1,
      version: '',
      filters: new Map(),
      live: new Set(),
    };
    generation.ref = this.create(generation, options);
    generation.ref.catch(() => {
      if (this.current === generation) this.current = undefined;
    });
    this.current = generation;
    return generation;
  }

  private async create(generation: Generation, options: CallOptions): Promise<MoRef> {
    const sc = await this.session.serviceContent(options);
    const answer = await this.session.call('CreatePropertyCollector', { _this: mo(sc.propertyCollector) }, options);
    const ref = moRef(returnval(answer));
    if (!ref) {
      throw new VimTransportError('bad-response', 'CreatePropertyCollector returned no collector', {
        retryable: false,
      });
    }
    generation.epoch = this.session.epoch;
    return ref;
  }
}
