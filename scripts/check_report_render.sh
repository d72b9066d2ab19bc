#!/usr/bin/env bash
# Render check for `statetrack report` (not part of CI): builds the statetrack binary, writes a
# report from the test fixtures (tests/results/fixtures/sweep) and screenshots report.html with
# headless Chromium, so a person can look at the plots and tables as a browser shows them.
#   scripts/check_report_render.sh [BUILD_DIR (default build)] [OUT_DIR (default out/report-render)]
# Installs Chromium with apt-get when it is missing. Prints the screenshot paths.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=${2:-out/report-render}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSTATETRACK_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$build" --target statetrack -j"$(nproc 2>/dev/null || echo 2)" >/dev/null

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "installing chromium (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null
    browser=$(command -v chromium)
fi

rm -rf "$out"
mkdir -p "$out"
"$build/harness/statetrack" report tests/results/fixtures/sweep --out "$out/report" >/dev/null
html="$(realpath "$out/report/report.html")"

shoot() {  # shoot NAME WIDTH HEIGHT
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$out/.chromium" --screenshot="$out/$1.png" \
        --window-size="$2,$3" "file://$html" >/dev/null 2>&1
    echo "$out/$1.png"
}
shoot report-top 1400 3000
shoot report-full 1400 12000
