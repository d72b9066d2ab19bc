// The result.json schema ("statetrack.result/1", results/README.md) as types, in one place for
// its writer (harness/training/result_writer.h fills a RunResult) and its readers (reports).
// Contract:
//  - run_result_to_json writes the whole document from a RunResult; the summary
//    (summary_of_evaluation) and training.seconds.overhead_fraction are derived there, never
//    stored. Non-finite accuracies and curve values are written as null.
//  - parse_run_result checks the schema string and every key the report reads; a missing key or
//    a bad value throws std::invalid_argument naming the file and the key path. Unknown keys are
//    ignored (forward compatibility); keys only the writer needs (config, environment details,
//    training counters, curve and seconds, held_out, step-mode extras, weights) are read when
//    present and keep their defaults otherwise, so older files still parse.
//  - A failed run (status "failed") needs only schema, run_id, status, error and labels: it is
//    listed in the report, never aggregated. Its other sections are written (summary null) but
//    not read back: they stay default.
//  - Optional keys: task.max_element_order and task.max_letter_period (integers >= 1; 0 in the
//    record = unknown, not written) and model.config (an object: the resolved model config, from
//    which ModelFacts::family is derived).
//  - For a complete run, writing, parsing and writing again gives the same document.
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
    LengthRange test_lengths;  // the covering range of the run config's test ranges
    // Largest order of an element of any maximal subgroup of the syntactic monoid (1: aperiodic)
    // and largest period of one letter's transformation; 0: unknown (not written, e.g. MQAR).
    int64_t max_element_order = 0;
    int64_t max_letter_period = 0;
    std::string dataset;  // run config task.dataset ("fresh" | "fixed"); "": not written
};

struct ModelFacts {
    std::string type;
    int64_t parameters = 0;
    int64_t state_size = 0;  // floats per sequence; 0 when the model has no step state
    nlohmann::json config;   // model.config, the resolved config; null when absent
    ModelFamily family = ModelFamily::kUnknown;  // model_family_of(config, type)
    std::string weights_checksum;  // model.pt's Fnv1a64 (core/checksum.h); "": weights null
};

// environment: where and with what the run ran. Empty strings (threads 0) are not written;
// cuda is written (null when empty) whenever device is.
struct RunEnvironment {
    std::string statetrack_version;
    std::string git_commit;
    std::string libtorch;
    std::string compiler;
    int64_t threads = 0;
    std::string dtype;        // "float32" | "bf16-autocast"
    std::string device;       // "cpu" | "cuda:N"
    std::string device_name;  // the CPU's model name or the GPU's name
    std::string cuda;         // the CUDA runtime statetrack was built with
    nlohmann::json blas;      // harness/runs/blas_info.h's object; null: not written
    std::string started_at;   // ISO 8601 UTC
};

// "NVIDIA H200 (cuda:0), bf16-autocast, LibTorch 2.11.0, CUDA 13.0"; "" without those keys.
std::string platform_of(const RunEnvironment& environment);

// A point of the training curve (also a checkpoint's, harness/runs/training_state.h).
struct CurvePoint {
    int64_t step = 0;       // steps done when measured
    double loss = 0.0;      // mean training loss over the finite steps since the last point
                            // (NaN when every step in the window was skipped; JSON null)
    double accuracy = 0.0;  // validation token accuracy
    double sequence_accuracy = 0.0;  // validation sequence accuracy
    double lr = 0.0;                 // lr of the last step
    double seconds = 0.0;            // training wall time so far
};

struct TimeBreakdown {
    double data = 0.0;            // sampling examples and building batches
    double train = 0.0;           // forward, loss, backward, clipping, optimiser step
    double eval = 0.0;            // validation points, test-set generation and final evaluation
    double eval_step_mode = 0.0;  // the part of eval spent in step mode
    double checkpoint = 0.0;      // writing checkpoints
    double total = 0.0;           // the whole run, every segment (resumes) added up
};

nlohmann::json to_json(const CurvePoint& point);
nlohmann::json to_json(const TimeBreakdown& seconds);

// training. seconds.total is RunResult::wall_seconds in the file.
struct TrainingFacts {
    int64_t steps = 0;
    int64_t examples = 0;
    int64_t tokens = 0;
    int64_t train_set_examples = 0;  // fixed dataset mode; 0 otherwise
    StopReason stop_reason = StopReason::kMaxSteps;
    int64_t skipped_non_finite_steps = 0;
    std::vector<CurvePoint> curve;
    TimeBreakdown seconds;
};

// token: scored positions right; sequence: every scored position right; scaled:
// (token - chance) / (1 - chance), may be negative.
struct Accuracy {
    double token = 0.0;
    double sequence = 0.0;
    double scaled = 0.0;
};

double scaled_accuracy(double token_accuracy, double chance);

// Step mode only: token accuracy over positions [start, end).
struct EvalWindow {
    int64_t start = 0;
    int64_t end = 0;
    double token_accuracy = 0.0;
};

struct EvalEntry {
    std::string split;  // e.g. "test"
    EvalMode mode = EvalMode::kParallel;
    int64_t length = 0;
    int64_t examples = 1;
    bool in_distribution = false;  // length inside task.train_lengths (checked on parse)
    Accuracy accuracy;
    bool held_out = true;  // examples disjoint from the training set
    // Step mode only (harness/training/step_mode_eval.h): accuracy per window of positions, the
    // step state's floats per sequence before the first and after the last token, and the
    // process's resident memory after the first and the last token.
    std::vector<EvalWindow> windows;
    int64_t state_floats_start = 0;
    int64_t state_floats_end = 0;
    double rss_mib_first = 0.0;
    double rss_mib_last = 0.0;
};

// summary: the means of the "parallel" entries over lengths, inside and outside the training
// lengths (null when there is none); step-mode entries are reported only individually.
nlohmann::json to_json(const EvalEntry& entry);
nlohmann::json summary_of_evaluation(const std::vector<EvalEntry>& entries, double chance);

struct RunResult {
    std::string source;  // the file it was read from ("" when built in memory)
    std::string run_id;
    RunStatus status = RunStatus::kComplete;
    std::string error;  // failed runs only
    nlohmann::json config;  // the run config verbatim; null when absent
    RunLabels labels;
    // Complete runs only:
    TaskFacts task;
    ModelFacts model;
    RunEnvironment environment;
    TrainingFacts training;
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
