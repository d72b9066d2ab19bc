#!/usr/bin/env bash
# Chaos test (off CI): a small sweep is killed with SIGKILL at random moments, N times (default
# 20; the sweep process or one of its workers, at random), and resumed each time; then it must
# match an uninterrupted run of the same sweep bit for bit (curves, evaluations, summaries), with
# no temporary file left, no run that failed, and no run directory entered by two processes.
# Usage: bash scripts/chaos.sh [KILLS] [SEED]   (needs build/harness/statetrack; writes out/chaos)
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
RANDOM=${2:-1}
st=./build/harness/statetrack
out=out/chaos
rm -rf "$out"
mkdir -p "$out"
cat >"$out/sweep.json" <<'JSON'
{"name": "chaos", "workers": 2, "threads": 1,
 "base": {"seed": 1,
          "task": {"spec": "parity", "formulation": "state_tagging", "train_lengths": [1, 20],
                   "test_lengths": [[1, 20], [21, 40]], "test_length_stride": 5,
                   "test_examples_per_length": 16, "validation_examples": 64},
          "model": {"type": "rwkv7", "n_layers": 1, "d_model": 32, "head_size": 16},
          "budget": {"max_steps": 3000, "batch_size": 16, "eval_every": 50,
                     "checkpoint_every": 25},
          "eval": {"batch_size": 32}},
 "axes": [{"path": "model", "values": [
             {"type": "rwkv7", "n_layers": 1, "d_model": 32, "head_size": 16},
             {"type": "lstm", "n_layers": 1, "d_model": 32},
             {"type": "mamba", "n_layers": 1, "d_model": 32}]},
          {"path": "seed", "values": [1, 2]}]}
JSON

echo "chaos: reference sweep (uninterrupted)" >&2
$st sweep "$out/sweep.json" --out "$out/reference" >"$out/reference.log" 2>&1

killed_sweeps=0
killed_workers=0
for ((i = 1; i <= kills; ++i)); do
    $st sweep "$out/sweep.json" --out "$out/chaos" >>"$out/chaos.log" 2>&1 &
    sweep=$!
    sleep "$((RANDOM % 4)).$((RANDOM % 10))"
    if ! kill -0 "$sweep" 2>/dev/null; then
        wait "$sweep" || true
        echo "chaos: kill $i: the sweep had already finished" >&2
        continue
    fi
    workers=$(pgrep -P "$sweep" || true)
    if ((RANDOM % 2 == 0)) && [[ -n $workers ]]; then
        victim=$(echo "$workers" | shuf -n 1 --random-source=<(yes "$RANDOM"))
        kill -9 "$victim" 2>/dev/null || true
        killed_workers=$((killed_workers + 1))
        sleep 0.3
    fi
    kill -9 "$sweep" 2>/dev/null || true
    killed_sweeps=$((killed_sweeps + 1))
    wait "$sweep" 2>/dev/null || true
    # The workers die with the sweep (--exit-with-parent): none may outlive it.
    sleep 0.2
    if pgrep -f "statetrack run $out/chaos" >/dev/null; then
        echo "chaos: FAIL: a worker outlived the killed sweep" >&2
        exit 1
    fi
done
echo "chaos: $killed_sweeps sweep kills ($killed_workers with a worker killed first); resuming" >&2
# A run entered twice would have been refused by its directory lock: there must be none.
if grep -rq "in use by another statetrack process" "$out/chaos" "$out/chaos.log"; then
    echo "chaos: FAIL: a run directory was entered by two processes" >&2
    exit 1
fi
$st sweep "$out/sweep.json" --out "$out/chaos" >>"$out/chaos.log" 2>&1

python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
def deterministic(p):
    r = json.loads(p.read_text())
    t = r["training"]
    return {"status": r["status"], "steps": t["steps"],
            "curve": [(c["step"], c["loss"], c["accuracy"], c.get("sequence_accuracy")) for c in t["curve"]],
            "evaluation": r["evaluation"], "summary": r["summary"]}
ref = {p.parent.name: deterministic(p) for p in (out / "reference/runs").glob("*/result.json")}
got = {p.parent.name: deterministic(p) for p in (out / "chaos/runs").glob("*/result.json")}
bad = [k for k in ref if got.get(k) != ref[k]]
tmp = [str(p) for p in (out / "chaos").rglob("*") if ".tmp" in p.name or p.name.endswith("~")]
failed = [k for k, v in got.items() if v["status"] != "complete"]
print(f"chaos: {len(ref)} runs; identical to the uninterrupted sweep: {len(ref) - len(bad)}; "
      f"missing or different: {bad}; failed: {failed}; temporary files left: {tmp}")
sys.exit(1 if bad or tmp or failed or len(got) != len(ref) else 0)
PY
echo "chaos: passed" >&2
