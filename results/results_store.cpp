// Loading and checking a directory of result.json files (see results_store.h).
#include "results/results_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "core/file_tree.h"
#include "core/strict_json.h"

namespace statetrack::results {
namespace {

std::vector<std::string> find_result_files(const std::string& dir) {
    std::vector<std::string> files = core::find_files_named(dir, "result.json");
    if (files.empty()) {
        throw std::invalid_argument(fmt::format(
            "no result.json files under '{}' (a run writes <run_id>/result.json)", dir));
    }
    return files;
}

auto sort_key(const RunResult& r) {
    const RunLabels& l = r.labels;
    return std::tie(l.task, l.model, l.n_layers, l.d_model, l.lr, l.seed, r.run_id);
}

std::string where(const RunResult& r) {
    return r.source.empty() ? fmt::format("run '{}'", r.run_id) : r.source;
}

// Runs sharing a task label must describe the same task; sharing a model label, the same type.
void check_label_consistency(const std::vector<RunResult>& complete) {
    std::map<std::string, const RunResult*> by_task;
    std::map<std::string, const RunResult*> by_model;
    for (const RunResult& r : complete) {
        const auto [t, new_task] = by_task.emplace(r.labels.task, &r);
        const TaskFacts& a = t->second->task;
        const TaskFacts& b = r.task;
        if (!new_task &&
            std::tie(a.spec, a.formulation, a.algebraic_class, a.train_lengths.min,
                     a.train_lengths.max) != std::tie(b.spec, b.formulation, b.algebraic_class,
                                                      b.train_lengths.min, b.train_lengths.max)) {
            throw std::invalid_argument(fmt::format(
                "{} and {} both have task label '{}' but differ in task spec, formulation, class "
                "or train lengths ('{}' {} [{}, {}] vs '{}' {} [{}, {}]); give them distinct "
                "labels",
                where(*t->second), where(r), r.labels.task, a.spec, a.formulation,
                a.train_lengths.min, a.train_lengths.max, b.spec, b.formulation,
                b.train_lengths.min, b.train_lengths.max));
        }
        const auto [m, new_model] = by_model.emplace(r.labels.model, &r);
        if (!new_model && m->second->model.type != r.model.type) {
            throw std::invalid_argument(fmt::format(
                "{} and {} both have model label '{}' but model types '{}' and '{}'",
                where(*m->second), where(r), r.labels.model, m->second->model.type, r.model.type));
        }
    }
}

void check_unique_labels(const std::vector<RunResult>& complete) {
    for (size_t i = 1; i < complete.size(); ++i) {
        const RunLabels& a = complete[i - 1].labels;
        const RunLabels& b = complete[i].labels;
        if (std::tie(a.task, a.model, a.n_layers, a.d_model, a.lr, a.seed) ==
            std::tie(b.task, b.model, b.n_layers, b.d_model, b.lr, b.seed)) {
            throw std::invalid_argument(fmt::format(
                "{} and {} are the same grid point (task {}, model {}, L={}, d={}, lr={}, "
                "seed {}): a seed would be counted twice",
                where(complete[i - 1]), where(complete[i]), a.task, a.model, a.n_layers, a.d_model,
                a.lr, a.seed));
        }
    }
}

}  // namespace

ResultsStore make_results_store(std::vector<RunResult> runs) {
    std::map<std::string, const RunResult*> ids;
    for (const RunResult& r : runs) {
        const auto [it, inserted] = ids.emplace(r.run_id, &r);
        if (!inserted) {
            throw std::invalid_argument(fmt::format("{} and {} both hold run_id '{}'",
                                                    where(*it->second), where(r), r.run_id));
        }
    }
    ResultsStore store;
    for (RunResult& r : runs) {
        (r.status == RunStatus::kComplete ? store.complete : store.failed).push_back(std::move(r));
    }
    const auto by_key = [](const RunResult& a, const RunResult& b) {
        return sort_key(a) < sort_key(b);
    };
    std::sort(store.complete.begin(), store.complete.end(), by_key);
    std::sort(store.failed.begin(), store.failed.end(), by_key);
    check_unique_labels(store.complete);
    check_label_consistency(store.complete);
    return store;
}

ResultsStore load_results_store(const std::string& dir) {
    std::map<std::string, std::pair<std::string, nlohmann::json>> by_id;  // id -> (file, json)
    std::vector<RunResult> runs;
    size_t copies = 0;
    for (const std::string& file : find_result_files(dir)) {
        nlohmann::json json = core::read_json_file(file);
        RunResult run = parse_run_result(json, file);
        const auto [it, inserted] = by_id.emplace(run.run_id, std::make_pair(file, json));
        if (!inserted) {
            if (it->second.second != json) {
                throw std::invalid_argument(fmt::format(
                    "{} and {} both hold run_id '{}' with different contents; remove one",
                    it->second.first, file, run.run_id));
            }
            ++copies;
            continue;
        }
        runs.push_back(std::move(run));
    }
    ResultsStore store = make_results_store(std::move(runs));
    store.duplicate_copies = copies;
    return store;
}

}  // namespace statetrack::results
