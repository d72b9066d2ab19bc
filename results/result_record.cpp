// Reading result.json records (see result_record.h and results/README.md).
#include "results/result_record.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>
#include <set>
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

std::string optional_string(const ResultJsonReader& r, const std::string& key) {
    return r.has(key) ? r.string(key) : std::string();
}

int64_t optional_integer(const ResultJsonReader& r, const std::string& key) {
    return r.has(key) ? r.integer(key, 0) : 0;
}

constexpr std::array<const char*, 4> kAlgebraicClasses = {"aperiodic", "solvable", "non-solvable",
                                                          "n/a"};
constexpr std::array<const char*, 4> kCircuitClasses = {"AC0", "ACC0", "NC1-complete", "n/a"};

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
    t.dataset = optional_string(r, "dataset");
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
    e.held_out = r.has("held_out") ? r.boolean("held_out") : true;
    if (r.has("windows")) {
        for (size_t i = 0; i < r.array("windows").size(); ++i) {
            const ResultJsonReader w = r.element("windows", i);
            e.windows.push_back({w.integer("start", 0), w.integer("end", 0),
                                 w.number_in("token_accuracy", 0.0, 1.0)});
        }
    }
    if (r.has("state_floats")) {
        const ResultJsonReader floats = r.object("state_floats");
        e.state_floats_start = floats.integer("start", 0);
        e.state_floats_end = floats.integer("end", 0);
    }
    if (r.has("rss_mib")) {
        const ResultJsonReader rss = r.object("rss_mib");
        e.rss_mib_first = rss.number("first");
        e.rss_mib_last = rss.number("last");
    }
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

RunEnvironment parse_environment(const ResultJsonReader& r) {
    RunEnvironment env;
    env.git_commit = r.string("git_commit");
    env.statetrack_version = r.string("statetrack_version");
    env.libtorch = optional_string(r, "libtorch");
    env.compiler = optional_string(r, "compiler");
    env.threads = r.has("threads") ? r.integer("threads", 1) : 0;
    env.dtype = optional_string(r, "dtype");
    env.device = optional_string(r, "device");
    env.device_name = optional_string(r, "device_name");
    env.cuda = optional_string(r, "cuda");
    if (r.has("blas")) {
        env.blas = r.object("blas").json();
    }
    env.started_at = optional_string(r, "started_at");
    return env;
}

// A curve value: a number, or null for NaN (a window of skipped steps).
double number_or_nan(const ResultJsonReader& r, const std::string& key) {
    return r.has(key) ? r.number(key) : std::numeric_limits<double>::quiet_NaN();
}

TrainingFacts parse_training(const ResultJsonReader& r) {
    TrainingFacts t;
    t.steps = r.integer("steps", 0);
    t.stop_reason = parse_enum(r, "stop_reason", parse_stop_reason);
    t.examples = optional_integer(r, "examples");
    t.tokens = optional_integer(r, "tokens");
    t.train_set_examples = optional_integer(r, "train_set_examples");
    t.skipped_non_finite_steps = optional_integer(r, "skipped_non_finite_steps");
    if (r.has("curve")) {
        for (size_t i = 0; i < r.array("curve").size(); ++i) {
            const ResultJsonReader p = r.element("curve", i);
            t.curve.push_back({p.integer("step", 0), number_or_nan(p, "loss"),
                               number_or_nan(p, "accuracy"), number_or_nan(p, "sequence_accuracy"),
                               p.number("lr"), p.number("seconds")});
        }
    }
    if (r.has("seconds")) {
        const ResultJsonReader s = r.object("seconds");
        const auto seconds = [&](const char* key) { return s.has(key) ? s.number(key) : 0.0; };
        t.seconds = {seconds("data"),           seconds("train"),      seconds("eval"),
                     seconds("eval_step_mode"), seconds("checkpoint"), seconds("total")};
    }
    return t;
}

ModelFacts parse_model(const ResultJsonReader& r) {
    ModelFacts m;
    m.type = r.string("type");
    m.parameters = r.integer("parameters", 0);
    m.state_size = r.integer("state_size", 0);
    if (r.has("config")) {
        m.config = r.object("config").json();
    }
    m.family = model_family_of(m.config, m.type);
    if (r.has("weights")) {
        m.weights_checksum = r.object("weights").string("checksum");
    }
    return m;
}

void parse_complete_run(const ResultJsonReader& r, RunResult& run) {
    run.task = parse_task(r.object("task"));
    run.model = parse_model(r.object("model"));
    run.environment = parse_environment(r.object("environment"));
    run.training = parse_training(r.object("training"));
    run.wall_seconds = r.number("wall_seconds");
    if (!(run.wall_seconds >= 0.0)) {
        r.fail("wall_seconds", fmt::format("{} is negative", run.wall_seconds));
    }
    run.training.seconds.total = run.wall_seconds;
    run.evaluation = parse_evaluation(r, run.task);
}

}  // namespace

std::string platform_of(const RunEnvironment& env) {
    std::vector<std::string> parts;
    if (!env.device_name.empty() && !env.device.empty()) {
        parts.push_back(env.device_name + " (" + env.device + ")");
    } else if (!env.device_name.empty() || !env.device.empty()) {
        parts.push_back(env.device_name + env.device);
    }
    for (const auto& [value, prefix] : {std::pair<const std::string*, const char*>{&env.dtype, ""},
                                        {&env.libtorch, "LibTorch "},
                                        {&env.cuda, "CUDA "}}) {
        if (!value->empty()) {
            parts.push_back(prefix + *value);
        }
    }
    std::string out;
    for (const std::string& p : parts) {
        out += (out.empty() ? "" : ", ") + p;
    }
    return out;
}

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
    if (r.has("config")) {
        run.config = r.object("config").json();
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

}  // namespace statetrack::results
