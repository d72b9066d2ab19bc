// Strict run-config parsing (see run_config.h) with core::JsonConfigReader; no torch.

#include "harness/runs/run_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/json_config.h"
#include "core/strict_json.h"
#include "tasks/task_catalogue.h"

namespace statetrack::harness {
namespace {

using core::JsonConfigReader;

const nlohmann::json kEmptyObject = nlohmann::json::object();

const nlohmann::json& section(const nlohmann::json& json, const char* key) {
    const auto it = json.find(key);
    return it == json.end() ? kEmptyObject : *it;
}

int64_t positive(const core::JsonConfigReader& in, const std::string& key, int64_t fallback) {
    const int64_t v = in.integer(key, fallback);
    if (v < 1) {
        in.fail(key, fmt::format("must be >= 1, got {}", v));
    }
    return v;
}

int64_t non_negative(const core::JsonConfigReader& in, const std::string& key, int64_t fallback) {
    const int64_t v = in.integer(key, fallback);
    if (v < 0) {
        in.fail(key, fmt::format("must be >= 0, got {}", v));
    }
    return v;
}

double number_in(const core::JsonConfigReader& in, const std::string& key, double fallback,
                 double lo, double hi, bool hi_open = false) {
    const double v = in.number(key, fallback);
    if (!(v >= lo && (hi_open ? v < hi : v <= hi))) {
        in.fail(key, fmt::format("must be in [{}, {}{}, got {}", lo, hi, hi_open ? ")" : "]", v));
    }
    return v;
}

// Sizes a run can hold, checked when the config is read, before any data exists (docs/run-
// config.md, "Limits"): a config asking for more fails in seconds with the estimate instead of
// a bare std::bad_alloc after minutes.
constexpr int64_t kMaxLength = 1'000'000;
constexpr int64_t kMaxStepModeLength = 10'000'000;
constexpr double kMaxTokens = 2e8;      // one data set or batch; int64 tokens: 1.5 GiB
constexpr double kMaxParameters = 1e9;  // 4 GiB of fp32 weights, 3x that with AdamW state
constexpr int64_t kMaxLayers = 1024;

void check_tokens(const std::string& what, double tokens, const std::string& fix) {
    if (tokens > kMaxTokens) {
        throw std::invalid_argument(fmt::format(
            "run config: {} holds ~{:.2e} tokens (~{:.1f} GiB), above the limit {:.0e}; {}", what,
            tokens, tokens * 8.0 / (1 << 30), kMaxTokens, fix));
    }
}

// [lo, hi] with 1 <= lo <= hi.
tasks::LengthRange length_pair(const core::JsonConfigReader& in, const std::string& key,
                               const nlohmann::json& v) {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer()) {
        in.fail(key, fmt::format("must be a range [lo, hi] of two integers, got {}", v.dump()));
    }
    const tasks::LengthRange r{v[0].get<int64_t>(), v[1].get<int64_t>()};
    if (r.min < 1 || r.min > r.max) {
        in.fail(key, fmt::format("range {} needs 1 <= lo <= hi", v.dump()));
    }
    if (r.max > kMaxLength) {
        in.fail(key, fmt::format("range {} exceeds the longest supported length {}", v.dump(),
                                 kMaxLength));
    }
    return r;
}

std::vector<tasks::LengthRange> test_ranges(const core::JsonConfigReader& in,
                                            const tasks::LengthRange& train) {
    if (!in.has("test_lengths")) {
        return {{train.min, 2 * train.max}};
    }
    const nlohmann::json& v = in.required("test_lengths");
    if (v.is_array() && v.size() == 2 && v[0].is_number_integer() && v[1].is_number_integer()) {
        return {length_pair(in, "test_lengths", v)};
    }
    if (!v.is_array() || v.empty()) {
        in.fail("test_lengths",
                fmt::format("must be [lo, hi] or a list of lengths and [lo, hi] ranges, got {}",
                            v.dump()));
    }
    std::vector<tasks::LengthRange> out;
    for (const nlohmann::json& item : v) {
        if (item.is_number_integer()) {
            out.push_back(length_pair(in, "test_lengths", nlohmann::json::array({item, item})));
        } else {
            out.push_back(length_pair(in, "test_lengths", item));
        }
    }
    return out;
}

TaskRunConfig parse_task(const nlohmann::json& json) {
    const core::JsonConfigReader in(
        json, "run config: task",
        {"spec", "formulation", "train_lengths", "test_lengths", "test_length_stride", "dataset",
         "train_examples", "test_examples_per_length", "validation_examples"});
    TaskRunConfig t;
    t.spec = in.string("spec", "");
    if (t.spec.empty()) {
        in.fail("spec", "is required (a task spec such as \"parity\" or \"group:S5\")");
    }
    if (in.has("formulation")) {
        try {
            t.formulation = tasks::parse_formulation(in.string("formulation", ""));
        } catch (const std::invalid_argument& e) {
            in.fail("formulation", e.what());
        }
    }
    if (in.has("train_lengths")) {
        t.train_lengths = length_pair(in, "train_lengths", in.required("train_lengths"));
    }
    t.test_lengths = test_ranges(in, t.train_lengths);
    t.test_length_stride = positive(in, "test_length_stride", t.test_length_stride);
    t.dataset = in.choice("dataset", "fresh", {"fresh", "fixed"}) == "fixed" ? DatasetMode::kFixed
                                                                             : DatasetMode::kFresh;
    t.train_examples = positive(in, "train_examples", t.train_examples);
    t.test_examples_per_length =
        positive(in, "test_examples_per_length", t.test_examples_per_length);
    t.validation_examples = positive(in, "validation_examples", t.validation_examples);
    return t;
}

OptimizerRunConfig parse_optimizer(const nlohmann::json& json) {
    const core::JsonConfigReader in(
        json, "run config: optimizer",
        {"recipe", "lr", "weight_decay", "beta1", "beta2", "eps", "grad_clip"});
    OptimizerRunConfig o;
    o.recipe = in.choice("recipe", o.recipe, {"default", "rwkv"});
    const bool rwkv = o.recipe == "rwkv";
    o.lr = in.number("lr", o.lr);
    if (!(o.lr > 0.0)) {
        in.fail("lr", fmt::format("must be > 0, got {}", o.lr));
    }
    o.weight_decay = number_in(in, "weight_decay", rwkv ? 1e-3 : 0.0, 0.0, 1e9);
    o.beta1 = number_in(in, "beta1", 0.9, 0.0, 1.0, true);
    o.beta2 = number_in(in, "beta2", rwkv ? 0.99 : 0.999, 0.0, 1.0, true);
    o.eps = number_in(in, "eps", rwkv ? 1e-18 : 1e-8, 0.0, 1.0);
    if (o.eps <= 0.0) {  // with v = 0 (a parameter without gradient yet) the update is 0 / 0
        in.fail("eps", "must be > 0, got 0");
    }
    o.grad_clip = number_in(in, "grad_clip", o.grad_clip, 0.0, 1e30);
    return o;
}

ScheduleRunConfig parse_schedule(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, "run config: schedule",
                                    {"type", "warmup_steps", "min_lr_ratio"});
    ScheduleRunConfig s;
    s.type = in.choice("type", s.type, {"cosine", "constant"});
    s.warmup_steps = non_negative(in, "warmup_steps", s.warmup_steps);
    s.min_lr_ratio = number_in(in, "min_lr_ratio", s.min_lr_ratio, 0.0, 1.0);
    return s;
}

