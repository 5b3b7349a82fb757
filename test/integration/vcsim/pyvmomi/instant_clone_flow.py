"""Drives the simulator with pyVmomi (an SDK nobody here wrote) and prints one JSON object with what it saw.

Usage: python3 instant_clone_flow.py HOST PORT CA_FILE
(pyVmomi 6.7 cannot speak plain http, so the simulator runs with --tls and the script verifies its certificate.)
Login, find the source by inventory path, instant-clone it with a manual MAC, a disconnected NIC and guestinfo,
wait for the task, read the clone back, hit DuplicateName and InvalidPowerState, then power off and destroy.
"""
import json
import ssl
import sys

from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim


def task_fault(task_fn):
    try:
        WaitForTask(task_fn())
    except vim.fault.VimFault as fault:
        return type(fault).__name__, fault
    return None, None


def main(host, port, ca_file):
    context = ssl.create_default_context(cafile=ca_file)
    si = SmartConnect(host=host, port=port, user="administrator@vsphere.local", pwd="pass", sslContext=context)
    out = {"apiVersion": si.content.about.apiVersion}
    search = si.content.searchIndex
    source = search.FindByInventoryPath("/DC0/vm/DC0_H0_VM0")
    out["source"] = source.name

    nic = [d for d in source.config.hardware.device if isinstance(d, vim.vm.device.VirtualEthernetCard)][0]
    nic.addressType = "manual"
    nic.macAddress = "00:50:56:12:34:56"
    nic.connectable = vim.vm.device.VirtualDevice.ConnectInfo(
        migrateConnect="disconnect", startConnected=True, allowGuestControl=True, connected=False
    )
    spec = vim.vm.InstantCloneSpec(
        name="py-ic-1",
        location=vim.vm.RelocateSpec(deviceChange=[vim.vm.device.VirtualDeviceSpec(operation="edit", device=nic)]),
        config=[vim.option.OptionValue(key="guestinfo.ic.hostname", value="py-ic-1")],
    )
    task = source.InstantClone_Task(spec=spec)
    WaitForTask(task)
    # TaskInfo.name is a vmodl.MethodName: pyVmomi resolves it to the method, which proves the WSDL name is right.
    out["taskName"] = task.info.name.info.wsdlName
    out["descriptionId"] = task.info.descriptionId
    clone = task.info.result
    out["clone"] = {
        "name": clone.name,
        "powerState": clone.runtime.powerState,
        "sameHost": clone.runtime.host == source.runtime.host,
        "nics": [
            {"mac": d.macAddress, "addressType": d.addressType, "connected": d.connectable.connected}
            for d in clone.config.hardware.device
            if isinstance(d, vim.vm.device.VirtualEthernetCard)
        ],
        "extraConfig": {o.key: o.value for o in clone.config.extraConfig},
        "ipAddress": clone.guest.ipAddress,
    }

    name, fault = task_fault(lambda: source.InstantClone_Task(spec=spec))
    out["duplicate"] = {"fault": name, "name": getattr(fault, "name", None)}

    off_source = search.FindByInventoryPath("/DC0/vm/DC0_H0_VM1")
    WaitForTask(off_source.PowerOffVM_Task())
    spec.name = "py-ic-2"
    spec.location = vim.vm.RelocateSpec()
    name, fault = task_fault(lambda: off_source.InstantClone_Task(spec=spec))
    out["poweredOff"] = {
        "fault": name,
        "requestedState": getattr(fault, "requestedState", None),
        "existingState": getattr(fault, "existingState", None),
    }

    name, _ = task_fault(lambda: clone.Destroy_Task())
    out["destroyWhileOn"] = name
    WaitForTask(clone.PowerOffVM_Task())
    WaitForTask(clone.Destroy_Task())
    out["destroyed"] = search.FindByInventoryPath("/DC0/vm/py-ic-1") is None
    Disconnect(si)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
