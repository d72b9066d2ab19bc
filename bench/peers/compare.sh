#!/usr/bin/env bash
# Compares statetrack's RWKV-7 with peer implementations on this CPU, 1 thread each:
#   - RNN stepping and the sequence forward (batch 1, d 128) against the official `rwkv` package;
#   - training steps/s (Rwkv7TrainStepQuick / Medium) against a plain-PyTorch RWKV-7.
# First it checks that all of them compute the same logits (on a perturbed copy of the model),
# then it runs statetrack and the peers alternately for ROUNDS rounds and prints a Markdown
# report (machine, BLAS core, ratio table) on stdout; progress goes to stderr.
#
#   bash bench/peers/compare.sh [BUILD_DIR]          (default: build/ in the repository root)
#
# Knobs (environment): PYTHON (default /usr/bin/python3: Debian's python3-torch lives there),
# ROUNDS (3), REPEAT (5: timed passes per run), STEP_TOKENS (512), SEQ_TOKENS (1024),
# TRAIN_REPEAT (5), MIN_TIME (3: google-benchmark --benchmark_min_time). See README.md here.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd) || {
    echo "compare.sh: build folder '${1:-$ROOT/build}' does not exist" >&2
    exit 1
}
PYTHON=${PYTHON:-/usr/bin/python3}
ROUNDS=${ROUNDS:-3}
REPEAT=${REPEAT:-5}
STEP_TOKENS=${STEP_TOKENS:-512}
SEQ_TOKENS=${SEQ_TOKENS:-1024}
TRAIN_REPEAT=${TRAIN_REPEAT:-5}
MIN_TIME=${MIN_TIME:-3}
STATETRACK="$BUILD/harness/statetrack"
MODEL_BENCH="$BUILD/bench/model_bench"

die() {
    echo "compare.sh: $*" >&2
    exit 1
}
log() { echo "compare.sh: $*" >&2; }

# --- tools and packages ------------------------------------------------------------------------
[[ -x "$STATETRACK" ]] || die "missing $STATETRACK: build statetrack first (bash scripts/quick.sh)"
[[ -x "$MODEL_BENCH" ]] || die "missing $MODEL_BENCH: build the benchmarks first (bash scripts/quick.sh)"
FORWARD_HELP=$("$STATETRACK" model forward --help 2>&1 || true)
grep -q -- '--step' <<<"$FORWARD_HELP" ||
    die "$STATETRACK model forward has no --step option: this build predates the benchmark commands"
command -v lscpu >/dev/null || die "missing lscpu: apt-get install -y util-linux"
command -v "$PYTHON" >/dev/null || die "missing $PYTHON: apt-get install -y --no-install-recommends python3"
"$PYTHON" -c 'import numpy, torch' 2>/dev/null ||
    die "$PYTHON cannot import torch and numpy: apt-get install -y --no-install-recommends python3-torch python3-numpy"
"$PYTHON" -c 'import rwkv.model' 2>/dev/null ||
    die "$PYTHON cannot import the rwkv package: $PYTHON -m pip install --break-system-packages --no-deps rwkv"

# One thread everywhere: OpenMP, OpenBLAS and MKL read these at start-up.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/statetrack-peers.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# run OUT CMD...: CMD's stdout to $WORK/OUT, its stderr to $WORK/OUT.stderr; on failure, one
# line naming the command, then the tail of its stderr.
run() {
    local out=$1
    shift
    if ! "$@" >"$WORK/$out" 2>"$WORK/$out.stderr"; then
        echo "compare.sh: failed: $*" >&2
        tail -n 5 "$WORK/$out.stderr" >&2
        exit 1
    fi
}

# "t0,t1,...": the fixed token sequence of the peers, token i = (i*7+3) % 8.
tokens() { "$PYTHON" -c "import sys; n = int(sys.argv[1]); print(','.join(str((i * 7 + 3) % 8) for i in range(n)))" "$1"; }