BudgetRunConfig parse_budget(const nlohmann::json& json) {
    const core::JsonConfigReader in(
        json, "run config: budget",
        {"max_steps", "batch_size", "eval_every", "target_accuracy", "target_metric", "max_seconds",
         "checkpoint_every", "max_non_finite_steps"});
    BudgetRunConfig b;
    b.max_steps = positive(in, "max_steps", b.max_steps);
    b.batch_size = positive(in, "batch_size", b.batch_size);
    b.eval_every = positive(in, "eval_every", b.eval_every);
    b.target_accuracy = number_in(in, "target_accuracy", b.target_accuracy, 0.0, 1.0);
    b.target_metric = in.choice("target_metric", "token_accuracy",
                                {"token_accuracy", "sequence_accuracy"}) == "sequence_accuracy"
                          ? TargetMetric::kSequence
                          : TargetMetric::kToken;
    b.max_seconds = number_in(in, "max_seconds", b.max_seconds, 0.0, 1e12);
    b.checkpoint_every = non_negative(in, "checkpoint_every", b.checkpoint_every);
    b.max_non_finite_steps = positive(in, "max_non_finite_steps", b.max_non_finite_steps);
    return b;
}

EvalRunConfig parse_eval(const nlohmann::json& json) {
    const core::JsonConfigReader in(
        json, "run config: eval",
        {"batch_size", "step_mode_length", "step_mode_examples", "step_mode_window"});
    EvalRunConfig e;
    e.batch_size = positive(in, "batch_size", e.batch_size);
    e.step_mode_length = non_negative(in, "step_mode_length", e.step_mode_length);
    e.step_mode_examples = positive(in, "step_mode_examples", e.step_mode_examples);
    e.step_mode_window = positive(in, "step_mode_window", e.step_mode_window);
    return e;
}

