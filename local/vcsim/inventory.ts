import type { EntityRecord, FolderRecord, VmRecord } from './model.js';

// Sub-folder moref letters by what the folder holds (`childType`), most specific first.
const FOLDER_LETTERS: ReadonlyArray<readonly [string, string]> = [
  ['VirtualMachine', 'v'],
  ['ComputeResource', 'h'],
  ['Datastore', 's'],
  ['Network', 'n'],
  ['Datacenter', 'd'],
];

/** Where the allocators stand: the last moref number, MACs and guest IPs handed out. */
export interface InventoryCounters {
  id: number;
  mac: number;
  ip: number;
}

/**
 * The live inventory: every managed entity by moref value, plus the allocators vCenter would own (moref numbers,
 * MAC addresses, guest IPs). Every mutation goes through `changed()`, which wakes pending WaitForUpdates calls.
 */
export class Inventory {
  readonly entities = new Map<string, EntityRecord>();
  readonly rootFolder = 'group-d1';
  private readonly next: InventoryCounters;
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  /** folder moref → VM name → VM moref, so DuplicateName checks stay O(1) with thousands of clones. */
  private readonly vmNames = new Map<string, Map<string, string>>();

  constructor(counters: InventoryCounters = { id: 1, mac: 0, ip: 0 }) {
    this.next = { ...counters };
  }

  /**
   * An inventory from saved entities (folder children included) and counters, so that nothing it hands out later
   * (moref, MAC, guest IP) repeats what the saved one handed out.
   */
  static restore(entities: readonly EntityRecord[], counters: InventoryCounters): Inventory {
    const inventory = new Inventory(counters);
    for (const entity of entities) {
      inventory.add(entity);
      if (entity.type === 'VirtualMachine') inventory.indexName(entity);
    }
    return inventory;
  }

  /** The allocators' positions, to save with the entities. */
  get counters(): InventoryCounters {
    return { ...this.next };
  }

  /** A fresh moref value such as `vm-42`; numbers are shared across types as in vCenter. */
  newMoref(prefix: string, separator = '-'): string {
    this.next.id += 1;
    return `${prefix}${separator}${this.next.id}`;
  }

  add<T extends EntityRecord>(entity: T): T {
    this.entities.set(entity.moref, entity);
    return entity;
  }

  get(moref: string): EntityRecord | undefined {
    return this.entities.get(moref);
  }

  getVm(moref: string): VmRecord | undefined {
    const entity = this.entities.get(moref);
    return entity?.type === 'VirtualMachine' ? entity : undefined;
  }

  getFolder(moref: string): FolderRecord | undefined {
    const entity = this.entities.get(moref);
    return entity?.type === 'Folder' ? entity : undefined;
  }

  /** All VMs in creation order; this is the hot path of 10,000-VM property retrievals, so it returns a plain array. */
  vms(): VmRecord[] {
    const out: VmRecord[] = [];
    for (const entity of this.entities.values()) if (entity.type === 'VirtualMachine') out.push(entity);
    return out;
  }

  /** Adds a VM to the inventory and to its folder's children. */
  addVm(vm: VmRecord): VmRecord {
    this.add(vm);
    this.getFolder(vm.folder)?.children.push(vm.moref);
    this.indexName(vm);
    this.changed();
    return vm;
  }

  private indexName(vm: VmRecord): void {
    const names = this.vmNames.get(vm.folder) ?? new Map<string, string>();
    names.set(vm.name, vm.moref);
    this.vmNames.set(vm.folder, names);
  }

  /** Removes a VM and unlinks it from its folder. */
  removeVm(vm: VmRecord): void {
    this.entities.delete(vm.moref);
    if (this.vmNames.get(vm.folder)?.get(vm.name) === vm.moref) this.vmNames.get(vm.folder)?.delete(vm.name);
    const folder = this.getFolder(vm.folder);
    if (folder) folder.children = folder.children.filter((child) => child !== vm.moref);
    this.changed();
  }

