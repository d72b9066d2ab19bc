// result.json, schema "statetrack.result/1" (results/README.md): the one record a run leaves.
// build_result assembles it from the run's parts; write_result writes it atomically (temp file
// + rename), so a reader never sees half a record. Besides the schema's keys it carries
// training.seconds.checkpoint, .eval_step_mode (the step-mode part of eval) and
// .overhead_fraction ((data + eval + checkpoint) / total), training.train_set_examples (fixed
// mode), evaluation[].held_out, and for step mode evaluation[].windows and .state_floats
// (step_mode_eval.h); readers ignore unknown keys.
// The summary averages the "parallel" entries over lengths (step-mode entries are reported
// only individually); out_of_distribution is null when no evaluated length lies outside the
// training range. Non-finite accuracies are written as null.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/runs/run_config.h"
#include "harness/runs/training_state.h"
#include "harness/training/evaluator.h"
#include "harness/training/trainer.h"
#include "model/sequence_model.h"
#include "tasks/task.h"

namespace statetrack::harness {

// environment: version, git commit, LibTorch, compiler, threads, device, dtype, started_at.
nlohmann::json environment_json(int64_t threads, const std::string& started_at);
// task: spec, formulation, algebraic and circuit class of the task's DFA (minimised, then
// automata::classify; "n/a" without a DFA, e.g. MQAR), classes, chance, length ranges.
nlohmann::json task_json(const tasks::Task& task, const RunConfig& config);
// summary from evaluation entries.
nlohmann::json summary_json(const std::vector<LengthEvaluation>& entries, double chance);

struct RunRecord {
    const RunConfig* config = nullptr;
    const tasks::Task* task = nullptr;
    const model::SequenceModel* model = nullptr;
    TrainOutcome outcome;
    TrainingState state;
    int64_t train_set_examples = 0;
    std::vector<LengthEvaluation> evaluation;
    int64_t threads = 1;
    nlohmann::json device;  // device_environment_json (run_device.h)
    double wall_seconds = 0.0;
    std::string weights_checksum;  // model.pt's Fnv1a64 (core/checksum.h); empty: no model.pt
};

nlohmann::json build_result(const RunRecord& record);

void write_result(const std::string& path, const nlohmann::json& result);

// "2026-12-01T08:00:00Z", now.
std::string utc_timestamp();

}  // namespace statetrack::harness
