#!/usr/bin/env bash
# The one prepared GPU check (docs/gpu.md): on a machine with an NVIDIA GPU, PyTorch 2.x, nvcc
# and CMake but none of statetrack's other dependencies and no network, it unpacks the Debian
# packages carried in .gpu/, builds statetrack against that machine's PyTorch with every core
# (only the executable, the CUDA test suite and the CUDA benchmark), runs the CUDA tests, the
# CUDA WKV7 benchmark (beside PyTorch's SDPA) and three short paper-protocol training runs on
# the GPU (RWKV-7 in float32 and bf16, Mamba on the selective-scan fallback), and writes
# everything under OUT_DIR (8 files: the most the device tool returns).
#   bash scripts/gpu_check.sh --prepare              # here, once: apt-get download into .gpu/
#   bash scripts/gpu_check.sh --out OUT_DIR          # there (device tool: carry [".gpu"])
#   bash scripts/gpu_check.sh --rehearse --out DIR [--torch TORCH_DIR] [--pack BIN_DIR]
#        # here, without a GPU: every step against the PyTorch 2.x in TORCH_DIR (an unpacked
#        # wheel, scripts/build_libtorch2.sh), linking with its CUDA libraries left unresolved
#        # (they are not on this machine); the steps that need a GPU say so and are skipped.
#        # --pack copies the three stripped executables into BIN_DIR (.gpu-bin: ignored).
#   bash scripts/gpu_check.sh --bin BIN_DIR --out OUT_DIR
#        # there, with executables built here by --rehearse --pack against the wheel of the
#        # very PyTorch the GPU machine has (same version and CUDA): no build there, so a
#        # short lease is spent measuring (device tool: carry [".gpu", ".gpu-bin"]).
# Exit status: non-zero when a step fails; the steps run so far are in OUT_DIR/log.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=check out="" torch_dir="" pack="" bin=""
while (($#)); do
    case $1 in
        --prepare) mode=prepare ;;
        --rehearse) mode=rehearse ;;
        --out) out=$2; shift ;;
        --torch) torch_dir=$2; shift ;;
        --pack) pack=$2; shift ;;
        --bin) bin=$2; shift ;;
        *) echo "gpu_check: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
packages=(libfmt-dev libfmt9 nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
          libbenchmark-dev libbenchmark1debian libboost1.74-dev)