// Checks the task builds and has a valid length in every range; returns max(tokens, classes).
int64_t check_task(const TaskRunConfig& t) {
    std::unique_ptr<tasks::Task> task;
    try {
        task = tasks::make_task(t.spec, t.formulation);
    } catch (const std::exception& e) {
        throw std::invalid_argument(fmt::format("run config: task: {}", e.what()));
    }
    auto any_valid = [&](int64_t lo, int64_t hi) {
        for (int64_t n = lo; n <= hi; ++n) {
            if (task->valid_length(n)) {
                return true;
            }
        }
        return false;
    };
    if (!any_valid(t.train_lengths.min, t.train_lengths.max)) {
        throw std::invalid_argument(fmt::format(
            "run config: task: 'train_lengths' [{}, {}] holds no length task '{}' accepts ({})",
            t.train_lengths.min, t.train_lengths.max, task->name(), task->length_rule()));
    }
    const std::vector<int64_t> lengths = expand_test_lengths(t);
    if (std::none_of(lengths.begin(), lengths.end(),
                     [&](int64_t n) { return task->valid_length(n); })) {
        throw std::invalid_argument(
            fmt::format("run config: task: 'test_lengths' holds no length task '{}' accepts ({})",
                        task->name(), task->length_rule()));
    }
    return static_cast<int64_t>(std::max(task->input_vocab().size(), task->output_vocab().size()));
}

// Every model type has n_layers, d_model and vocab_size; their product bounds the parameters
// (~12·d² per layer plus the embedding and head) before the model allocates them.
void check_model_size(const nlohmann::json& m, int64_t task_vocab) {
    const auto get = [&](const char* key, int64_t fallback) {
        const auto it = m.find(key);
        return it != m.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
    };
    const int64_t layers = get("n_layers", 1);
    if (layers > kMaxLayers) {
        throw std::invalid_argument(fmt::format(
            "run config: model: 'n_layers' = {} exceeds the limit {}", layers, kMaxLayers));
    }
    const double d = static_cast<double>(get("d_model", 0));
    const double vocab = static_cast<double>(get("vocab_size", task_vocab));
    const double estimate = static_cast<double>(layers) * 12.0 * d * d + 2.0 * vocab * d;
    if (estimate > kMaxParameters) {
        throw std::invalid_argument(fmt::format(
            "run config: model: n_layers {}, d_model {:.0f} and vocab_size {:.0f} make ~{:.1e} "
            "parameters (~{:.0f} GiB with AdamW state), above the limit {:.0e}",
            layers, d, vocab, estimate, estimate * 16.0 / (1 << 30), kMaxParameters));
    }
}

nlohmann::json parse_model(const nlohmann::json& json, int64_t task_vocab, std::string& name) {
    if (!json.is_object()) {
        throw std::invalid_argument(fmt::format(
            "run config: 'model' must be an object with a \"type\" key, got {}", json.dump()));
    }
    nlohmann::json m = json;
    name.clear();
    if (const auto it = m.find("name"); it != m.end()) {
        if (!it->is_string() || it->get<std::string>().empty()) {
            throw std::invalid_argument(fmt::format(
                "run config: model: 'name' must be a non-empty string, got {}", it->dump()));
        }
        name = it->get<std::string>();
        m.erase("name");
    }
    if (!m.contains("type") || !m["type"].is_string()) {
        throw std::invalid_argument("run config: model: 'type' is required (e.g. \"rwkv7\")");
    }
    if (name.empty()) {
        name = m["type"].get<std::string>();
    }
    check_model_size(m, task_vocab);
    if (!m.contains("vocab_size")) {
        m["vocab_size"] = task_vocab;
    } else if (!m["vocab_size"].is_number_integer() ||
               m["vocab_size"].get<int64_t>() < task_vocab) {
        throw std::invalid_argument(fmt::format(
            "run config: model: 'vocab_size' {} must be an integer >= {} (the task's tokens and "
            "classes); leave it out to use exactly that",
            m["vocab_size"].dump(), task_vocab));
    }
    return m;
}

// Keeps [A-Za-z0-9._-]; everything else becomes '_'.
std::string sanitize(const std::string& s) {
    std::string out = s;
    for (char& c : out) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        c = ok ? c : '_';
    }
    return out;
}

std::string derived_name(const RunConfig& c) {
    std::string name = fmt::format("{}-{}", c.task.spec, c.model_name);
    for (const auto& [key, tag] : {std::pair{"n_layers", "L"}, std::pair{"d_model", "d"}}) {
        if (c.model.contains(key) && c.model[key].is_number_integer()) {
            name += fmt::format("-{}{}", tag, c.model[key].get<int64_t>());
        }
    }
    return sanitize(name + fmt::format("-lr{}-s{}", c.optimizer.lr, c.seed));
}

}  // namespace

