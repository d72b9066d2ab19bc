#!/usr/bin/env bash
# README command (1): install what is missing, build, and run the main job: the quick experiment
# (experiments/quick.json: RWKV-7, Transformer, LSTM and Mamba on parity, cycle navigation,
# Tomita 4, the Z60 / A4xZ5 / A5 word problems and small MQAR; about 15 minutes on 2 cores),
# then its report. Running it again resumes the sweep: finished runs are not redone.
# Outputs: out/quick/ (runs/<id>/result.json, report/report.html, report.md, *.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
st=./build/harness/statetrack
out=out/quick

echo "== algebraic class of each task (statetrack automata classify) ==" >&2
for spec in parity cycle_navigation tomita4 group:Z60 group:A4xZ5 group:A5; do
    $st automata classify --task "$spec" | awk -v s="$spec" '$1 == "class" {c = $2}
        $1 == "circuit" {print s ": " c ", " $3}'
done

echo "== the quick experiment (statetrack sweep experiments/quick.json) ==" >&2
$st sweep experiments/quick.json --out "$out"
$st report "$out"
echo "quick: report in $out/report/report.html (Markdown: $out/report/report.md)" >&2
