// Writing result.json records (see result_record.h and results/README.md): every key of the
// schema from a RunResult, with the summary and the overhead fraction derived here.
#include <cmath>
#include <initializer_list>
#include <utility>

#include "results/result_record.h"

namespace statetrack::results {
namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nullptr; }

nlohmann::json mean_accuracy(const std::vector<const EvalEntry*>& entries, double chance) {
    if (entries.empty()) {
        return nullptr;
    }
    double token = 0.0;
    double sequence = 0.0;
    for (const EvalEntry* e : entries) {
        token += e->accuracy.token;
        sequence += e->accuracy.sequence;
    }
    const auto n = static_cast<double>(entries.size());
    return {{"token_accuracy", number_or_null(token / n)},
            {"sequence_accuracy", number_or_null(sequence / n)},
            {"scaled_accuracy", number_or_null(scaled_accuracy(token / n, chance))}};
}

nlohmann::json to_json(const RunLabels& l) {
    return {{"task", l.task},   {"model", l.model}, {"n_layers", l.n_layers},
            {"d_model", l.d_model}, {"lr", l.lr},   {"seed", l.seed}};
}

nlohmann::json to_json(const TaskFacts& t) {
    nlohmann::json j = {{"spec", t.spec},
                        {"formulation", t.formulation},
                        {"algebraic_class", t.algebraic_class},
                        {"circuit_class", t.circuit_class},
                        {"num_classes", t.num_classes},
                        {"chance", t.chance},
                        {"train_lengths", {t.train_lengths.min, t.train_lengths.max}},
                        {"test_lengths", {t.test_lengths.min, t.test_lengths.max}}};
    if (t.max_element_order > 0) {
        j["max_element_order"] = t.max_element_order;
    }
    if (t.max_letter_period > 0) {
        j["max_letter_period"] = t.max_letter_period;
    }
    if (!t.dataset.empty()) {
        j["dataset"] = t.dataset;
    }
    return j;
}

nlohmann::json to_json(const ModelFacts& m) {
    nlohmann::json j = {{"type", m.type},
                        {"parameters", m.parameters},
                        {"state_size", m.state_size},
                        {"weights", m.weights_checksum.empty()
                                        ? nlohmann::json(nullptr)
                                        : nlohmann::json{{"file", "model.pt"},
                                                         {"checksum", m.weights_checksum}}}};
    if (!m.config.is_null()) {
        j["config"] = m.config;
    }
    return j;
}

nlohmann::json to_json(const RunEnvironment& env) {
    nlohmann::json j = {{"git_commit", env.git_commit},
                        {"statetrack_version", env.statetrack_version}};
    using Field = std::pair<const char*, const std::string*>;
    for (const auto& [key, value] :
         {Field{"libtorch", &env.libtorch}, Field{"compiler", &env.compiler},
          Field{"dtype", &env.dtype}, Field{"device", &env.device},
          Field{"device_name", &env.device_name}, Field{"started_at", &env.started_at}}) {
        if (!value->empty()) {
            j[key] = *value;
        }
    }
    if (env.threads > 0) {
        j["threads"] = env.threads;
    }
    if (!env.device.empty()) {
        j["cuda"] = env.cuda.empty() ? nlohmann::json(nullptr) : nlohmann::json(env.cuda);
    }
    if (!env.blas.is_null()) {
        j["blas"] = env.blas;
    }
    return j;
}

nlohmann::json to_json(const TrainingFacts& t, double wall_seconds) {
    nlohmann::json curve = nlohmann::json::array();
    for (const CurvePoint& p : t.curve) {
        curve.push_back(to_json(p));
    }
    nlohmann::json seconds = to_json(t.seconds);
    seconds["total"] = wall_seconds;
    const double overhead = t.seconds.data + t.seconds.eval + t.seconds.checkpoint;
    seconds["overhead_fraction"] = wall_seconds > 0.0 ? overhead / wall_seconds : 0.0;
    return {{"steps", t.steps},
            {"examples", t.examples},
            {"tokens", t.tokens},
            {"train_set_examples", t.train_set_examples},
            {"stop_reason", to_string(t.stop_reason)},
            {"skipped_non_finite_steps", t.skipped_non_finite_steps},
            {"curve", curve},
            {"seconds", seconds}};
}

}  // namespace

