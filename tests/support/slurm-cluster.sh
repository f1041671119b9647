#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A one-node Slurm cluster on localhost for the sweep's Slurm round-trip
# test (issue 21): munge with a fresh key and slurmctld + slurmd with
# proctrack/linuxproc and task/none, every file (key, sockets, state,
# spool, pid and log files, slurm.conf) in DIR. As root.
#   tests/support/slurm-cluster.sh start DIR   # prints SLURM_CONF=DIR/slurm.conf once the node is idle
#   tests/support/slurm-cluster.sh stop DIR
set -euo pipefail
action=$1; dir=$(mkdir -p "$2" && cd "$2" && pwd)
conf=$dir/slurm.conf
stop() {
  for pid in slurmd slurmctld munged; do
    [ -f "$dir/$pid.pid" ] && kill "$(cat "$dir/$pid.pid")" 2>/dev/null || true
  done
  sleep 1
}
if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { echo "slurm-cluster: $tool is not installed (scripts/setup-deps.sh installs slurm-wlm and munge)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "slurm-cluster: a local cluster needs root (slurmd runs jobs as their user)" >&2; exit 1; }
mkdir -p "$dir/state" "$dir/spool"
head -c 1024 /dev/urandom > "$dir/munge.key"
chmod 400 "$dir/munge.key"
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge.seed"
# Free ports for the daemons (another test's cluster may be up).
port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024 / 2 ))
cat > "$conf" <<CONF
ClusterName=metaaug-test
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(port)
SlurmdPort=$(port)
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 60); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then echo "SLURM_CONF=$conf"; exit 0; fi
  sleep 0.5
done
echo "slurm-cluster: the node did not come up within 30 s; logs in $dir:" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" "$dir/munged.log" >&2 || true
stop
exit 1
