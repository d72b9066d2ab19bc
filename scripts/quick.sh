#!/usr/bin/env bash
# README command (1): install what is missing, build, and run the main job: the quick experiment
# (experiments/quick.json: RWKV-7 as deployed and with extended eigenvalues, a Transformer, an
# LSTM and Mamba with [0,1] and [-1,1] transitions on the published separations: parity, modular
# arithmetic, cycle navigation, Tomita 4 (star-free control), the S4 (solvable) and S5
# (non-solvable) word problems by transpositions with a minimum-depth search, and MQAR; each run
# stops at its target or its step budget; at most 15 minutes on 2 cores), then its report, where
# every cell carries a verdict, the algebraic prediction, and the published claims it tests.
# Running it again resumes the sweep: finished runs are not redone.
# Outputs: out/quick/ (runs/<id>/result.json, report/report.html, report.md, *.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
st=./build/harness/statetrack
out=out/quick

echo "== algebraic class of each task (statetrack automata classify) ==" >&2
for spec in parity modular_arithmetic cycle_navigation tomita4 group:S4/transpositions \
        group:S5/transpositions; do
    $st automata classify --task "$spec" | awk -v s="$spec" '$1 == "class" {c = $2}
        $1 == "circuit" {print s ": " c ", " $3}'
done

echo "== the quick experiment (statetrack sweep experiments/quick.json) ==" >&2
$st sweep experiments/quick.json --out "$out"
$st report "$out"
echo "quick: report in $out/report/report.html (Markdown: $out/report/report.md)" >&2
