// Which BLAS this process's matrix products run on, and whether its kernels suit the CPU.
// LibTorch (Debian's) calls the system's libblas.so.3, which may be OpenBLAS, the reference BLAS
// or another; OpenBLAS picks a kernel set per CPU at start and falls back to its old generic
// "Prescott" kernels on CPUs it does not know, which made sgemm about 6x slower on a machine of
// this project's kind (README, Performance). Contract: blas_info() looks the library up in the
// running process (dlsym; nothing is loaded); warn_if_generic_blas() prints one warning line to
// stderr, once per process, when OpenBLAS uses a pre-AVX kernel set on a CPU with AVX2.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace statetrack::harness {

struct BlasInfo {
    std::string library;  // "OpenBLAS", "unknown" (sgemm_ from a library that is not OpenBLAS),
                          // or "none" (no sgemm_ in this process: a torch-free build)
    std::string path;     // the shared object holding sgemm_, "" when none
    std::string config;   // openblas_get_config(), e.g. "OpenBLAS 0.3.21 ... SkylakeX ..."
    std::string core;     // openblas_get_corename(), e.g. "SkylakeX", "Prescott"
    bool generic_on_modern_cpu = false;

    std::string summary() const;     // one line for --version
    nlohmann::json to_json() const;  // result.json environment.blas
};

BlasInfo blas_info();

void warn_if_generic_blas();

// Sets OpenBLAS's own thread count, which LibTorch's set_num_threads leaves alone: otherwise
// every process keeps a worker per core that spins between products, and two sweep workers of
// one thread each on two cores ran ~1.5x slower (README, Performance). Returns false, changing
// nothing, when the BLAS in this process is not OpenBLAS.
bool set_blas_threads(int threads);

}  // namespace statetrack::harness
