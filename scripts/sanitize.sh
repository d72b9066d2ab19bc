#!/usr/bin/env bash
# ASan + UBSan build and run of the test suites that need no torch (core, automata, tasks,
# results and the torch-free harness) into ./build-sanitize; any report fails the run. The
# README's test command runs it (CI). `--with-torch` instead builds and runs every suite against
# the uninstrumented Debian LibTorch (slow, off CI) into ./build-sanitize-torch.
set -euo pipefail
cd "$(dirname "$0")/.."
torch=OFF
dir=build-sanitize
if [[ ${1:-} == --with-torch ]]; then
    torch=ON
    dir=build-sanitize-torch
fi
jobs=$(nproc 2>/dev/null || echo 2)
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTATETRACK_WITH_TORCH="$torch" \
    -DSTATETRACK_CUDA=OFF -DSTATETRACK_BUILD_BENCHMARKS=OFF -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >"$dir.log" 2>&1 ||
    { tail -40 "$dir.log" >&2; exit 1; }
cmake --build "$dir" -j"$jobs" >>"$dir.log" 2>&1 || { grep -E -m 20 -A 5 'error' "$dir.log" >&2; exit 1; }
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$dir" --output-on-failure -j"$jobs"
echo "sanitize: clean ($dir)" >&2
