#!/usr/bin/env bash
# In-guest side of instaclone's GitHub runners. Install it in the golden (source) VM as a systemd service
# (instaclone-runner.service) and leave the VM powered on: instant clones fork the *running* VM, so this script is
# already running in every clone the moment it exists.
#
# 1. Wait for the fork. The golden VM never has guestinfo.instaclone.runner.jitconfig; a runner cloned for its job
#    has it from its first instruction (instaclone's worker resolves it just before InstantClone_Task). A warm-pool
#    spare has guestinfo.instaclone.runner.warm (from its pool's template) instead, and gets the JIT config later,
#    when a job claims it.
# 2. Re-identify the guest: the clone starts with the source's machine-id and DHCP lease (its MACs were changed by
#    the clone itself). A warm spare does this at once, while it waits, so a claimed spare starts its runner at once.
# 3. Run the just-in-time runner once (`run.sh --jitconfig`), then power off. JIT runners are ephemeral: one job,
#    then they unregister. instaclone destroys the VM when GitHub reports the job completed.
set -euo pipefail

RUNNER_DIR="${RUNNER_DIR:-/opt/actions-runner}"
RUNNER_USER="${RUNNER_USER:-runner}"
POLL_SECONDS="${POLL_SECONDS:-0.2}"
MACHINE_ID_FILE="${MACHINE_ID_FILE:-/etc/machine-id}"

guestinfo() { vmware-rpctool "info-get guestinfo.$1" 2>/dev/null || true; }
log() { echo "instaclone-runner: $*" | systemd-cat -t instaclone-runner 2>/dev/null || echo "instaclone-runner: $*" >&2; }

reidentify() {
  if [ -w "$MACHINE_ID_FILE" ]; then rm -f "$MACHINE_ID_FILE" && systemd-machine-id-setup >/dev/null 2>&1 || true; fi
  if command -v networkctl >/dev/null && systemctl is-active --quiet systemd-networkd; then
    networkctl renew "$(ip -o route show default | awk '{print $5; exit}')" || networkctl reload
  elif command -v nmcli >/dev/null; then
    nmcli networking off && nmcli networking on
  elif command -v dhclient >/dev/null; then
    dhclient -r && dhclient
  fi
}

command -v vmware-rpctool >/dev/null || { log "vmware-rpctool not found: install open-vm-tools"; exit 1; }

# 1. Wait for the fork (cheap: one RPC to VMware Tools per poll); a warm spare re-identifies while it waits.
jitconfig=""
reidentified=""
while [ -z "$jitconfig" ]; do
  jitconfig="$(guestinfo instaclone.runner.jitconfig)"
  if [ -z "$jitconfig" ] && [ -z "$reidentified" ] && [ -n "$(guestinfo instaclone.runner.warm)" ]; then
    reidentify
    reidentified="warm"
    log "warm spare re-identified; waiting for a job"
  fi
  [ -n "$jitconfig" ] || sleep "$POLL_SECONDS"
done
# Keep the credential out of guestinfo reads by other processes from now on (best effort; needs Tools >= 11).
vmware-rpctool "info-set guestinfo.instaclone.runner.jitconfig " >/dev/null 2>&1 || true

# 2. Re-identify (done already on a warm spare). The runner name is instaclone-<jobId>.
name="$(guestinfo instaclone.runner.name)"
[ -n "$name" ] || name="$(hostname)-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
hostnamectl set-hostname "$name" 2>/dev/null || hostname "$name" 2>/dev/null || true
[ -n "$reidentified" ] || reidentify
log "clone $name ready; repo $(guestinfo instaclone.runner.repo), job $(guestinfo instaclone.runner.job-id)"

# 3. One job, then power off (instaclone destroys the VM on workflow_job completed; the lease bounds the rest).
cd "$RUNNER_DIR"
status=0
sudo -u "$RUNNER_USER" ./run.sh --jitconfig "$jitconfig" || status=$?
log "runner exited with $status; powering off"
systemctl poweroff
