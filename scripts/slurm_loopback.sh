#!/usr/bin/env bash
# A single-node Slurm cluster on 127.0.0.1, run as the current user with every file under one
# folder: for the Slurm tests (tests/cli/slurm_sweep_test.cpp), the overhead benchmark
# (bench/slurm_overhead.sh) and trying `statetrack sweep --slurm` on a laptop (docs/cluster.md).
#   bash scripts/slurm_loopback.sh start DIR [PORT]   # slurmctld on PORT (default 16817), slurmd on PORT+1
#   export SLURM_CONF=DIR/slurm.conf                  # then sbatch, squeue, ... talk to it
#   bash scripts/slurm_loopback.sh stop DIR           # stops exactly the two daemons it started
# `stop` cancels the cluster's jobs first. `start` returns once the node is idle (about 1 s) or fails within 30 s with the daemons' log.
# Needs Debian's slurmctld, slurmd and slurm-client (scripts/setup.sh installs them).
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[[ ($cmd == start || $cmd == stop) && -n $dir ]] || {
    echo "usage: slurm_loopback.sh start|stop DIR [PORT]" >&2
    exit 2
}

stop() {
    # Jobs first: their slurmstepd processes outlive slurmd and would go on running tasks.
    if [[ -f $dir/slurm.conf ]] && SLURM_CONF=$dir/slurm.conf squeue -h >/dev/null 2>&1; then
        SLURM_CONF=$dir/slurm.conf scancel --me 2>/dev/null || true
        for _ in $(seq 100); do
            [[ -z $(SLURM_CONF=$dir/slurm.conf squeue -h 2>/dev/null) ]] && break
            sleep 0.1
        done
    fi
    local pids=()
    for f in "$dir"/run/slurmd.daemon.pid "$dir"/run/slurmctld.daemon.pid; do
        [[ -f $f ]] && pids+=("$(cat "$f")")
    done
    ((${#pids[@]} == 0)) && return 0
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "${pids[@]}" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
    rm -f "$dir"/run/*.daemon.pid
}

if [[ $cmd == stop ]]; then
    stop
    exit 0
fi

port=${3:-16817}
for p in slurmctld slurmd sinfo; do
    command -v "$p" >/dev/null || PATH=$PATH:/usr/sbin
    command -v "$p" >/dev/null || {
        echo "slurm_loopback: $p not found (bash scripts/setup.sh installs Slurm)" >&2
        exit 1
    }
done
dir=$(realpath -m "$dir")
# slurmstepd makes unix sockets DIR/spool/localhost_<job>.<step> (up to ~30 characters more),
# and a socket path must be under 108 bytes: with a longer DIR every job fails to launch.
if ((${#dir} > 70)); then
    echo "slurm_loopback: '$dir' is too long (${#dir} characters; at most 70, for Slurm's unix sockets)" >&2
    exit 1
fi
mkdir -p "$dir"/{state,spool,run,log}
user=$(id -un)
cat >"$dir/slurm.conf" <<CONF
# Written by scripts/slurm_loopback.sh: one node, loopback, no accounting, no cgroups.
ClusterName=statetrack
SlurmctldHost=localhost
SlurmctldAddr=127.0.0.1
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
SchedulerParameters=sched_interval=1
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -D -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
echo $! >"$dir/run/slurmctld.daemon.pid"
slurmd -D -N localhost -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 &
echo $! >"$dir/run/slurmd.daemon.pid"
for _ in $(seq 300); do
    if [[ $(sinfo -h -o %t 2>/dev/null) == idle ]]; then
        echo "slurm_loopback: cluster up (SLURM_CONF=$SLURM_CONF)" >&2
        exit 0
    fi
    sleep 0.1
done
echo "slurm_loopback: the node did not become idle within 30 s; logs in $dir/log:" >&2
tail -n 5 "$dir"/log/*.log "$dir"/log/*.out >&2 || true
stop
exit 1
