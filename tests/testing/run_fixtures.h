// Shared pieces of the harness tests (tests/runs, tests/training, tests/cli): a tiny run config
// (1-layer RWKV-7, d_model 16, a few steps; each run takes well under a second) and a scratch
// directory per test. Training one config into a directory is run_in (testing/run_in.h).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "testing/scratch_dir.h"

namespace statetrack::harness::fixtures {

// Parity, state tagging, lengths 1-8, fresh data, tests at 1-10, threads 1.
inline nlohmann::json tiny_run_config() {
    return nlohmann::json::parse(R"({
        "name": "tiny",
        "seed": 3,
        "threads": 1,
        "task": {"spec": "parity", "formulation": "state_tagging", "train_lengths": [1, 8],
                 "test_lengths": [1, 10], "test_examples_per_length": 4,
                 "validation_examples": 16},
        "model": {"type": "rwkv7", "n_layers": 1, "d_model": 16, "head_size": 16},
        "optimizer": {"recipe": "rwkv", "lr": 0.01},
        "schedule": {"warmup_steps": 2},
        "budget": {"max_steps": 12, "batch_size": 8, "eval_every": 3, "checkpoint_every": 6},
        "eval": {"batch_size": 16}
    })");
}

using statetrack::testing::ScratchDir;

}  // namespace statetrack::harness::fixtures
