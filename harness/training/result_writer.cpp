// result.json assembly (see result_writer.h).

#include "harness/training/result_writer.h"

#include <torch/version.h>

#include <algorithm>
#include <ctime>

#include "automata/algebra.h"
#include "automata/dfa_minimize.h"
#include "core/atomic_file.h"
#include "harness/runs/blas_info.h"
#include "harness/runs/build_info.h"
#include "kernels/cuda_device_info.h"

namespace statetrack::harness {
namespace {

std::string compiler_name() {
#if defined(__clang__)
    return "Clang " __clang_version__;
#elif defined(__GNUC__)
    return "GCC " __VERSION__;
#else
    return "unknown";
#endif
}

results::RunEnvironment environment_of(const RunRecord& r) {
    results::RunEnvironment env;
    env.statetrack_version = statetrack_version();
    env.git_commit = git_commit();
    env.libtorch = TORCH_VERSION;
    env.compiler = compiler_name();
    env.threads = r.threads;
    // bf16: autocast forward, float32 weights and state (kernels/autocast.h)
    env.dtype = r.config->precision == "bf16" ? "bf16-autocast" : "float32";
    env.device = r.device->name;
    env.device_name = r.device->description;
    env.cuda = kernels::cuda_runtime_version();
    env.blas = blas_info().to_json();
    env.started_at = r.state.started_at;
    return env;
}

results::TrainingFacts training_of(const RunRecord& r) {
    results::TrainingFacts t;
    t.steps = r.state.step;
    t.examples = r.state.examples;
    t.tokens = r.state.tokens;
    t.train_set_examples = r.train_set_examples;
    t.stop_reason = r.outcome.stop_reason;
    t.skipped_non_finite_steps = r.state.skipped_non_finite;
    t.curve = r.state.curve;
    t.seconds = r.state.seconds;
    return t;
}

}  // namespace

std::string utc_timestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

results::TaskFacts task_facts(const tasks::Task& task, const RunConfig& config) {
    results::TaskFacts t;
    t.spec = task.name();
    t.formulation = tasks::to_string(task.formulation());
    if (const auto dfa = task.algebra_dfa()) {
        const automata::AlgebraReport algebra = automata::classify(automata::minimize(*dfa));
        t.algebraic_class = automata::to_string(algebra.monoid_class);
        t.circuit_class = automata::to_string(algebra.circuit);
        // what the report's per-model predictions read (docs/verdicts.md)
        t.max_element_order = algebra.max_element_order;
        t.max_letter_period = algebra.max_letter_period;
    }
    t.num_classes = static_cast<int64_t>(task.output_vocab().size());
    t.chance = task.chance_level();
    t.train_lengths = config.task.train_lengths;
    // The schema's test_lengths is the covering [min, max]; the ranges as given are in "config".
    t.test_lengths = config.task.test_lengths.front();
    for (const tasks::LengthRange& range : config.task.test_lengths) {
        t.test_lengths.min = std::min(t.test_lengths.min, range.min);
        t.test_lengths.max = std::max(t.test_lengths.max, range.max);
    }
    t.dataset = to_string(config.task.dataset);
    return t;
}

results::RunResult build_result(const RunRecord& r) {
    const RunConfig& c = *r.config;
    results::RunResult run;
    run.run_id = c.name;
    run.status = r.outcome.status;
    run.error = r.outcome.error;
    run.config = c.raw;
    const nlohmann::json model_config = r.model->config_json();
    run.labels = {c.task.spec, c.model_name, model_config.at("n_layers").get<int64_t>(),
                  model_config.at("d_model").get<int64_t>(), c.optimizer.lr,
                  static_cast<int64_t>(c.seed)};
    run.task = task_facts(*r.task, c);
    const int64_t longest = expand_test_lengths(c.task).back();
    run.model.type = r.model->type();
    run.model.config = model_config;
    run.model.parameters = r.model->parameter_count();
    run.model.state_size = r.model->state_size(std::max(longest, c.eval.step_mode_length));
    run.model.weights_checksum = r.weights_checksum;
    run.environment = environment_of(r);
    run.training = training_of(r);
    run.wall_seconds = r.wall_seconds;
    for (const LengthEvaluation& e : r.evaluation) {
        run.evaluation.push_back(eval_entry(e, run.task.chance));
    }
    return run;
}

void write_result(const std::string& path, const nlohmann::json& result) {
    core::write_text_atomically(path, result.dump(2) + "\n");
}

}  // namespace statetrack::harness
