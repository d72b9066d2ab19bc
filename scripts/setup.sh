#!/usr/bin/env bash
# Installs every Debian package statetrack needs (idempotent). Run as root or with sudo available.
# LibTorch comes from Debian's libtorch-dev (CPU); libopenblas0-pthread must come with it, or
# LibTorch's matrix products run about 14x slower on the reference BLAS.
# Slurm (22.05) is for the tests of `sweep --slurm` against a loopback cluster
# (scripts/slurm_loopback.sh); its daemons are not started by the packages.
# `--fuzz` also installs clang and its libFuzzer/sanitizer runtimes (scripts/fuzz.sh; not CI).
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    libtorch-dev libopenblas0-pthread
    libboost-graph-dev libfmt-dev nlohmann-json3-dev libcli11-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    slurmctld slurmd slurm-client
)
if [[ ${1:-} == --fuzz ]]; then
    packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    echo "setup: all ${#packages[@]} packages already installed" >&2
    exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
echo "setup: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
