#!/usr/bin/env bash
# Builds statetrack against a PyTorch 2.x LibTorch -- the kind the GPU machines have -- into
# ./build-torch2 (log build-torch2.log), beside the Debian LibTorch 1.13 build in ./build.
#   bash scripts/build_libtorch2.sh [TORCH_DIR] [CMAKE_ARG...]
# TORCH_DIR is the `torch` package folder (holding include/, lib/, share/cmake/Torch): by default
# that of `python3 -c 'import torch'`; without an importable torch, unpack a wheel from PyPI:
#   python3 -m pip download torch==2.15.0 --no-deps -d wheels
#   unzip -q wheels/torch-2.15.0-*.whl 'torch/include/*' 'torch/lib/*' 'torch/share/*' -d wheels
#   bash scripts/build_libtorch2.sh wheels/torch
# The wheel's libtorch.so is pinned explicitly: CMake's find_library would otherwise pick
# Debian's /usr/lib/x86_64-linux-gnu/libtorch.so (1.13) beside 2.x headers.
set -euo pipefail
cd "$(dirname "$0")/.."
torch_dir=${1:-}
shift || true
if [[ -z $torch_dir ]]; then
    torch_dir=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null) ||
        { echo "build_libtorch2: no importable torch; give the torch folder of a wheel" >&2; exit 1; }
fi
torch_dir=$(cd "$torch_dir" && pwd)
[[ -f $torch_dir/share/cmake/Torch/TorchConfig.cmake && -f $torch_dir/lib/libtorch.so ]] ||
    { echo "build_libtorch2: $torch_dir has no share/cmake/Torch or lib/libtorch.so" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-torch2 -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$torch_dir/share/cmake" -DTORCH_LIBRARY="$torch_dir/lib/libtorch.so" \
    -Dc10_LIBRARY="$torch_dir/lib/libc10.so" "$@" >build-torch2.log 2>&1 ||
    { tail -40 build-torch2.log >&2; exit 1; }
grep -E "Found Torch|statetrack:" build-torch2.log >&2 || true
cmake --build build-torch2 -j"$jobs" >>build-torch2.log 2>&1 ||
    { grep -E -m 20 -A 5 'error' build-torch2.log >&2; exit 1; }
echo "build_libtorch2: ok (build-torch2, LibTorch $(cat "$torch_dir/version.py" 2>/dev/null | grep -o "__version__ = '[^']*'" || echo '?'))" >&2
