// ResultsStore: every run record under a directory. load_results_store(dir) reads each file named
// exactly "result.json" below dir (recursively: a sweep keeps runs/<run_id>/result.json), so
// temp files ("result.json.tmp") and reports are never read. Contract:
//  - runs are sorted by (task, model, n_layers, d_model, lr, seed, run_id): the same files give
//    the same report on every machine, whatever the directory order;
//  - a run_id seen twice is tolerated only when both files hold identical JSON (merged shards may
//    copy one run twice; the copy is dropped); different contents are an error naming both files;
//  - two complete runs with the same labels (a seed counted twice) are an error;
//  - complete runs sharing a task label must agree on task spec, formulation, class and train
//    lengths, and runs sharing a model label on the model type: reports group by label, so a
//    silent mismatch would mix different experiments;
//  - no result.json at all, or any invalid one, is an error (std::invalid_argument).
#pragma once

#include <string>
#include <vector>

#include "results/result_record.h"

namespace statetrack::results {

struct ResultsStore {
    std::vector<RunResult> complete;  // sorted as above
    std::vector<RunResult> failed;    // sorted as above
    size_t duplicate_copies = 0;      // identical duplicates dropped
};

ResultsStore load_results_store(const std::string& dir);
// The same checks and order for records already in memory (tests, merged stores).
ResultsStore make_results_store(std::vector<RunResult> runs);

}  // namespace statetrack::results