double scaled_accuracy(double token_accuracy, double chance) {
    return (token_accuracy - chance) / (1.0 - chance);
}

nlohmann::json to_json(const CurvePoint& p) {
    return {{"step", p.step},
            {"loss", number_or_null(p.loss)},
            {"accuracy", number_or_null(p.accuracy)},
            {"sequence_accuracy", number_or_null(p.sequence_accuracy)},
            {"lr", p.lr},
            {"seconds", p.seconds}};
}

nlohmann::json to_json(const TimeBreakdown& t) {
    return {{"data", t.data},
            {"train", t.train},
            {"eval", t.eval},
            {"eval_step_mode", t.eval_step_mode},
            {"checkpoint", t.checkpoint},
            {"total", t.total}};
}

nlohmann::json to_json(const EvalEntry& e) {
    nlohmann::json j = {{"split", e.split},
                        {"mode", to_string(e.mode)},
                        {"length", e.length},
                        {"examples", e.examples},
                        {"in_distribution", e.in_distribution},
                        {"held_out", e.held_out},
                        {"token_accuracy", number_or_null(e.accuracy.token)},
                        {"sequence_accuracy", number_or_null(e.accuracy.sequence)},
                        {"scaled_accuracy", number_or_null(e.accuracy.scaled)}};
    if (e.mode == EvalMode::kStep) {
        nlohmann::json windows = nlohmann::json::array();
        for (const EvalWindow& w : e.windows) {
            windows.push_back({{"start", w.start},
                               {"end", w.end},
                               {"token_accuracy", number_or_null(w.token_accuracy)}});
        }
        j["windows"] = windows;
        j["state_floats"] = {{"start", e.state_floats_start}, {"end", e.state_floats_end}};
        j["rss_mib"] = {{"first", e.rss_mib_first}, {"last", e.rss_mib_last}};
    }
    return j;
}

nlohmann::json summary_of_evaluation(const std::vector<EvalEntry>& entries, double chance) {
    std::vector<const EvalEntry*> in;
    std::vector<const EvalEntry*> out;
    for (const EvalEntry& e : entries) {
        if (e.mode == EvalMode::kParallel) {
            (e.in_distribution ? in : out).push_back(&e);
        }
    }
    return {{"in_distribution", mean_accuracy(in, chance)},
            {"out_of_distribution", mean_accuracy(out, chance)}};
}

nlohmann::json run_result_to_json(const RunResult& run) {
    const bool failed = run.status == RunStatus::kFailed;
    nlohmann::json j = {{"schema", kResultSchema},
                        {"run_id", run.run_id},
                        {"status", to_string(run.status)},
                        {"error", failed ? nlohmann::json(run.error) : nlohmann::json(nullptr)},
                        {"labels", to_json(run.labels)}};
    if (!run.config.is_null()) {
        j["config"] = run.config;
    }
    nlohmann::json evaluation = nlohmann::json::array();
    for (const EvalEntry& e : run.evaluation) {
        evaluation.push_back(to_json(e));
    }
    j["task"] = to_json(run.task);
    j["model"] = to_json(run.model);
    j["environment"] = to_json(run.environment);
    j["training"] = to_json(run.training, run.wall_seconds);
    j["evaluation"] = evaluation;
    j["summary"] = failed ? nlohmann::json{{"in_distribution", nullptr},
                                           {"out_of_distribution", nullptr}}
                          : summary_of_evaluation(run.evaluation, run.task.chance);
    j["wall_seconds"] = run.wall_seconds;
    return j;
}

}  // namespace statetrack::results
