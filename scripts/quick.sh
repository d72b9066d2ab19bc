#!/usr/bin/env bash
# README command (1): install what is missing, build, and run the main job.
# Until the training harness lands (issue 5) the main job is a tour of the language side:
# classify the anchor languages, show task examples, freeze a dataset. Outputs go to out/quick/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
st=./build/harness/statetrack
out=out/quick
mkdir -p "$out"

echo "== algebraic classes of anchor languages (statetrack automata classify) ==" >&2
set -f  # the regexes below are not globs
for spec in "--task parity" "--task cycle_navigation" "--task tomita3" "--regex (ab)*" \
            "--regex (a|bb)*" "--task modular_arithmetic" "--group Z60" "--group A4xZ5" \
            "--group A5" "--group S5"; do
    # shellcheck disable=SC2086
    $st automata classify $spec
    echo
done

echo "== three S5 word-problem examples, state tagging (statetrack tasks show) ==" >&2
$st tasks show --task group:S5 --formulation state_tagging --length 6 --count 3 --seed 1

echo "== frozen parity dataset, train lengths 1-40 (statetrack tasks export) ==" >&2
$st tasks export --task parity --formulation final_label --lengths 1-40 --count 10 --seed 1 \
    --out "$out/parity_train.jsonl"
echo "quick: done; outputs in $out/" >&2