# --- models ------------------------------------------------------------------------------------
# d 128 / head 64 is both the stepping model and Rwkv7TrainStepMedium's shape; d 64 / head 32 is
# Rwkv7TrainStepQuick's. Seed 1, as model_bench's models.
echo '{"type":"rwkv7","vocab_size":8,"n_layers":2,"d_model":128,"head_size":64}' >"$WORK/d128.json"
echo '{"type":"rwkv7","vocab_size":8,"n_layers":2,"d_model":64,"head_size":32}' >"$WORK/d64.json"
run export.d128 "$STATETRACK" model export --config "$WORK/d128.json" --seed 1 --out "$WORK/d128.safetensors"
run export.d64 "$STATETRACK" model export --config "$WORK/d64.json" --seed 1 --out "$WORK/d64.safetensors"
# A fresh model's att.output and ffn.value are zero: perturb it so the logits depend on every term.
run perturb "$PYTHON" "$HERE/rwkv7_weights.py" perturb "$WORK/d128.safetensors" "$WORK/check.safetensors"

# --- logits agreement --------------------------------------------------------------------------
log "checking that statetrack and the peers compute the same logits"
CHECK_TOKENS=$(tokens 16)
run check.statetrack.json "$STATETRACK" model forward --weights "$WORK/check.safetensors" \
    --tokens "$CHECK_TOKENS" --threads 1 --json
run check.plain.json "$PYTHON" "$HERE/rwkv7_torch_train.py" --weights "$WORK/check.safetensors" \
    --check-logits "$CHECK_TOKENS" --threads 1
run check.pkg.json "$PYTHON" "$HERE/rwkv_pkg_step.py" --weights "$WORK/check.safetensors" \
    --check-logits "$CHECK_TOKENS" --threads 1

# model_bench follows OMP_NUM_THREADS; builds whose main takes --threads=N get it as well.
BENCH_THREADS=()
if "$MODEL_BENCH" --threads=1 --benchmark_list_tests=true >/dev/null 2>&1; then
    BENCH_THREADS=(--threads=1)
fi

# --- rounds ------------------------------------------------------------------------------------
STEP_LIST=$(tokens "$STEP_TOKENS")
SEQ_LIST=$(tokens "$SEQ_TOKENS")
for ((r = 1; r <= ROUNDS; r++)); do
    log "round $r/$ROUNDS: statetrack stepping"
    run "r$r.st_step.json" "$STATETRACK" model forward --weights "$WORK/d128.safetensors" \
        --tokens "$STEP_LIST" --step --repeat "$REPEAT" --threads 1 --json
    log "round $r/$ROUNDS: rwkv package (stepping, sequence)"
    run "r$r.pkg.json" "$PYTHON" "$HERE/rwkv_pkg_step.py" --weights "$WORK/d128.safetensors" \
        --step-tokens "$STEP_TOKENS" --seq-tokens "$SEQ_TOKENS" --repeat "$REPEAT" --threads 1
    log "round $r/$ROUNDS: statetrack sequence"
    run "r$r.st_seq.json" "$STATETRACK" model forward --weights "$WORK/d128.safetensors" \
        --tokens "$SEQ_LIST" --repeat "$REPEAT" --threads 1 --json
    log "round $r/$ROUNDS: statetrack training (model_bench)"
    # Registered names carry suffixes (Rwkv7TrainStepQuick/min_time:…/real_time): no '$' anchor.
    run "r$r.model_bench.json" "$MODEL_BENCH" "${BENCH_THREADS[@]}" \
        --benchmark_filter='^Rwkv7TrainStep(Quick|Medium)(/|$)' \
        --benchmark_format=json --benchmark_min_time="$MIN_TIME"
    log "round $r/$ROUNDS: plain PyTorch training (Quick, Medium)"
    run "r$r.plain_quick.json" "$PYTHON" "$HERE/rwkv7_torch_train.py" --weights "$WORK/d64.safetensors" \
        --batch 32 --seq-len 40 --repeat "$TRAIN_REPEAT" --threads 1
    run "r$r.plain_medium.json" "$PYTHON" "$HERE/rwkv7_torch_train.py" --weights "$WORK/d128.safetensors" \
        --batch 8 --seq-len 256 --repeat "$TRAIN_REPEAT" --threads 1
done

# --- report ------------------------------------------------------------------------------------
MACHINE=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
BLAS=$("$STATETRACK" --version 2>&1 | grep -i 'blas' | head -n 1 || true)
"$PYTHON" "$HERE/compare_report.py" "$WORK" "$ROUNDS" "${MACHINE:-unknown}" "${BLAS:-unknown}"
