// Parsing and writing result.json records (see result_record.h and results/README.md).
#include "results/result_record.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "core/strict_json.h"
#include "results/result_json_reader.h"

namespace statetrack::results {
namespace {

// One of result_schema.h's enums at `key`; a bad spelling fails naming the key.
template <typename Parse>
auto parse_enum(const ResultJsonReader& r, const std::string& key, Parse parse) {
    const std::string text = r.string(key);
    try {
        return parse(text);
    } catch (const std::invalid_argument& e) {
        r.fail(key, e.what());
    }
}

constexpr std::array<const char*, 4> kAlgebraicClasses = {"aperiodic", "solvable", "non-solvable",
                                                          "n/a"};
constexpr std::array<const char*, 4> kCircuitClasses = {"AC0", "ACC0", "NC1-complete", "n/a"};

// RunResult::platform from an environment object: its "platform" when it has one (a record
// written by run_result_to_json), else composed from the keys result.json writes. Results
// from before those keys existed give "".
std::string platform_text(const ResultJsonReader& env) {
    const nlohmann::json& j = env.json();
    const auto text = [&](const char* key) {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
    };
    if (!text("platform").empty()) {
        return text("platform");
    }
    std::vector<std::string> parts;
    if (!text("device_name").empty() && !text("device").empty()) {
        parts.push_back(text("device_name") + " (" + text("device") + ")");
    } else if (!text("device_name").empty() || !text("device").empty()) {
        parts.push_back(text("device_name") + text("device"));
    }
    for (const auto& [key, prefix] : {std::pair<const char*, const char*>{"dtype", ""},
                                      {"libtorch", "LibTorch "},
                                      {"cuda", "CUDA "}}) {
        if (!text(key).empty()) {
            parts.push_back(prefix + text(key));
        }
    }
    std::string out;
    for (const std::string& p : parts) {
        out += (out.empty() ? "" : ", ") + p;
    }
    return out;
}

template <size_t N>
std::string one_of(const ResultJsonReader& r, const std::string& key,
                   const std::array<const char*, N>& allowed) {
    const std::string value = r.string(key);
    for (const char* a : allowed) {
        if (value == a) {
            return value;
        }
    }
    std::string list;
    for (const char* a : allowed) {
        list += fmt::format("{}'{}'", list.empty() ? "" : ", ", a);
    }
    r.fail(key, fmt::format("'{}' is not one of {}", value, list));
}

RunLabels parse_labels(const ResultJsonReader& r) {
    RunLabels l;
    l.task = r.string("task");
    l.model = r.string("model");
    l.n_layers = r.integer("n_layers", 1);
    l.d_model = r.integer("d_model", 1);
    l.lr = r.number("lr");
    if (!(l.lr > 0.0)) {
        r.fail("lr", fmt::format("{} is not positive", l.lr));
    }
    l.seed = r.integer("seed", 0);
    return l;
}

TaskFacts parse_task(const ResultJsonReader& r) {
    TaskFacts t;
    t.spec = r.string("spec");
    t.formulation = r.string("formulation");
    t.algebraic_class = one_of(r, "algebraic_class", kAlgebraicClasses);
    t.circuit_class = one_of(r, "circuit_class", kCircuitClasses);
    t.num_classes = r.integer("num_classes", 1);
    t.chance = r.number_in("chance", 0.0, 1.0);
    if (t.chance >= 1.0) {
        r.fail("chance", "must be below 1 (scaled accuracy divides by 1 - chance)");
    }
    const auto train = r.integer_range("train_lengths", 0);
    const auto test = r.integer_range("test_lengths", 0);
    t.train_lengths = {train.first, train.second};
    t.test_lengths = {test.first, test.second};
    t.max_element_order = r.has("max_element_order") ? r.integer("max_element_order", 1) : 0;
    t.max_letter_period = r.has("max_letter_period") ? r.integer("max_letter_period", 1) : 0;
    return t;
}

EvalEntry parse_eval_entry(const ResultJsonReader& r, const TaskFacts& task) {
    EvalEntry e;
    e.split = r.string("split");
    e.mode = parse_enum(r, "mode", parse_eval_mode);
    e.length = r.integer("length", 0);
    e.examples = r.integer("examples", 1);
    e.in_distribution = r.boolean("in_distribution");
    if (e.in_distribution != task.train_lengths.contains(e.length)) {
        r.fail("in_distribution",
               fmt::format("{} contradicts length {} and task.train_lengths [{}, {}]",
                           e.in_distribution, e.length, task.train_lengths.min,
                           task.train_lengths.max));
    }
    e.accuracy.token = r.number_in("token_accuracy", 0.0, 1.0);
    e.accuracy.sequence = r.number_in("sequence_accuracy", 0.0, 1.0);
    // Scaled accuracy reaches its minimum, -chance / (1 - chance), at token accuracy 0.
    const double floor = -task.chance / (1.0 - task.chance) - 1e-9;
    e.accuracy.scaled = r.number_in("scaled_accuracy", floor, 1.0);
    return e;
}

std::vector<EvalEntry> parse_evaluation(const ResultJsonReader& r, const TaskFacts& task) {
    const auto& items = r.array("evaluation");
    if (items.empty()) {
        r.fail("evaluation", "a complete run needs at least one entry");
    }
    std::vector<EvalEntry> entries;
    std::set<std::tuple<std::string, EvalMode, int64_t>> seen;
    for (size_t i = 0; i < items.size(); ++i) {
        const ResultJsonReader item = r.element("evaluation", i);
        EvalEntry e = parse_eval_entry(item, task);
        if (!seen.insert({e.split, e.mode, e.length}).second) {
            r.fail(fmt::format("evaluation[{}]", i),
                   fmt::format("a second entry for split '{}', mode '{}', length {}", e.split,
                               to_string(e.mode), e.length));
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

void parse_complete_run(const ResultJsonReader& r, RunResult& run) {
    run.task = parse_task(r.object("task"));
    const ResultJsonReader model = r.object("model");
    run.model.type = model.string("type");
    run.model.parameters = model.integer("parameters", 0);
    run.model.state_size = model.integer("state_size", 0);
    if (model.has("config")) {
        run.model.config = model.object("config").json();
    }
    run.model.family = model_family_of(run.model.config, run.model.type);
    const ResultJsonReader env = r.object("environment");
    run.git_commit = env.string("git_commit");
    run.statetrack_version = env.string("statetrack_version");
    run.platform = platform_text(env);
    const ResultJsonReader training = r.object("training");
    run.steps = training.integer("steps", 0);
    run.stop_reason = parse_enum(training, "stop_reason", parse_stop_reason);
    run.wall_seconds = r.number("wall_seconds");
    if (!(run.wall_seconds >= 0.0)) {
        r.fail("wall_seconds", fmt::format("{} is negative", run.wall_seconds));
    }
    run.evaluation = parse_evaluation(r, run.task);
}

}  // namespace

bool is_known_algebraic_class(const std::string& name) {
    for (const char* c : kAlgebraicClasses) {
        if (name == c) {
            return true;
        }
    }
    return false;
}

int algebraic_class_rank(const std::string& name) {
    for (size_t i = 0; i + 1 < kAlgebraicClasses.size(); ++i) {
        if (name == kAlgebraicClasses[i]) {
            return static_cast<int>(i);
        }
    }
    return 3;
}

RunResult parse_run_result(const nlohmann::json& json, const std::string& file) {
    const ResultJsonReader r(json, file);
    const std::string schema = r.string("schema");
    if (schema != kResultSchema) {
        r.fail("schema", fmt::format("'{}' is not '{}'", schema, kResultSchema));
    }
    RunResult run;
    run.source = file;
    run.run_id = r.string("run_id");
    run.status = parse_enum(r, "status", parse_run_status);
    if (run.status == RunStatus::kFailed) {
        run.error = r.string("error");
    }
    run.labels = parse_labels(r.object("labels"));
    if (run.status == RunStatus::kComplete) {
        parse_complete_run(r, run);
    }
    return run;
}

RunResult load_run_result(const std::string& path) {
    return parse_run_result(core::read_json_file(path), path);
}

nlohmann::json run_result_to_json(const RunResult& run) {
    const RunLabels& l = run.labels;
    nlohmann::json j = {
        {"schema", kResultSchema},
        {"run_id", run.run_id},
        {"status", to_string(run.status)},
        {"error", run.status == RunStatus::kFailed ? nlohmann::json(run.error) : nullptr},
        {"labels",
         {{"task", l.task},
          {"model", l.model},
          {"n_layers", l.n_layers},
          {"d_model", l.d_model},
          {"lr", l.lr},
          {"seed", l.seed}}}};
    if (run.status == RunStatus::kFailed) {
        return j;
    }
    const TaskFacts& t = run.task;
    j["task"] = {{"spec", t.spec},
                 {"formulation", t.formulation},
                 {"algebraic_class", t.algebraic_class},
                 {"circuit_class", t.circuit_class},
                 {"num_classes", t.num_classes},
                 {"chance", t.chance},
                 {"train_lengths", {t.train_lengths.min, t.train_lengths.max}},
                 {"test_lengths", {t.test_lengths.min, t.test_lengths.max}}};
    if (t.max_element_order > 0) {
        j["task"]["max_element_order"] = t.max_element_order;
    }
    if (t.max_letter_period > 0) {
        j["task"]["max_letter_period"] = t.max_letter_period;
    }
    j["model"] = {{"type", run.model.type},
                  {"parameters", run.model.parameters},
                  {"state_size", run.model.state_size}};
    if (!run.model.config.is_null()) {
        j["model"]["config"] = run.model.config;
    }
    j["environment"] = {{"git_commit", run.git_commit},
                        {"statetrack_version", run.statetrack_version}};
    if (!run.platform.empty()) {
        j["environment"]["platform"] = run.platform;
    }
    j["training"] = {{"steps", run.steps}, {"stop_reason", to_string(run.stop_reason)}};
    j["wall_seconds"] = run.wall_seconds;
    nlohmann::json evaluation = nlohmann::json::array();
    for (const EvalEntry& e : run.evaluation) {
        evaluation.push_back({{"split", e.split},
                              {"mode", to_string(e.mode)},
                              {"length", e.length},
                              {"examples", e.examples},
                              {"in_distribution", e.in_distribution},
                              {"token_accuracy", e.accuracy.token},
                              {"sequence_accuracy", e.accuracy.sequence},
                              {"scaled_accuracy", e.accuracy.scaled}});
    }
    j["evaluation"] = evaluation;
    return j;
}

}  // namespace statetrack::results
