#!/usr/bin/env bash
# Overhead of `statetrack sweep --slurm` against the local sweep on the same small grid (off CI):
# a loopback Slurm (scripts/slurm_loopback.sh) with this machine's cores, N tiny runs (default 8;
# the 1-layer RWKV-7 of the tests, 12 steps), two at a time in both paths. Prints the time from
# the command's start to the first run's start and the total wall time of each, and the Slurm
# path's extra seconds per task, as JSON (bench/results/slurm_overhead.json).
# Usage: bash bench/slurm_overhead.sh [N]   (needs build/harness/statetrack and Slurm)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-8}
st=$(realpath build/harness/statetrack)
work=$(mktemp -d /tmp/statetrack_slurm_bench.XXXXXX)
trap 'bash scripts/slurm_loopback.sh stop "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
seeds=$(seq -s, 1 "$n")
cat >"$work/sweep.json" <<JSON
{"name": "overhead", "workers": 2, "threads": 1,
 "base": {"threads": 1,
          "task": {"spec": "parity", "formulation": "state_tagging", "train_lengths": [1, 8],
                   "test_lengths": [1, 10], "test_examples_per_length": 4, "validation_examples": 16},
          "model": {"type": "rwkv7", "n_layers": 1, "d_model": 16, "head_size": 16},
          "optimizer": {"recipe": "rwkv", "lr": 0.01}, "schedule": {"warmup_steps": 2},
          "budget": {"max_steps": 12, "batch_size": 8, "eval_every": 3, "checkpoint_every": 6},
          "eval": {"batch_size": 16}},
 "axes": [{"path": "seed", "values": [$seeds]}]}
JSON
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }
# A sweep writes a run's config.json (atomically, by rename) just before it starts the run: the
# earliest change time of one is the first run's start.
first_log() { find "$1/runs" -name config.json -printf '%C@\n' | sort -n | head -1; }

t0=$(now)
"$st" sweep "$work/sweep.json" --out "$work/local" >/dev/null 2>"$work/local.log"
t1=$(now)
local_total=$(calc "$t1 - $t0")
local_first=$(calc "$(first_log "$work/local") - $t0")

bash scripts/slurm_loopback.sh start "$work/cluster" 2>/dev/null
export SLURM_CONF=$work/cluster/slurm.conf
t0=$(now)
"$st" sweep "$work/sweep.json" --slurm --wait --cpus-per-task 1 --out "$work/slurm" >/dev/null 2>"$work/slurm.log"
t1=$(now)
slurm_total=$(calc "$t1 - $t0")
first_task=$(grep -ho 'start at [0-9.]*' "$work"/slurm/slurm/logs/*.log | awk '{print $3}' | sort -n | head -1)
slurm_first=$(calc "$first_task - $t0")
slurm_first_run=$(calc "$(first_log "$work/slurm") - $t0")

mkdir -p bench/results
cat >bench/results/slurm_overhead.json <<JSON
{"machine": "$(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)",
 "slurm": "$(sinfo --version)", "runs": $n, "parallel": 2,
 "local": {"first_run_start_s": $local_first, "total_s": $local_total},
 "slurm_array": {"first_task_start_s": $slurm_first, "first_run_start_s": $slurm_first_run,
                 "total_s": $slurm_total},
 "extra_seconds_per_task": $(calc "($slurm_total - $local_total) / $n"),
 "ratio_total": $(calc "$slurm_total / $local_total")}
JSON
cat bench/results/slurm_overhead.json