if [[ $mode == prepare ]]; then
    mkdir -p .gpu && cd .gpu && rm -f ./*.deb
    apt-get download "${packages[@]}" >/dev/null || { echo "gpu_check: apt-get download failed" >&2; exit 1; }
    echo "gpu_check: $(ls ./*.deb | wc -l) packages, $(du -sh . | cut -f1) in .gpu/ (carry it)" >&2
    exit 0
fi
[[ -n $out ]] || { echo "gpu_check: give --out DIR" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/log.txt
: >"$log"
step() { echo "== $(date +%T) $*" | tee -a "$log" >&2; }
fail() { step "FAILED: $*"; exit 1; }
has_gpu=0
nvidia-smi -L >/dev/null 2>&1 && has_gpu=1
jobs=$(nproc)
if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then
    export PATH=/usr/local/cuda/bin:$PATH
fi

step "environment"
{
    echo "host: $(uname -srm), $(nproc) cores"
    nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv,noheader 2>&1 || echo "no GPU"
    nvcc --version 2>&1 | tail -2
    cmake --version | head -1
    g++ --version | head -1
} | tee "$out/environment.txt" >>"$log"

step "dependencies from .gpu/"
deps=/tmp/statetrack-deps
rm -rf "$deps" && mkdir -p "$deps"
ls .gpu/*.deb >/dev/null 2>&1 || fail "no .gpu/*.deb: run 'bash scripts/gpu_check.sh --prepare' here and carry .gpu"
for deb in .gpu/*.deb; do
    if command -v dpkg-deb >/dev/null; then
        dpkg-deb -x "$deb" "$deps" || fail "cannot unpack $deb"
    else  # a .deb is an ar archive holding data.tar.*
        (cd "$deps" && ar p "$OLDPWD/$deb" "$(ar t "$OLDPWD/$deb" | grep '^data.tar')" | tar -x) ||
            fail "cannot unpack $deb"
    fi
done
multiarch=$deps/usr/lib/x86_64-linux-gnu

step "PyTorch"
if [[ -z $torch_dir ]]; then
    torch_dir=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>>"$log") ||
        fail "python3 cannot import torch; give --torch TORCH_DIR"
fi
torch_dir=$(cd "$torch_dir" && pwd)
grep -o "__version__ = '[^']*'" "$torch_dir/version.py" | tee -a "$out/environment.txt" >>"$log"
# The wheel's CUDA libraries (cuBLAS, cuDNN, NCCL, ...) come from the nvidia-* packages beside it.
nvidia_libs=$(find "$(dirname "$torch_dir")/nvidia" -maxdepth 3 -name lib -type d 2>/dev/null | paste -sd:)
link_flags="-Wl,-rpath-link,$torch_dir/lib${nvidia_libs:+:$nvidia_libs}"
[[ $mode == rehearse ]] && link_flags="$link_flags -Wl,--allow-shlib-undefined"
export LD_LIBRARY_PATH=$multiarch:$torch_dir/lib${nvidia_libs:+:$nvidia_libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

statetrack=build-gpu/harness/statetrack cuda_tests=build-gpu/tests/statetrack_cuda_tests
cuda_bench=build-gpu/bench/wkv7_cuda_bench
build_here() {
    step "configure (build-gpu)"
    generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    cmake -S . -B build-gpu "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSTATETRACK_CUDA=ON \
        -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE=PRE_TEST \
        -DCMAKE_PREFIX_PATH="$torch_dir/share/cmake;$deps/usr;$multiarch/cmake;$deps/usr/share/cmake" \
        -DTORCH_LIBRARY="$torch_dir/lib/libtorch.so" -Dc10_LIBRARY="$torch_dir/lib/libc10.so" \
        -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >>"$log" 2>&1 || fail "configure (see log.txt)"
    grep -E "statetrack:" "$log" | tail -3 >&2

    step "build ($jobs jobs)"
    cmake --build build-gpu -j"$jobs" --target statetrack statetrack_cuda_tests wkv7_cuda_bench \
        >>"$log" 2>&1 || { grep -E -m 20 -A 3 'error' "$log" >&2; fail "build"; }
}
if [[ -z $bin ]]; then
    build_here
else
    statetrack=$bin/statetrack cuda_tests=$bin/statetrack_cuda_tests cuda_bench=$bin/wkv7_cuda_bench
    step "prebuilt executables from $bin (no build here)"
    ls -l "$statetrack" "$cuda_tests" "$cuda_bench" >>"$log" 2>&1 || fail "$bin lacks an executable"
    if ! "$statetrack" --version >>"$log" 2>&1 ||
        ! "$cuda_tests" --gtest_list_tests >/dev/null 2>>"$log"; then
        ldd "$statetrack" "$cuda_tests" | grep "not found" | tee -a "$log" >&2
        step "the prebuilt executables do not start here: building them here instead"
        statetrack=build-gpu/harness/statetrack cuda_tests=build-gpu/tests/statetrack_cuda_tests
        cuda_bench=build-gpu/bench/wkv7_cuda_bench
        build_here
    fi
fi
if [[ -n $pack ]]; then
    mkdir -p "$pack" && cp "$statetrack" "$cuda_tests" "$cuda_bench" "$pack"/ && strip "$pack"/* &&
        step "packed $(du -sh "$pack" | cut -f1) into $pack (carry it with .gpu; run with --bin)" ||
        fail "pack into $pack"
fi

if ((has_gpu == 0)) && [[ $mode == check ]]; then
    fail "no GPU visible (nvidia-smi -L failed); --rehearse is the run without one"
fi
if ((has_gpu == 0)); then
    step "no GPU here: CUDA tests, benchmark and the GPU training runs are skipped"
    ldd "$statetrack" | grep -c "not found" | xargs -I{} echo "statetrack: {} libraries not found here (expected without CUDA libraries)" | tee -a "$log" >&2
    step "rehearsal done"
    exit 0
fi

step "CUDA test suite"
timeout 300 "$cuda_tests" --gtest_output=json:"$out/cuda_tests.json" >>"$log" 2>&1
tests_rc=$?
tail -3 "$log" >&2

step "CUDA WKV7 benchmark (beside SDPA)"
timeout 120 "$cuda_bench" --benchmark_format=json --benchmark_out="$out/wkv7_cuda_bench.json" \
    --benchmark_min_time=0.5 >>"$log" 2>&1
bench_rc=$?

step "training runs on the GPU (experiments/gpu/: RWKV-7 60 s, RWKV-7 bf16 45 s, Mamba 45 s)"
run_rc=0
runs=(grazzi_parity_rwkv7_ext grazzi_parity_rwkv7_ext_bf16 grazzi_parity_mamba_neg)
runs_dir=/tmp/statetrack-gpu-runs
rm -rf "$runs_dir"
for run in "${runs[@]}"; do
    timeout 150 "$statetrack" run "experiments/gpu/$run.json" --device cuda \
        --out "$runs_dir/$run" >>"$log" 2>&1 || run_rc=1
    cp "$runs_dir/$run/result.json" "$out/$run.json" 2>/dev/null
done
step "report over the runs (the directory walk, on this machine's libraries)"
"$statetrack" report "$runs_dir" >>"$log" 2>&1 || run_rc=1
tail -2 "$log" >&2

step "64-bit indexing on the GPU (the opt-in Huge tests, ~50 GB)"
timeout 150 "$cuda_tests" --gtest_also_run_disabled_tests --gtest_filter='*Huge*' >>"$log" 2>&1
huge_rc=$?
tail -3 "$log" >&2

step "summary"
python3 - "$out" "${runs[@]}" <<'PY' | tee "$out/summary.txt" >&2
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
def load(name):
    try:
        return json.loads((out / name).read_text())
    except Exception as e:
        return {"error": str(e)}
t = load("cuda_tests.json")
print(f"cuda tests: {t.get('tests', '?')} run, {t.get('failures', '?')} failed, {t.get('disabled', 0)} disabled")
b = load("wkv7_cuda_bench.json")
print("gpu:", b.get("context", {}).get("gpu", "?"))
for r in b.get("benchmarks", []):
    print(f"  {r['name']:<28} {r.get('real_time', 0):10.3f} {r.get('time_unit', '')}  "
          f"tok/s {r.get('tokens_per_s', 0):.3e}  GB/s {r.get('gbytes_per_s', 0):.0f}  "
          f"peak {r.get('frac_peak_bw', 0):.2f}")
for name in sys.argv[2:]:
    r = load(name + ".json")
    tr = r.get("training", {})
    secs = tr.get("seconds", {}).get("train")
    steps = tr.get("steps")
    print(f"{name}: status {r.get('status')}, {steps} steps in {secs} s"
          + (f" = {steps / secs:.2f} steps/s" if steps and secs else "")
          + f", {r.get('environment', {}).get('device_name')}, {r.get('environment', {}).get('dtype')}")
PY
((tests_rc == 0 && bench_rc == 0 && run_rc == 0 && huge_rc == 0)) ||
    fail "tests rc $tests_rc, bench rc $bench_rc, run rc $run_rc, huge rc $huge_rc"
step "done"
