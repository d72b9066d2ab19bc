#!/usr/bin/env bash
# Fuzzing campaign (off CI): builds tests/fuzz with clang + libFuzzer + ASan/UBSan into
# ./build-fuzz (torch-free targets) and ./build-fuzz-torch (safetensors), then runs each target
# for RUNS executions (default 1000000) from its seed corpus (tests/fuzz/corpus/<target>), two at
# a time. New inputs go to build-fuzz*/corpus/<target>, findings (crash-*, timeout-*, oom-*) to
# build-fuzz*/findings/<target>/, logs to build-fuzz*/logs/. Prints one line per target:
# executions, seconds, corpus size, slow units (over 10 s instrumented, kept for a look) and
# findings; exits non-zero if any target has a finding.
#   bash scripts/fuzz.sh [RUNS] [TARGET...]      e.g.  bash scripts/fuzz.sh 10000 regex
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
torch_free=(regex dfa_json group_spec dataset_jsonl result_json run_config sweep_config
            training_state)
targets=("$@")
((${#targets[@]})) || targets=("${torch_free[@]}" safetensors)
bash scripts/setup.sh --fuzz
jobs=$(nproc 2>/dev/null || echo 2)
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1"

build() {  # DIR TORCH TARGET...
    local dir=$1 torch=$2
    shift 2
    CC=clang CXX=clang++ cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSTATETRACK_FUZZ=ON -DSTATETRACK_WITH_TORCH="$torch" -DSTATETRACK_CUDA=OFF \
        -DSTATETRACK_BUILD_BENCHMARKS=OFF -DCMAKE_CXX_FLAGS="$flags" \
        -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >"$dir.log" 2>&1 ||
        { tail -30 "$dir.log" >&2; exit 1; }
    local names=()
    for t in "$@"; do names+=("statetrack_fuzz_$t"); done
    cmake --build "$dir" -j"$jobs" --target "${names[@]}" >>"$dir.log" 2>&1 ||
        { grep -E -m 20 -A 5 'error' "$dir.log" >&2; exit 1; }
}

dir_of() { [[ $1 == safetensors ]] && echo build-fuzz-torch || echo build-fuzz; }

free=() torch=()
for t in "${targets[@]}"; do
    [[ -f tests/fuzz/${t}_fuzz.cpp ]] || { echo "fuzz: no target '$t'" >&2; exit 1; }
    if [[ $t == safetensors ]]; then torch+=("$t"); else free+=("$t"); fi
done
((${#free[@]} == 0)) || build build-fuzz OFF "${free[@]}"
((${#torch[@]} == 0)) || build build-fuzz-torch ON "${torch[@]}"

campaign() {  # TARGET RUNS
    local t=$1 dir
    dir=$(dir_of "$t")
    mkdir -p "$dir/corpus/$t" "$dir/findings/$t" "$dir/logs"
    local start=$SECONDS
    # -timeout: an input taking over 25 s here (instrumented, ~2 s in a release build) is a hang;
    # -rss_limit_mb: over 2 GiB is unbounded memory.
    ASAN_OPTIONS=detect_leaks=1 "$dir/tests/fuzz/statetrack_fuzz_$t" -runs="$2" -max_len=4096 \
        -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/findings/$t/" "$dir/corpus/$t" "tests/fuzz/corpus/$t" \
        >"$dir/logs/$t.log" 2>&1 || true
    local executions findings slow corpus
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/logs/$t.log" | grep -o '[0-9]*$' || echo 0)
    # slow-unit-*: inputs over libFuzzer's 10 s report threshold but under the timeout; kept for
    # a look, not findings.
    findings=$(find "$dir/findings/$t" -type f ! -name 'slow-unit-*' | wc -l)
    slow=$(find "$dir/findings/$t" -type f -name 'slow-unit-*' | wc -l)
    corpus=$(find "$dir/corpus/$t" -type f | wc -l)
    printf 'fuzz: %-15s %10s executions %6ss  corpus %5s  slow %s  findings %s\n' "$t" \
        "${executions:-0}" $((SECONDS - start)) "$corpus" "$slow" "$findings"
}
export -f campaign dir_of
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c "campaign {} $runs" | tee build-fuzz/summary.txt
! grep -q "findings [1-9]" build-fuzz/summary.txt
