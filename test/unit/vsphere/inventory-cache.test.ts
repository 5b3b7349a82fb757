import { afterEach, describe, expect, it } from 'vitest';
import { createVimClient, InventoryCache, type MoRef, type VimClient } from '#shared/vsphere/index';
import { countingCredentials, type FakeVcenter, fault, fixture, ok, startFakeVcenter } from './fake-vcenter.js';

/** FindByInventoryPath answers `vm-<n>` for the n-th call: the golden image is re-created between calls. */
const recreatedEachTime = (_req: unknown, n: number) => ({
  body: fixture('find-by-inventory-path.xml').replace('vm-42', `vm-${41 + n}`),
});

/** RetrievePropertiesEx: only `alive` exists; any other VM is gone. */
const onlyVm = (alive: string) => (req: { body: string }) =>
  req.body.includes(`>${alive}<`) ? ok('retrieve-properties-vm.xml') : fault('fault-managed-object-not-found.xml');

const readGolden = (vim: VimClient, cache: InventoryCache) =>
  cache.run(async (lookups) => {
    const ref = (await lookups.byPath('/DC0/vm/golden')) as MoRef<'VirtualMachine'>;
    await vim.getVm(ref);
    return ref.value;
  });

describe('vim25 client: the inventory cache', () => {
  let vc: FakeVcenter;
  afterEach(async () => {
    await vc?.close();
  });

  it('answers a path from the cache until its TTL passes, and never caches "nothing there"', async () => {
    // Prepare
    vc = await startFakeVcenter({
      FindChild: { body: fixture('find-by-inventory-path-none.xml').replaceAll('FindByInventoryPath', 'FindChild') },
    });
    let now = 1_000;
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const cache = new InventoryCache(vim, { ttlMs: 60_000, now: () => now });
    const folder: MoRef = { type: 'Folder', value: 'group-v4' };

    // Act
    const first = await cache.run((at) => at.byPath('/DC0/vm/golden'));
    const second = await cache.run((at) => at.byPath('/DC0/vm/golden'));
    now += 60_001;
    await cache.run((at) => at.byPath('/DC0/vm/golden'));
    await cache.run((at) => at.child(folder, 'nope'));
    const missing = await cache.run((at) => at.child(folder, 'nope'));

    // Assess
    expect(first).toEqual({ type: 'VirtualMachine', value: 'vm-42' });
    expect(second).toEqual(first);
    expect(vc.calls('FindByInventoryPath')).toHaveLength(2);
    expect(missing).toBeUndefined();
    expect(vc.calls('FindChild')).toHaveLength(2);
  });

  it('shares one lookup between concurrent askers', async () => {
    // Prepare
    vc = await startFakeVcenter();
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const cache = new InventoryCache(vim);

    // Act
    await Promise.all(Array.from({ length: 10 }, () => cache.run((at) => at.byPath('/DC0/vm/golden'))));

    // Assess
    expect(vc.calls('FindByInventoryPath')).toHaveLength(1);
  });

  it('forgets a cached moref vCenter says is gone, looks it up afresh once and repeats the work once', async () => {
    // Prepare: vm-42 is cached, then the golden image is re-created as vm-43
    vc = await startFakeVcenter({ FindByInventoryPath: recreatedEachTime, RetrievePropertiesEx: onlyVm('vm-42') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const cache = new InventoryCache(vim);
    await readGolden(vim, cache);
    vc.routes['RetrievePropertiesEx'] = onlyVm('vm-43');

    // Act
    const used = await readGolden(vim, cache);

    // Assess
    expect(used).toBe('vm-43');
    expect(vc.calls('FindByInventoryPath')).toHaveLength(2);
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(3);
  });

  it('repeats nothing when the failing work used no cached answer, and repeats at most once', async () => {
    // Prepare: every VM is gone
    vc = await startFakeVcenter({ FindByInventoryPath: recreatedEachTime, RetrievePropertiesEx: onlyVm('none') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const cache = new InventoryCache(vim);

    // Act
    const fresh = await readGolden(vim, cache).catch((e: unknown) => e);
    await cache.run((at) => at.byPath('/DC0/vm/golden'));
    const reads = vc.calls('RetrievePropertiesEx').length;
    const stale = await readGolden(vim, cache).catch((e: unknown) => e);

    // Assess
    expect(fresh).toMatchObject({ faultType: 'ManagedObjectNotFound' });
    expect(stale).toMatchObject({ faultType: 'ManagedObjectNotFound' });
    expect(vc.calls('RetrievePropertiesEx').length - reads).toBe(2);
  });

  it('passes other failures through without forgetting anything', async () => {
    // Prepare
    vc = await startFakeVcenter({ RetrievePropertiesEx: fault('fault-task-in-progress.xml') });
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const cache = new InventoryCache(vim);
    await cache.run((at) => at.byPath('/DC0/vm/golden'));

    // Act
    const error = await readGolden(vim, cache).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ faultType: 'TaskInProgress' });
    expect(vc.calls('RetrievePropertiesEx')).toHaveLength(1);
    expect(vc.calls('FindByInventoryPath')).toHaveLength(1);
  });

  it('sweeps answers nobody asks for again once they expire, so a warm worker does not keep them for life', async () => {
    // Prepare: 50 golden images looked up once each (a farm that rebuilds its images under new names).
    vc = await startFakeVcenter();
    let now = 1_000;
    const vim = createVimClient({ url: vc.url, credentials: countingCredentials() });
    const cache = new InventoryCache(vim, { ttlMs: 60_000, sourceTtlMs: 10_000, now: () => now });
    for (let i = 0; i < 50; i++) await cache.run((at) => at.byPath(`/DC0/vm/golden-${i}`));
    const held = cache.size;

    // Act: past their TTL, one more lookup of a new image.
    now += 60_001;
    await cache.run((at) => at.byPath('/DC0/vm/golden-new'));

    // Assess
    expect(held).toBe(50);
    expect(cache.size).toBe(1);
  });
});
