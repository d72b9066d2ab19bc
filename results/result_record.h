// RunResult: the typed part of one result.json (schema "statetrack.result/1", results/README.md)
// that reports need, parsed with validation. Contract:
//  - parse_run_result checks the schema string and every key the report reads; a missing key or
//    a bad value throws std::invalid_argument naming the file and the key path. Unknown keys are
//    ignored (forward compatibility).
//  - A failed run (status "failed") needs only schema, run_id, status, error and labels: it is
//    listed in the report, never aggregated. Its other fields stay default.
//  - Optional keys (older files parse without them): task.max_element_order and
//    task.max_letter_period (integers >= 1; 0 in the record = unknown) and model.config (an
//    object: the resolved model config, from which ModelFacts::family is derived).
//  - run_result_to_json writes a valid document from a RunResult (tests, fixtures); parsing it
//    back gives the same RunResult (family is re-derived from model.config).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/length_range.h"
#include "results/model_family.h"
#include "results/result_schema.h"

namespace statetrack::results {

// The grid point: what reports group by. model is the display name.
struct RunLabels {
    std::string task;
    std::string model;
    int64_t n_layers = 1;
    int64_t d_model = 1;
    double lr = 0.0;
    int64_t seed = 0;
};

using core::LengthRange;  // [min, max]

struct TaskFacts {
    std::string spec;
    std::string formulation;
    std::string algebraic_class = "n/a";  // aperiodic | solvable | non-solvable | n/a
    std::string circuit_class = "n/a";    // AC0 | ACC0 | NC1-complete | n/a
    int64_t num_classes = 2;
    double chance = 0.5;
    LengthRange train_lengths;
    LengthRange test_lengths;
    // Largest order of an element of any maximal subgroup of the syntactic monoid (1: aperiodic)
    // and largest period of one letter's transformation; 0: unknown (not written, e.g. MQAR).
    int64_t max_element_order = 0;
    int64_t max_letter_period = 0;
};

struct ModelFacts {
    std::string type;
    int64_t parameters = 0;
    int64_t state_size = 0;  // floats per sequence; 0 when the model has no step state
    nlohmann::json config;   // model.config, the resolved config; null when absent
    ModelFamily family = ModelFamily::kUnknown;  // model_family_of(config, type)
};

// token: scored positions right; sequence: every scored position right; scaled:
// (token - chance) / (1 - chance), may be negative.
struct Accuracy {
    double token = 0.0;
    double sequence = 0.0;
    double scaled = 0.0;
};

struct EvalEntry {
    std::string split;  // e.g. "test"
    EvalMode mode = EvalMode::kParallel;
    int64_t length = 0;
    int64_t examples = 1;
    bool in_distribution = false;  // length inside task.train_lengths (checked on parse)
    Accuracy accuracy;
};

struct RunResult {
    std::string source;  // the file it was read from ("" when built in memory)
    std::string run_id;
    RunStatus status = RunStatus::kComplete;
    std::string error;  // failed runs only
    RunLabels labels;
    // Complete runs only:
    TaskFacts task;
    ModelFacts model;
    std::string git_commit;
    std::string statetrack_version;
    // Where it ran, from result.json's environment (empty keys are left out): e.g.
    // "NVIDIA H200 (cuda:0), bf16-autocast, LibTorch 2.11.0, CUDA 13.0".
    std::string platform;
    int64_t steps = 0;
    StopReason stop_reason = StopReason::kMaxSteps;
    double wall_seconds = 0.0;
    std::vector<EvalEntry> evaluation;  // unique (split, mode, length)
};

// `file` only labels error messages.
RunResult parse_run_result(const nlohmann::json& json, const std::string& file);
// Reads and parses `path` (invalid JSON is an error naming the file).
RunResult load_run_result(const std::string& path);
nlohmann::json run_result_to_json(const RunResult& run);

bool is_known_algebraic_class(const std::string& name);
// Report order of the classes: aperiodic 0, solvable 1, non-solvable 2, n/a (or unknown) 3.
int algebraic_class_rank(const std::string& name);

}  // namespace statetrack::results