  /**
   * Creates a folder under `parent` that holds what its parent holds; moref `group-v…` (VMs), `group-h…` (hosts),
   * `group-s…` (datastores), `group-n…` (networks) or `group-d…` (datacenters), as vCenter names them.
   */
  addFolder(parent: FolderRecord, name: string): FolderRecord {
    const letter = FOLDER_LETTERS.find(([type]) => parent.childType.includes(type))?.[1] ?? 'f';
    const folder = this.add<FolderRecord>({
      type: 'Folder',
      moref: this.newMoref(`group-${letter}`, ''),
      name,
      parent: parent.moref,
      childType: [...parent.childType],
      children: [],
    });
    parent.children.push(folder.moref);
    this.changed();
    return folder;
  }

  /** Removes an (emptied) folder and unlinks it from its parent. */
  removeFolder(folder: FolderRecord): void {
    this.entities.delete(folder.moref);
    const parent = folder.parent === undefined ? undefined : this.getFolder(folder.parent);
    if (parent) parent.children = parent.children.filter((child) => child !== folder.moref);
    this.changed();
  }

  /** Renames a VM or folder, keeping the per-folder VM name index right. */
  rename(entity: EntityRecord, name: string): void {
    if (entity.type === 'VirtualMachine') {
      const names = this.vmNames.get(entity.folder);
      if (names?.get(entity.name) === entity.moref) names.delete(entity.name);
      names?.set(name, entity.moref);
    }
    entity.name = name;
    this.changed();
  }

  /** The VM named `name` directly in folder `folder`, if any. */
  vmInFolder(folder: string, name: string): string | undefined {
    return this.vmNames.get(folder)?.get(name);
  }

  /**
   * Immediate children as FindChild sees them (reference §2.4): folder children; a datacenter's four folders; a
   * compute resource's hosts and root pool; a pool's child pools and VMs.
   */
  childrenOf(entity: EntityRecord): string[] {
    switch (entity.type) {
      case 'Folder':
        return entity.children;
      case 'Datacenter':
        return [entity.vmFolder, entity.hostFolder, entity.datastoreFolder, entity.networkFolder];
      case 'ComputeResource':
      case 'ClusterComputeResource':
        return [...entity.hosts, entity.resourcePool];
      case 'ResourcePool':
        return [
          ...entity.pools,
          ...this.vms()
            .filter((vm) => vm.pool === entity.moref)
            .map((vm) => vm.moref),
        ];
      default:
        return [];
    }
  }

  /** The child of `parent` whose (escaped) name is `name`, if any. */
  findChild(parent: EntityRecord, name: string): EntityRecord | undefined {
    for (const moref of this.childrenOf(parent)) {
      const candidate = this.entities.get(moref);
      if (candidate?.name === name) return candidate;
    }
    return undefined;
  }

  /**
   * Resolves `/DC0/vm/DC0_H0_VM0` (or the same without the leading slash) from the root folder with FindChild
   * semantics. Empty segments are ignored, so `DC0//vm` and a trailing slash resolve too.
   */
  findByInventoryPath(path: string): EntityRecord | undefined {
    let current = this.entities.get(this.rootFolder);
    for (const segment of path.split('/')) {
      if (segment === '') continue;
      if (!current) return undefined;
      current = this.findChild(current, segment);
    }
    return current;
  }

  /** The datacenter that contains an entity (walking `parent`), used for default clone folders. */
  datacenterOf(moref: string): EntityRecord | undefined {
    let current = this.entities.get(moref);
    while (current && current.type !== 'Datacenter') {
      const parent: string | undefined = current.type === 'VirtualMachine' ? current.folder : current.parent;
      current = parent === undefined ? undefined : this.entities.get(parent);
    }
    return current;
  }

  /** A vCenter-assigned MAC in `00:50:56:80:00:00`–`00:50:56:bf:ff:ff`, never handed out twice. */
  allocateMac(): string {
    const n = this.next.mac++;
    const hex = (v: number): string => v.toString(16).padStart(2, '0');
    return `00:50:56:${hex(0x80 + ((n >> 16) & 0x3f))}:${hex((n >> 8) & 0xff)}:${hex(n & 0xff)}`;
  }

  /** A fresh guest IPv4 address in 10.0.0.0/8, never handed out twice. */
  allocateIp(): string {
    const n = ++this.next.ip;
    return `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;
  }

  /** Records that something visible changed and wakes WaitForUpdates waiters. */
  changed(): void {
    this.generation += 1;
    for (const listener of this.listeners) listener();
  }

  get version(): number {
    return this.generation;
  }

  /** Subscribes to `changed()`; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
