#!/usr/bin/env bash
# README command (2): install what is missing, build, and run every test suite with ctest; then
# the model and harness suites (model, runs, training, cli) again with OpenBLAS's fallback
# kernels, and the torch-free suites under ASan + UBSan (scripts/sanitize.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh "$@"
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build --output-on-failure -j"$jobs"
# Training results differ in the last bits between OpenBLAS kernels (machines of this kind pick
# SkylakeX, Cooperlake or fall back to Prescott): the learning tests must pass with the fallback
# too, so the model and harness suites (model, runs, training, cli) run again with it.
OPENBLAS_CORETYPE=Prescott ctest --test-dir build --output-on-failure -j"$jobs" -L 'model|runs|training|cli'
bash scripts/sanitize.sh
