// result.json assembly (see result_writer.h).

#include "harness/training/result_writer.h"

#include <fmt/format.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <optional>

#include "automata/algebra.h"
#include "automata/dfa_minimize.h"
#include "core/atomic_file.h"
#include "harness/runs/blas_info.h"
#include "harness/runs/build_info.h"

namespace statetrack::harness {
namespace {

nlohmann::json metric(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

std::string compiler_name() {
#if defined(__clang__)
    return "Clang " __clang_version__;
#elif defined(__GNUC__)
    return "GCC " __VERSION__;
#else
    return "unknown";
#endif
}

nlohmann::json mean_metrics(const std::vector<const LengthEvaluation*>& entries, double chance) {
    if (entries.empty()) {
        return nullptr;
    }
    double token = 0.0;
    double sequence = 0.0;
    for (const LengthEvaluation* e : entries) {
        token += e->counts.token_accuracy();
        sequence += e->counts.sequence_accuracy();
    }
    const auto n = static_cast<double>(entries.size());
    return {{"token_accuracy", metric(token / n)},
            {"sequence_accuracy", metric(sequence / n)},
            {"scaled_accuracy", metric(scaled_accuracy(token / n, chance))}};
}

nlohmann::json labels_json(const RunConfig& c, const nlohmann::json& model_config) {
    nlohmann::json labels = {{"task", c.task.spec}, {"model", c.model_name}};
    for (const char* key : {"n_layers", "d_model"}) {
        if (model_config.contains(key)) {
            labels[key] = model_config[key];
        }
    }
    labels["lr"] = c.optimizer.lr;
    labels["seed"] = c.seed;
    return labels;
}

nlohmann::json training_json(const RunRecord& r) {
    nlohmann::json curve = nlohmann::json::array();
    for (const CurvePoint& p : r.state.curve) {
        curve.push_back(to_json(p));
    }
    nlohmann::json seconds = to_json(r.state.seconds);
    seconds["total"] = r.wall_seconds;
    const double overhead =
        r.state.seconds.data + r.state.seconds.eval + r.state.seconds.checkpoint;
    seconds["overhead_fraction"] = r.wall_seconds > 0.0 ? overhead / r.wall_seconds : 0.0;
    return {{"steps", r.state.step},
            {"examples", r.state.examples},
            {"tokens", r.state.tokens},
            {"train_set_examples", r.train_set_examples},
            {"stop_reason", results::to_string(r.outcome.stop_reason)},
            {"skipped_non_finite_steps", r.state.skipped_non_finite},
            {"curve", curve},
            {"seconds", seconds}};
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

nlohmann::json environment_json(const RunRecord& r) {
    nlohmann::json env = {{"statetrack_version", statetrack_version()},
                          {"git_commit", git_commit()},
                          {"libtorch", TORCH_VERSION},
                          {"compiler", compiler_name()},
                          {"threads", r.threads},
                          // bf16: autocast forward, float32 weights and state (kernels/autocast.h)
                          {"dtype", r.config->precision == "bf16" ? "bf16-autocast" : "float32"},
                          {"blas", blas_info().to_json()},
                          {"started_at", r.state.started_at}};
    env.update(r.device.is_object() ? r.device : nlohmann::json{{"device", "cpu"}});
    return env;
}

nlohmann::json task_json(const tasks::Task& task, const RunConfig& config) {
    std::string algebraic = "n/a";
    std::string circuit = "n/a";
    std::optional<automata::AlgebraReport> algebra;
    if (const auto dfa = task.algebra_dfa()) {
        algebra = automata::classify(automata::minimize(*dfa));
        algebraic = automata::to_string(algebra->monoid_class);
        circuit = automata::to_string(algebra->circuit);
    }
    // The schema's test_lengths is the covering [lo, hi]; the ranges as given are in "config".
    int64_t test_lo = config.task.test_lengths.front().min;
    int64_t test_hi = config.task.test_lengths.front().max;
    for (const tasks::LengthRange& r : config.task.test_lengths) {
        test_lo = std::min(test_lo, r.min);
        test_hi = std::max(test_hi, r.max);
    }
    nlohmann::json json = {
        {"spec", task.name()},
        {"formulation", tasks::to_string(task.formulation())},
        {"algebraic_class", algebraic},
        {"circuit_class", circuit},
        {"num_classes", task.output_vocab().size()},
        {"chance", task.chance_level()},
        {"train_lengths", {config.task.train_lengths.min, config.task.train_lengths.max}},
        {"test_lengths", {test_lo, test_hi}},
        {"dataset", to_string(config.task.dataset)}};
    if (algebra) {  // what the report's per-model predictions read (docs/verdicts.md)
        json["max_element_order"] = algebra->max_element_order;
        json["max_letter_period"] = algebra->max_letter_period;
    }
    return json;
}

nlohmann::json summary_json(const std::vector<LengthEvaluation>& entries, double chance) {
    std::vector<const LengthEvaluation*> in;
    std::vector<const LengthEvaluation*> out;
    for (const LengthEvaluation& e : entries) {
        if (e.mode == results::EvalMode::kParallel) {
            (e.in_distribution ? in : out).push_back(&e);
        }
    }
    return {{"in_distribution", mean_metrics(in, chance)},
            {"out_of_distribution", mean_metrics(out, chance)}};
}

nlohmann::json build_result(const RunRecord& r) {
    const RunConfig& c = *r.config;
    const nlohmann::json model_config = r.model->config_json();
    const int64_t longest = expand_test_lengths(c.task).back();
    nlohmann::json evaluation = nlohmann::json::array();
    for (const LengthEvaluation& e : r.evaluation) {
        evaluation.push_back(to_json(e, r.task->chance_level()));
    }
    const bool failed = r.outcome.status == results::RunStatus::kFailed;
    return {{"schema", results::kResultSchema},
            {"run_id", c.name},
            {"status", results::to_string(r.outcome.status)},
            {"error", failed ? nlohmann::json(r.outcome.error) : nlohmann::json(nullptr)},
            {"config", c.raw},
            {"labels", labels_json(c, model_config)},
            {"task", task_json(*r.task, c)},
            {"model",
             {{"type", r.model->type()},
              {"config", model_config},
              {"parameters", r.model->parameter_count()},
              {"state_size", r.model->state_size(std::max(longest, c.eval.step_mode_length))},
              {"weights",
               r.weights_checksum.empty()
                   ? nlohmann::json(nullptr)
                   : nlohmann::json{{"file", "model.pt"}, {"checksum", r.weights_checksum}}}}},
            {"environment", environment_json(r)},
            {"training", training_json(r)},
            {"evaluation", evaluation},
            {"summary",
             failed ? nlohmann::json{{"in_distribution", nullptr}, {"out_of_distribution", nullptr}}
                    : summary_json(r.evaluation, r.task->chance_level())},
            {"wall_seconds", r.wall_seconds}};
}

void write_result(const std::string& path, const nlohmann::json& result) {
    core::write_text_atomically(path, result.dump(2) + "\n");
}

}  // namespace statetrack::harness
