// statetrack tasks list|show|export: the task catalogue, sample examples, frozen datasets.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"
#include "tasks/dataset.h"
#include "tasks/dataset_jsonl.h"
#include "tasks/task_catalogue.h"

namespace statetrack::harness {
namespace {

struct TasksOptions {
    std::string task;
    std::string formulation;
    int64_t length = 12;
    int64_t count = 3;
    uint64_t seed = 1;
    std::string lengths = "1-40";
    std::string split = "train";
    std::string out;
    bool json = false;

    std::optional<tasks::Formulation> chosen_formulation() const {
        if (formulation.empty()) {
            return std::nullopt;
        }
        return tasks::parse_formulation(formulation);
    }
};

void add_task_options(CLI::App& cmd, TasksOptions& o) {
    cmd.add_option("--task", o.task, "Task spec, e.g. parity, group:S5, regex:(ab)*")->required();
    cmd.add_option("--formulation", o.formulation,
                   "state_tagging | membership_tagging | final_label | final_state | recognition "
                   "| recall (default: the task's own)");
    cmd.add_option("--seed", o.seed, "Random seed")->default_val(o.seed);
}

void add_list(CLI::App& parent, std::shared_ptr<TasksOptions> o) {
    auto* cmd = parent.add_subcommand("list", "List the task catalogue");
    cmd->add_flag("--json", o->json, "Print JSON on stdout");
    cmd->callback([o] {
        nlohmann::json all = nlohmann::json::array();
        for (const auto& e : tasks::task_catalogue()) {
            std::vector<std::string> forms;
            for (auto f : e.formulations) {
                forms.push_back(tasks::to_string(f));
            }
            if (o->json) {
                all.push_back({{"name", e.name},
                               {"usage", e.usage},
                               {"source", e.source},
                               {"description", e.description},
                               {"formulations", forms}});
            } else {
                fmt::print("{}\n    source: {}\n    formulations: {}\n", e.usage, e.source,
                           fmt::join(forms, ", "));
            }
        }
        if (o->json) {
            std::cout << all.dump(2) << "\n";
        }
    });
}

std::string names_of(const std::vector<int32_t>& ids, const tasks::Vocabulary& vocab,
                     const std::vector<uint8_t>* mask) {
    std::vector<std::string> out;
    for (size_t i = 0; i < ids.size(); ++i) {
        const bool hidden = mask != nullptr && (*mask)[i] == 0;
        out.push_back(hidden ? "." : vocab.names.at(static_cast<size_t>(ids[i])));
    }
    return fmt::format("{}", fmt::join(out, " "));
}

void add_show(CLI::App& parent, std::shared_ptr<TasksOptions> o) {
    auto* cmd = parent.add_subcommand("show", "Describe a task and print sampled examples");
    add_task_options(*cmd, *o);
    // Printed examples: a million tokens is already more than anyone reads.
    cmd->add_option("--length", o->length, "Example length (at most 1000000)")
        ->default_val(o->length)
        ->check(whole_number(0, 1'000'000));
    cmd->add_option("--count", o->count, "Number of examples (at most 10000)")
        ->default_val(o->count)
        ->check(whole_number(0, 10'000));
    cmd->add_flag("--json", o->json, "Print the examples as JSON on stdout");
    cmd->callback([o] {
        const auto task = tasks::make_task(o->task, o->chosen_formulation());
        automata::Rng rng(o->seed);
        std::vector<tasks::Example> examples;
        for (int64_t i = 0; i < o->count; ++i) {
            examples.push_back(task->sample(o->length, rng));
        }
        if (o->json) {
            nlohmann::json j = {{"task", task->name()},
                                {"formulation", tasks::to_string(task->formulation())},
                                {"input_vocab", task->input_vocab().names},
                                {"output_vocab", task->output_vocab().names},
                                {"examples", nlohmann::json::array()}};
            for (const auto& e : examples) {
                j["examples"].push_back(
                    {{"tokens", e.tokens}, {"targets", e.targets}, {"loss_mask", e.loss_mask}});
            }
            std::cout << j.dump(2) << "\n";
            return;
        }
        fmt::print("task         {}\nformulation  {}\nlengths      {}\nchance       {:.4f}\n",
                   task->name(), tasks::to_string(task->formulation()), task->length_rule(),
                   task->chance_level());
        fmt::print("inputs       {} tokens\noutputs      {} classes\n{}\n",
                   task->input_vocab().size(), task->output_vocab().size(), task->description());
        for (size_t i = 0; i < examples.size(); ++i) {
            const auto& e = examples[i];
            fmt::print("\nexample {}\n  input   {}\n  target  {}\n", i + 1,
                       names_of(e.tokens, task->input_vocab(), nullptr),
                       names_of(e.targets, task->output_vocab(), &e.loss_mask));
        }
    });
}

void add_export(CLI::App& parent, std::shared_ptr<TasksOptions> o) {
    auto* cmd = parent.add_subcommand(
        "export", "Write a frozen dataset (JSONL with checksums; see tasks/dataset_jsonl.h)");
    add_task_options(*cmd, *o);
    cmd->add_option("--lengths", o->lengths, "Length range, e.g. 1-40 or 41-500")
        ->default_val(o->lengths);
    cmd->add_option("--count", o->count, "Examples per length")
        ->default_val(o->count)
        ->check(whole_number(1));
    cmd->add_option("--split", o->split, "Split name; each split is its own random stream")
        ->default_val(o->split);
    cmd->add_option("--out", o->out, "Output .jsonl path (written atomically)")->required();
    cmd->callback([o] {
        const auto task = tasks::make_task(o->task, o->chosen_formulation());
        tasks::DatasetSpec spec;
        spec.seed = o->seed;
        spec.split = o->split;
        spec.lengths = tasks::parse_length_range(o->lengths);
        spec.count_per_length = o->count;
        const tasks::Dataset dataset = tasks::generate_dataset(*task, spec);
        tasks::write_dataset_jsonl(dataset, o->out);
        fmt::print(stderr, "wrote {} examples of {} ({}) to {}\n", dataset.examples.size(),
                   task->name(), tasks::to_string(task->formulation()), o->out);
    });
}

}  // namespace

void add_tasks_commands(CLI::App& app) {
    auto* tasks_cmd = app.add_subcommand("tasks", "List tasks, show examples, export datasets");
    tasks_cmd->require_subcommand(1);
    auto options = std::make_shared<TasksOptions>();
    add_list(*tasks_cmd, options);
    add_show(*tasks_cmd, options);
    add_export(*tasks_cmd, options);
}

}  // namespace statetrack::harness
