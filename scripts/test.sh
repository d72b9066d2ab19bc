#!/usr/bin/env bash
# README command (2): install what is missing, build, and run every test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh "$@"
ctest --test-dir build --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"
