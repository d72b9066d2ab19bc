// result.json, schema "statetrack.result/1" (results/README.md): the one record a run leaves.
// build_result fills the schema's types (results/result_record.h) from the run's parts and
// writes them with results::run_result_to_json, the same code that tests and fixtures use;
// write_result writes the document atomically (temp file + rename), so a reader never sees half
// a record.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/runs/run_config.h"
#include "harness/runs/training_state.h"
#include "harness/training/evaluator.h"
#include "harness/training/run_device.h"
#include "harness/training/trainer.h"
#include "model/sequence_model.h"
#include "results/result_record.h"
#include "tasks/task.h"

namespace statetrack::harness {

// task: spec, formulation, algebraic and circuit class of the task's DFA (minimised, then
// automata::classify; "n/a" without a DFA, e.g. MQAR), classes, chance, length ranges.
results::TaskFacts task_facts(const tasks::Task& task, const RunConfig& config);

struct RunRecord {
    const RunConfig* config = nullptr;
    const tasks::Task* task = nullptr;
    const model::SequenceModel* model = nullptr;
    const RunDevice* device = nullptr;
    TrainOutcome outcome;
    TrainingState state;
    int64_t train_set_examples = 0;
    std::vector<LengthEvaluation> evaluation;
    int64_t threads = 1;
    double wall_seconds = 0.0;
    std::string weights_checksum;  // model.pt's Fnv1a64 (core/checksum.h); empty: no model.pt
};

results::RunResult build_result(const RunRecord& record);

void write_result(const std::string& path, const nlohmann::json& result);

// "2026-12-01T08:00:00Z", now.
std::string utc_timestamp();

}  // namespace statetrack::harness
