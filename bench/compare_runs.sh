#!/usr/bin/env bash
# Trains the quick experiment's models with two statetrack executables alternately, on one
# machine, and prints a Markdown table of their training rates and the ratio NEW/OLD: the
# "same run, old commit vs new" measurement of issue 15 at the shapes the main job trains
# (bench/compare_builds.sh measures fixed-shape steps in model_bench instead).
#
#   bash bench/compare_runs.sh OLD_STATETRACK NEW_STATETRACK
#
# Each distinct model of experiments/quick.json's grids (with the n_layers values a grid gives
# it) is trained on the base task (parity, lengths 1-40, one length per batch, B 32, 1 thread,
# the base optimiser and schedule) for STEPS steps, evaluated once at the end; the rate is
# steps / training.seconds.train of result.json, which excludes start-up and evaluation.
# To get OLD at an earlier commit:
#   git worktree add /tmp/old COMMIT && cmake -S /tmp/old -B /tmp/old/build -DCMAKE_BUILD_TYPE=Release
#   cmake --build /tmp/old/build --target statetrack -j2      # then /tmp/old/build/harness/statetrack
# Knobs (environment): ROUNDS (3), STEPS (600), ONLY (a regular expression: only the models whose
# name, e.g. rwkv7-L2, it matches; default all). Progress on stderr.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/compare_args.sh"
compare_args compare_runs.sh STATETRACK "$@"
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-600}
positive_integer ROUNDS "$ROUNDS"
positive_integer STEPS "$STEPS"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
QUICK=$HERE/../experiments/quick.json

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
python3 - "$QUICK" "$OUT" "$STEPS" "${ONLY:-}" <<'PY'
import copy, json, re, sys
quick, out, steps, only = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), sys.argv[4]
models = {}
for grid in quick["grids"]:
    axes = {a["path"]: a["values"] for a in grid.get("axes", [])}
    for model in axes.get("model", []):
        for layers in axes.get("model.n_layers", [model["n_layers"]]):
            m = dict(model, n_layers=layers)
            models.setdefault(f'{m["name"]}-L{layers}', m)
for name, model in models.items():
    if only and not re.search(only, name):
        continue
    c = copy.deepcopy(quick["base"])
    c.update(name=name, threads=1, model=model)
    c["budget"].update(max_steps=steps, eval_every=steps, checkpoint_every=0, target_accuracy=1.0)
    c["task"]["test_lengths"] = [c["task"]["train_lengths"]]
    c["eval"].update(step_mode_examples=1, step_mode_length=100, step_mode_window=50)
    json.dump(c, open(f"{out}/{name}.json", "w"), indent=1)
PY
compgen -G "$OUT/*.json" >/dev/null || die "ONLY='$ONLY' matches none of the quick experiment's models"

for ((r = 1; r <= ROUNDS; r++)); do
    for config in "$OUT"/*.json; do
        name=$(basename "$config" .json)
        for side in old new; do
            bin=$OLD
            [[ $side == new ]] && bin=$NEW
            echo "compare_runs.sh: round $r/$ROUNDS, $name, $side" >&2
            run=$OUT/run.$side.$name.$r
            "$bin" run "$config" --out "$run" --force >"$run.log" 2>&1 ||
                die "$side failed on $name: $(tail -n 1 "$run.log")"
        done
    done
done

python3 - "$OUT" "$ROUNDS" "$STEPS" "$("$NEW" --version | sed -n 2p)" "$HERE" <<'PY'
import glob, json, os, sys
out, rounds, steps, blas = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
sys.path.insert(0, sys.argv[5])
from compare_table import cpu_name, print_ratio_table
rates = {}  # (name, side) -> [steps/s per round]
for side in ("old", "new"):
    for path in sorted(glob.glob(f"{out}/run.{side}.*.1")):
        name = path.split(f"run.{side}.", 1)[1][:-2]
        for r in range(1, rounds + 1):
            t = json.load(open(f"{out}/run.{side}.{name}.{r}/result.json"))["training"]
            rates.setdefault((name, side), []).append(t["steps"] / t["seconds"]["train"])
print(f"Machine: {cpu_name()}, {os.cpu_count()} CPUs; {blas}; {steps} steps a run, 1 thread, "
      f"{rounds} alternating rounds.\n")
print_ratio_table(rates, "model (layers)", 1)
PY
