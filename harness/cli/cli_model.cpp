// statetrack model info|forward|export|import: inspect, run and convert models.
//   info    --config F.json [--budget P] [--length T] [--json]   any model type: parameters,
//           state size (RWKV-7: LoRA widths too); --budget fits d_model to P parameters first
//   forward --weights F.safetensors --tokens 1,2,3 [--device D] [--step] [--threads N]
//           [--repeat N] [--json]   logits per position, parallel or step form; --repeat times
//           N more passes and reports their median tokens/s
//   export  --config F.json --seed S --out F.safetensors      a reference-initialised model
//   import  --weights F.safetensors [--json]   validate a file, print the inferred architecture
// Only the SequenceModel interface and the factory are used (model/sequence_model.h,
// model/model_factory.h): descriptions are SequenceModel::describe, weights files the
// factory's (RWKV-7 files carry RWKV-LM's names and shapes, docs/cli.md).
// Results go to stdout (JSON with --json); errors are exceptions that cli_main prints as one line.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/strict_json.h"
#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"
#include "harness/training/run_device.h"
#include "model/model_factory.h"
#include "model/sequence_model.h"

namespace statetrack::harness {
namespace {

void print_description(const model::ModelDescription& d, bool json) {
    if (json) {
        std::printf("%s\n", d.json.dump(2).c_str());
        return;
    }
    std::printf("%s", d.text.c_str());
}

// "1,2,3" -> {1, 2, 3}; every item must be a whole non-negative integer.
std::vector<int64_t> parse_tokens(const std::string& text) {
    std::vector<int64_t> tokens;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        size_t used = 0;
        int64_t value = -1;
        try {
            value = std::stoll(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || value < 0) {
            throw std::invalid_argument(fmt::format(
                "--tokens: '{}' is not a non-negative integer (expected e.g. 1,2,3)", item));
        }
        tokens.push_back(value);
        start = comma + 1;
    }
    return tokens;
}

struct ForwardOptions {
    std::string weights;
    std::string tokens;
    std::string device = "cpu";
    int64_t threads = 0;  // 0: LibTorch's default
    int64_t repeat = 0;   // timed passes after the first
    bool step = false;
    bool json = false;
};

// Logits (T,V) of one pass over `input` (1,T): the parallel form, or the recurrent form one
// token at a time from a fresh state (the model's step mode).
torch::Tensor forward_pass(model::SequenceModel& m, const torch::Tensor& input, bool step) {
    if (!step) {
        return m.logits(input)[0];
    }
    const std::unique_ptr<model::StepState> state = m.start_state(1);
    std::vector<torch::Tensor> rows;
    rows.reserve(static_cast<size_t>(input.size(1)));
    for (int64_t t = 0; t < input.size(1); ++t) {
        rows.push_back(m.step_logits(input.select(1, t), *state)[0]);
    }
    return torch::stack(rows);
}

// The median of `repeat` timed passes, in tokens per second.
double median_tokens_per_second(model::SequenceModel& m, const torch::Tensor& input, bool step,
                                int64_t repeat) {
    std::vector<double> rates;
    for (int64_t i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        forward_pass(m, input, step).to(torch::kCPU);  // on a GPU, waits for the work
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        rates.push_back(static_cast<double>(input.size(1)) / took.count());
    }
    std::sort(rates.begin(), rates.end());
    const size_t n = rates.size();
    return n % 2 == 1 ? rates[n / 2] : 0.5 * (rates[n / 2 - 1] + rates[n / 2]);
}

void print_forward(const std::vector<int64_t>& tokens, const torch::Tensor& logits,
                   const nlohmann::json& timing, bool json) {
    nlohmann::json rows = nlohmann::json::array();
    for (int64_t t = 0; t < logits.size(0); ++t) {
        const double* row = logits[t].data_ptr<double>();
        rows.push_back(std::vector<double>(row, row + logits.size(1)));
    }
    const torch::Tensor argmax = logits.argmax(-1);
    if (json) {
        nlohmann::json out = {
            {"tokens", tokens},
            {"logits", rows},
            {"argmax", std::vector<int64_t>(argmax.data_ptr<int64_t>(),
                                            argmax.data_ptr<int64_t>() + argmax.numel())}};
        out.update(timing);
        std::printf("%s\n", out.dump().c_str());
        return;
    }
    for (size_t t = 0; t < tokens.size(); ++t) {
        std::string values;
        for (const double x : rows[t]) {
            values += fmt::format(" {:.6g}", x);
        }
        std::printf("%s\n", fmt::format("t={} token={} argmax={} logits:{}", t, tokens[t],
                                        argmax[static_cast<int64_t>(t)].item<int64_t>(), values)
                                .c_str());
    }
    if (timing.contains("tokens_per_second")) {
        std::fprintf(stderr, "%s\n",
                     fmt::format("{} mode: {:.0f} tokens/s (median of {} passes, {} threads)",
                                 timing["mode"].get<std::string>(),
                                 timing["tokens_per_second"].get<double>(),
                                 timing["repeat"].get<int64_t>(), timing["threads"].get<int64_t>())
                         .c_str());
    }
}

void run_forward(const ForwardOptions& o) {
    const std::vector<int64_t> tokens = parse_tokens(o.tokens);
    if (o.threads > 0) {
        set_intra_op_threads(o.threads);
    }
    const RunDevice device = resolve_run_device(o.device);
    const model::SequenceModelPtr m = model::load_model_safetensors(o.weights);
    if (o.step && !m->has_step_mode()) {
        throw std::invalid_argument(
            fmt::format("--step: model type '{}' has no step mode", m->type()));
    }
    m->to(device.device);
    m->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor input = torch::tensor(tokens, torch::kLong).unsqueeze(0).to(device.device);
    // The first pass gives the logits and is the warm-up of the timed ones.
    const torch::Tensor logits =
        forward_pass(*m, input, o.step).to(torch::kCPU, torch::kFloat64).contiguous();
    nlohmann::json timing = {{"mode", o.step ? "step" : "parallel"},
                             {"threads", at::get_num_threads()}};
    if (o.repeat > 0) {
        timing["repeat"] = o.repeat;
        timing["tokens_per_second"] = median_tokens_per_second(*m, input, o.step, o.repeat);
    }
    print_forward(tokens, logits, timing, o.json);
}

void show_info(const std::string& path, int64_t budget, int64_t length, bool json) {
    nlohmann::json config = core::read_json_file(path);
    try {
        if (budget > 0) {
            config = model::fit_parameter_budget(config, budget);
            std::fprintf(stderr, "%s\n",
                         fmt::format("d_model {} is closest to the budget of {} parameters",
                                     config["d_model"].dump(), budget)
                             .c_str());
        }
        print_description(model::make_sequence_model(config, 0)->describe(length), json);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{}: {}", path, e.what()));
    }
}

void add_info(CLI::App& parent) {
    auto config = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto budget = std::make_shared<int64_t>(0);
    auto length = std::make_shared<int64_t>(1);
    CLI::App* cmd = parent.add_subcommand(
        "info", "Parameters and state size of any model config (RWKV-7: also LoRA widths)");
    cmd->add_option("--config", *config, "model config JSON ({\"type\": \"rwkv7\", ...})")
        ->required();
    cmd->add_option("--budget", *budget,
                    "fit d_model to this parameter count first (FLaRe-style matching)")
        ->check(whole_number(1));
    cmd->add_option("--length", *length, "tokens seen, for a state that grows (KV cache)")
        ->check(whole_number(1));
    cmd->add_flag("--json", *json, "print JSON on stdout");
    cmd->callback([=] { show_info(*config, *budget, *length, *json); });
}

void add_forward(CLI::App& parent) {
    auto o = std::make_shared<ForwardOptions>();
    CLI::App* cmd =
        parent.add_subcommand("forward", "Logits at every position of a token sequence");
    cmd->add_option("--weights", o->weights, "safetensors file (model export)")->required();
    cmd->add_option("--tokens", o->tokens, "comma-separated token ids, e.g. 1,2,3")->required();
    cmd->add_option("--device", o->device, "cpu, cuda, cuda:N or auto")
        ->default_val(o->device)
        ->check(device_spec());
    cmd->add_flag("--step", o->step,
                  "run the recurrent form one token at a time (models with a step mode)");
    cmd->add_option("--threads", o->threads, "intra-op threads (default: LibTorch's)")
        ->check(whole_number(1));
    cmd->add_option("--repeat", o->repeat,
                    "time N more passes after the first; report the median tokens/s")
        ->check(whole_number(1));
    cmd->add_flag("--json", o->json, "print JSON on stdout");
    cmd->callback([o] { run_forward(*o); });
}

// The model a config file describes, initialised for `seed`; errors name the file.
model::SequenceModelPtr model_from_file(const std::string& path, uint64_t seed) {
    const nlohmann::json config = core::read_json_file(path);
    try {
        return model::make_sequence_model(config, seed);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(fmt::format("{}: {}", path, e.what()));
    }
}

void add_export(CLI::App& parent) {
    auto config = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto seed = std::make_shared<uint64_t>(0);
    CLI::App* cmd =
        parent.add_subcommand("export", "Write a reference-initialised model as safetensors");
    cmd->add_option("--config", *config, "model config JSON")->required();
    cmd->add_option("--seed", *seed, "initialisation seed")->required();
    cmd->add_option("--out", *out, "output .safetensors path")->required();
    cmd->callback([config, out, seed] {
        const model::SequenceModelPtr m = model_from_file(*config, *seed);
        model::save_model_safetensors(*m, *out);
        std::fprintf(stderr, "%s\n",
                     fmt::format("wrote {} ({} parameters)", *out, m->parameter_count()).c_str());
    });
}

void add_import(CLI::App& parent) {
    auto weights = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd =
        parent.add_subcommand("import", "Validate a safetensors file and print its architecture");
    cmd->add_option("--weights", *weights, "RWKV-7 safetensors file")->required();
    cmd->add_flag("--json", *json, "print JSON on stdout");
    cmd->callback([weights, json] {
        print_description(model::load_model_safetensors(*weights)->describe(1), *json);
    });
}

}  // namespace

void add_model_commands(CLI::App& app) {
    CLI::App* cmd = app.add_subcommand("model", "Inspect any model; run and convert RWKV-7 models");
    cmd->require_subcommand(1);
    add_info(*cmd);
    add_forward(*cmd);
    add_export(*cmd);
    add_import(*cmd);
}

}  // namespace statetrack::harness
