// Small helpers the benchmark programs share: the --threads=N flag and random token batches.
// Contract: apply_threads_flag removes --threads=N from argv (google-benchmark rejects unknown
// flags), sets LibTorch's and OpenBLAS's thread counts to N (default: the hardware's core count)
// and returns N. Both: OpenBLAS keeps its own pool, whose idle workers spin and yield between
// products, which made a "1 thread" Transformer step-mode benchmark 2.4x slower (README,
// Performance). random_tokens draws (B, T) int64
// tokens uniform in [0, vocab) from a seeded generator (automata/random.h), the same on every
// machine.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>

#include "automata/random.h"
#include "harness/runs/blas_info.h"

namespace statetrack::bench {

// Takes --threads=N (default: the hardware's core count) out of argv and applies it.
inline int apply_threads_flag(int* argc, char** argv) {
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    int kept = 1;
    for (int i = 1; i < *argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--threads=", 0) == 0) {
            threads = std::max(1, std::atoi(arg.c_str() + 10));
        } else {
            argv[kept++] = argv[i];
        }
    }
    *argc = kept;
    at::set_num_threads(threads);
    statetrack::harness::set_blas_threads(threads);
    return threads;
}

// (B, T) tokens uniform in [0, vocab), seeded.
inline torch::Tensor random_tokens(int64_t B, int64_t T, int64_t vocab, uint64_t seed) {
    statetrack::automata::Rng rng(seed);
    torch::Tensor t = torch::empty({B, T}, torch::kLong);
    int64_t* data = t.data_ptr<int64_t>();
    for (int64_t i = 0; i < B * T; ++i) {
        data[i] = static_cast<int64_t>(statetrack::automata::uniform_below(rng, vocab));
    }
    return t;
}

}  // namespace statetrack::bench
