// make_batch (see batch.h).

#include "harness/training/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace statetrack::harness {

Batch make_batch(const std::vector<const tasks::Example*>& examples) {
    if (examples.empty()) {
        throw std::invalid_argument("make_batch: no examples");
    }
    size_t t_max = 0;
    for (const tasks::Example* e : examples) {
        if (e->tokens.size() != e->targets.size() || e->tokens.size() != e->loss_mask.size() ||
            e->tokens.empty()) {
            throw std::invalid_argument(
                fmt::format("make_batch: example with {} tokens, {} targets, {} mask entries",
                            e->tokens.size(), e->targets.size(), e->loss_mask.size()));
        }
        t_max = std::max(t_max, e->tokens.size());
    }
    const auto b = static_cast<int64_t>(examples.size());
    const auto t = static_cast<int64_t>(t_max);
    Batch batch;
    batch.tokens = torch::full({b, t}, kPadToken, torch::kLong);
    batch.targets = torch::full({b, t}, int64_t{tasks::kNoTarget}, torch::kLong);
    batch.length = t;
    int64_t* tok = batch.tokens.data_ptr<int64_t>();
    int64_t* tgt = batch.targets.data_ptr<int64_t>();
    for (int64_t i = 0; i < b; ++i) {
        const tasks::Example& e = *examples[static_cast<size_t>(i)];
        for (size_t j = 0; j < e.tokens.size(); ++j) {
            tok[i * t + static_cast<int64_t>(j)] = e.tokens[j];
            if (e.loss_mask[j] != 0) {
                if (e.targets[j] < 0) {
                    throw std::invalid_argument(fmt::format(
                        "make_batch: scored position {} has target {}", j, e.targets[j]));
                }
                tgt[i * t + static_cast<int64_t>(j)] = e.targets[j];
                ++batch.scored;
            }
        }
    }
    return batch;
}

Batch make_batch(const std::vector<tasks::Example>& examples) {
    std::vector<const tasks::Example*> pointers;
    pointers.reserve(examples.size());
    for (const tasks::Example& e : examples) {
        pointers.push_back(&e);
    }
    return make_batch(pointers);
}

}  // namespace statetrack::harness
