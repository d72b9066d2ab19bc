#!/usr/bin/env bash
# Configures and builds statetrack into ./build (Release). Extra arguments go to CMake's configure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >build.log 2>&1 || { tail -40 build.log >&2; exit 1; }
cmake --build build -j"$jobs" >>build.log 2>&1 || { grep -E -m 20 -A 5 'error|Error' build.log >&2; exit 1; }
echo "build: ok (log in build.log)" >&2
