import type { Inventory } from '../inventory.js';
import type { NicRecord, VmRecord } from '../model.js';
import { bool, int, long, moref, obj, optStr, str, type VimObject, type VimValue } from '../soap/vim-value.js';

/** `config.hardware.device`: disks, NICs and serial/parallel ports, each `xsi:type`d with its concrete type. */
export function vmDevices(vm: VmRecord, inv: Inventory): VimValue[] {
  const disks = vm.disks.map((disk) =>
    obj(
      'VirtualDisk',
      [
        ['key', int(disk.key)],
        ['deviceInfo', description(disk.label, `${disk.capacityKB.toLocaleString('en-US')} KB`)],
        [
          'backing',
          obj(
            'VirtualDiskFlatVer2BackingInfo',
            [
              ['fileName', str(disk.fileName)],
              ['datastore', moref('Datastore', vm.datastore)],
              ['diskMode', str('persistent')],
              ['thinProvisioned', bool(true)],
              ['parent', parentChain(disk.parentFileNames ?? [])],
            ],
            true,
          ),
        ],
        ['controllerKey', int(1000)],
        ['unitNumber', int(0)],
        ['capacityInKB', long(disk.capacityKB)],
        ['capacityInBytes', long(disk.capacityKB * 1024)],
      ],
      true,
    ),
  );
  const nics = vm.nics.map((nic) => nicDevice(nic, inv));
  const ports = vm.ports.map((port) =>
    obj(
      port.kind === 'serial' ? 'VirtualSerialPort' : 'VirtualParallelPort',
      [
        ['key', int(port.key)],
        ['deviceInfo', description(port.label, port.fileName ?? port.uri ?? '')],
        [
          'backing',
          port.fileName !== undefined
            ? obj(
                port.kind === 'serial' ? 'VirtualSerialPortFileBackingInfo' : 'VirtualParallelPortFileBackingInfo',
                [['fileName', str(port.fileName)]],
                true,
              )
            : obj(
                'VirtualSerialPortURIBackingInfo',
                [
                  ['serviceURI', str(port.uri ?? '')],
                  ['direction', str('server')],
                ],
                true,
              ),
        ],
        ['yieldOnPoll', port.kind === 'serial' ? bool(true) : undefined],
      ],
      true,
    ),
  );
  return [...disks, ...nics, ...ports];
}

function description(label: string, summaryText: string): VimObject {
  return obj('Description', [
    ['label', str(label)],
    ['summary', str(summaryText)],
  ]);
}

function nicDevice(nic: NicRecord, inv: Inventory): VimObject {
  const network = inv.get(nic.network);
  const backing =
    network?.type === 'DistributedVirtualPortgroup'
      ? obj(
          'VirtualEthernetCardDistributedVirtualPortBackingInfo',
          [
            [
              'port',
              obj('DistributedVirtualSwitchPortConnection', [
                ['switchUuid', str(network.dvs === undefined ? '' : dvsUuid(inv, network.dvs))],
                ['portgroupKey', optStr(network.key)],
                ['portKey', optStr(nic.portKey)],
              ]),
            ],
          ],
          true,
        )
      : obj(
          'VirtualEthernetCardNetworkBackingInfo',
          [
            ['deviceName', str(network?.name ?? '')],
            ['useAutoDetect', bool(false)],
            ['network', moref('Network', nic.network)],
          ],
          true,
        );
  return obj(
    nic.deviceType,
    [
      ['key', int(nic.key)],
      ['deviceInfo', description(nic.label, network?.name ?? '')],
      ['backing', backing],
      [
        'connectable',
        obj('VirtualDeviceConnectInfo', [
          ['startConnected', bool(nic.startConnected)],
          ['allowGuestControl', bool(nic.allowGuestControl)],
          ['connected', bool(nic.connected)],
          ['status', str('ok')],
        ]),
      ],
      ['controllerKey', int(100)],
      ['unitNumber', int(7 + (nic.key - 4000))],
      ['addressType', str(nic.addressType)],
      ['macAddress', str(nic.macAddress)],
      ['wakeOnLanEnabled', bool(true)],
    ],
    true,
  );
}

function dvsUuid(inv: Inventory, dvs: string): string {
  const record = inv.get(dvs);
  return record?.type === 'VmwareDistributedVirtualSwitch' ? record.uuid : '';
}

/** The delta-disk chain as nested `parent` backings, nearest first, as vCenter reports it. */
function parentChain(fileNames: string[]): ReturnType<typeof obj> | undefined {
  const [nearest, ...older] = fileNames;
  if (nearest === undefined) return undefined;
  return obj('VirtualDiskFlatVer2BackingInfo', [
    ['fileName', str(nearest)],
    ['diskMode', str('persistent')],
    ['parent', parentChain(older)],
  ]);
}