std::string to_string(DatasetMode mode) { return mode == DatasetMode::kFixed ? "fixed" : "fresh"; }

std::vector<int64_t> expand_test_lengths(const TaskRunConfig& task) {
    std::set<int64_t> lengths;
    for (const tasks::LengthRange& r : task.test_lengths) {
        for (int64_t n = r.min; n <= r.max; n += task.test_length_stride) {
            lengths.insert(n);
        }
        lengths.insert(r.max);
    }
    return {lengths.begin(), lengths.end()};
}

namespace {

// The data a run generates and the batches it feeds, against kMaxTokens.
void check_data_sizes(const RunConfig& c) {
    const TaskRunConfig& t = c.task;
    const std::vector<int64_t> lengths = expand_test_lengths(t);
    double test_tokens = 0.0;
    for (const int64_t n : lengths) {
        test_tokens += static_cast<double>(n) * static_cast<double>(t.test_examples_per_length);
    }
    check_tokens("task: the test set", test_tokens,
                 "raise 'test_length_stride' or lower 'test_examples_per_length'");
    const auto train_max = static_cast<double>(t.train_lengths.max);
    check_tokens("task: the validation set", t.validation_examples * train_max,
                 "lower 'validation_examples'");
    if (t.dataset == DatasetMode::kFixed) {
        check_tokens("task: the fixed training set", t.train_examples * train_max,
                     "lower 'train_examples'");
    }
    check_tokens("budget: one training batch", c.budget.batch_size * train_max,
                 "lower 'batch_size'");
    check_tokens("eval: one evaluation batch",
                 c.eval.batch_size * static_cast<double>(lengths.empty() ? 0 : lengths.back()),
                 "lower eval 'batch_size'");
    if (c.eval.step_mode_length > kMaxStepModeLength) {
        throw std::invalid_argument(
            fmt::format("run config: eval: 'step_mode_length' = {} exceeds the limit {}",
                        c.eval.step_mode_length, kMaxStepModeLength));
    }
    check_tokens("eval: the step-mode inputs",
                 static_cast<double>(c.eval.step_mode_length) * c.eval.step_mode_examples,
                 "lower 'step_mode_examples' or 'step_mode_length'");
}

}  // namespace

void check_device_spec(const std::string& spec) {
    if (spec == "cpu" || spec == "auto" || spec == "cuda") {
        return;
    }
    const bool indexed =
        spec.size() > 5 && spec.size() <= 9 && spec.rfind("cuda:", 0) == 0 &&
        std::all_of(spec.begin() + 5, spec.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
        std::stoi(spec.substr(5)) < 1024;
    if (!indexed) {
        throw std::invalid_argument(
            fmt::format("\"{}\" is not a device (cpu, cuda, cuda:N or auto)",
                        core::quote_for_message(spec, 40)));
    }
}

RunConfig parse_run_config(const nlohmann::json& json) {
    const core::JsonConfigReader in(json, "run config",
                                    {"name", "seed", "threads", "device", "precision", "task",
                                     "model", "optimizer", "schedule", "budget", "eval"});
    RunConfig c;
    c.raw = json;
    c.name = in.string("name", "");
    const int64_t seed = non_negative(in, "seed", 1);
    c.seed = static_cast<uint64_t>(seed);
    c.threads = non_negative(in, "threads", 0);
    c.device = in.string("device", "cpu");
    try {
        check_device_spec(c.device);
    } catch (const std::invalid_argument& e) {
        in.fail("device", e.what());
    }
    c.precision = in.choice("precision", "fp32", {"fp32", "bf16"});
    c.task = parse_task(in.required("task"));
    const int64_t vocab = check_task(c.task);
    c.model = parse_model(in.required("model"), vocab, c.model_name);
    c.optimizer = parse_optimizer(section(json, "optimizer"));
    c.schedule = parse_schedule(section(json, "schedule"));
    c.budget = parse_budget(section(json, "budget"));
    c.eval = parse_eval(section(json, "eval"));
    check_data_sizes(c);
    if (c.name.empty()) {
        c.name = derived_name(c);
    } else if (sanitize(c.name) != c.name) {
        in.fail("name", fmt::format("\"{}\" may hold only letters, digits, '.', '_' and '-' (it "
                                    "names the run directory)",
                                    c.name));
    }
    return c;
}

RunConfig load_run_config(const std::string& path) {
    const nlohmann::json json = core::read_json_file(path);
    try {
        return parse_run_config(json);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{} ({})", e.what(), path));
    }
}

}  // namespace statetrack::harness
