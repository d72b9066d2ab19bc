#!/usr/bin/env bash
# Runs two builds of model_bench alternately on one machine and prints a Markdown table of their
# median rates and the ratio NEW/OLD: how a change moved the training step, measured in one
# session (this VM's training rates drift ±20% over minutes, so separate runs do not compare).
#
#   bash bench/compare_builds.sh OLD_MODEL_BENCH NEW_MODEL_BENCH
#
# To get OLD at an earlier commit:
#   git worktree add /tmp/old COMMIT && cmake -S /tmp/old -B /tmp/old/build -DCMAKE_BUILD_TYPE=Release
#   cmake --build /tmp/old/build --target model_bench -j2      # then /tmp/old/build/bench/model_bench
# Knobs (environment): FILTER (google-benchmark filter, default the two training-step shapes of
# bench/peers), ROUNDS (5), MIN_TIME (3 s per benchmark and run), BLAS_THREADS (1: exported as
# OPENBLAS_NUM_THREADS, as runs pin it; empty leaves OpenBLAS's default). Progress on stderr.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/compare_args.sh"
compare_args compare_builds.sh MODEL_BENCH "$@"
FILTER=${FILTER:-'^Rwkv7TrainStep(Quick|Medium)(/|$)'}
ROUNDS=${ROUNDS:-5}
MIN_TIME=${MIN_TIME:-3}
BLAS_THREADS=${BLAS_THREADS-1}
positive_integer ROUNDS "$ROUNDS"
if [[ -n "$BLAS_THREADS" ]]; then
    export OPENBLAS_NUM_THREADS=$BLAS_THREADS
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for ((r = 1; r <= ROUNDS; r++)); do
    for side in old new; do
        bin=$OLD
        [[ $side == new ]] && bin=$NEW
        echo "compare_builds.sh: round $r/$ROUNDS, $side" >&2
        "$bin" --benchmark_filter="$FILTER" --benchmark_min_time="$MIN_TIME" \
            --benchmark_format=json --benchmark_out="$OUT/$side.$r.json" >/dev/null
    done
done

python3 - "$OUT" "$ROUNDS" "$(dirname "${BASH_SOURCE[0]}")" <<'PY'
import json, os, sys
out, rounds = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, sys.argv[3])
from compare_table import cpu_name, print_ratio_table
rates = {}  # (name, side) -> [steps/s per round]
context = None
for side in ("old", "new"):
    for r in range(1, rounds + 1):
        doc = json.load(open(os.path.join(out, f"{side}.{r}.json")))
        context = context or doc["context"]
        for b in doc["benchmarks"]:
            name = b["name"].split("/")[0]
            rate = b.get("steps_per_second", b.get("items_per_second"))
            rates.setdefault((name, side), []).append(rate)
print(f"Machine: {cpu_name()}, {context.get('num_cpus')} CPUs; OPENBLAS_NUM_THREADS="
      f"{os.environ.get('OPENBLAS_NUM_THREADS', '(default)')}; {rounds} alternating rounds.\n")
print_ratio_table(rates, "benchmark", 2)
PY
