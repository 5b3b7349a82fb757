#!/usr/bin/env bash
# In-guest side of instaclone's GitHub runners. Install it in the golden (source) VM as a systemd service
# (instaclone-runner.service) and leave the VM powered on: instant clones fork the *running* VM, so this script is
# already running in every clone the moment it exists.
#
# 1. Wait for the fork. The golden VM never has guestinfo.instaclone.runner.jitconfig; a clone has it from its
#    first instruction (instaclone's worker resolves it from the GitHub API just before InstantClone_Task).
# 2. Re-identify the guest: the clone starts with the source's hostname, machine-id and DHCP lease (its MACs were
#    changed by the clone itself).
# 3. Run the just-in-time runner once (`run.sh --jitconfig`), then power off. JIT runners are ephemeral: one job,
#    then they unregister. instaclone destroys the VM when GitHub reports the job completed.
set -euo pipefail

RUNNER_DIR="${RUNNER_DIR:-/opt/actions-runner}"
RUNNER_USER="${RUNNER_USER:-runner}"
POLL_SECONDS="${POLL_SECONDS:-0.2}"

guestinfo() { vmware-rpctool "info-get guestinfo.$1" 2>/dev/null || true; }
log() { echo "instaclone-runner: $*" | systemd-cat -t instaclone-runner 2>/dev/null || echo "instaclone-runner: $*" >&2; }

command -v vmware-rpctool >/dev/null || { log "vmware-rpctool not found: install open-vm-tools"; exit 1; }

# 1. Wait for the fork (cheap: one RPC to VMware Tools per poll).
jitconfig=""
while [ -z "$jitconfig" ]; do
  jitconfig="$(guestinfo instaclone.runner.jitconfig)"
  [ -n "$jitconfig" ] || sleep "$POLL_SECONDS"
done
# Keep the credential out of guestinfo reads by other processes from now on (best effort; needs Tools >= 11).
vmware-rpctool "info-set guestinfo.instaclone.runner.jitconfig " >/dev/null 2>&1 || true

# 2. Re-identify. The VM name is the runner name (instaclone-github-job-<id>).
name="$(guestinfo instaclone.runner.name)"
[ -n "$name" ] || name="$(hostname)-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
hostnamectl set-hostname "$name" 2>/dev/null || hostname "$name"
if [ -w /etc/machine-id ]; then rm -f /etc/machine-id && systemd-machine-id-setup >/dev/null 2>&1 || true; fi
if command -v networkctl >/dev/null && systemctl is-active --quiet systemd-networkd; then
  networkctl renew "$(ip -o route show default | awk '{print $5; exit}')" || networkctl reload
elif command -v nmcli >/dev/null; then
  nmcli networking off && nmcli networking on
elif command -v dhclient >/dev/null; then
  dhclient -r && dhclient
fi
log "clone $name re-identified; repo $(guestinfo instaclone.runner.repo), job $(guestinfo instaclone.runner.job-id)"

# 3. One job, then power off (instaclone destroys the VM on workflow_job completed; the lease bounds the rest).
cd "$RUNNER_DIR"
status=0
sudo -u "$RUNNER_USER" ./run.sh --jitconfig "$jitconfig" || status=$?
log "runner exited with $status; powering off"
systemctl poweroff
