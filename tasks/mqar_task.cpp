// MQAR examples. See mqar_task.h for the layout and the filler fix.
#include "tasks/mqar_task.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "tasks/power_law.h"

namespace statetrack::tasks {

namespace {

// `count` distinct integers from [0, n) in uniformly random order: Floyd's subset algorithm
// followed by a Fisher-Yates shuffle.
std::vector<int32_t> distinct_below(automata::Rng& rng, int64_t n, int64_t count) {
    std::vector<bool> taken(static_cast<size_t>(n), false);
    std::vector<int32_t> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t j = n - count; j < n; ++j) {
        auto t = static_cast<int64_t>(automata::uniform_below(rng, static_cast<uint64_t>(j) + 1));
        if (taken[static_cast<size_t>(t)]) {
            t = j;
        }
        taken[static_cast<size_t>(t)] = true;
        out.push_back(static_cast<int32_t>(t));
    }
    for (size_t i = out.size(); i > 1; --i) {
        std::swap(out[i - 1], out[automata::uniform_below(rng, i)]);
    }
    return out;
}

TaskInfo make_info(const MqarConfig& c) {
    const int64_t half = c.vocab / 2;
    const auto fail = [&](const std::string& why) {
        return std::invalid_argument(fmt::format("mqar: {} ({})", why, MqarTask::spec_of(c)));
    };
    if (c.pairs < 1) {
        throw fail(fmt::format("pairs={} must be >= 1", c.pairs));
    }
    if (half - 1 < c.pairs || c.vocab - half < c.pairs) {
        throw fail(fmt::format("vocab={} has {} keys and {} values, fewer than pairs={}", c.vocab,
                               half - 1, c.vocab - half, c.pairs));
    }
    // Every token is named in the vocabulary: 2^20 names are ~50 MB, 10^9 would not fit.
    if (c.vocab > (int64_t{1} << 20)) {
        throw fail(fmt::format("vocab={} exceeds 2^20 = 1048576", c.vocab));
    }
    if (!(c.alpha > 0.0) || c.alpha > 100.0) {
        throw fail(fmt::format("alpha={} must be in (0, 100]", c.alpha));
    }
    if (c.length && *c.length < 4 * c.pairs) {
        throw fail(fmt::format("len={} is shorter than 4 * pairs = {}", *c.length, 4 * c.pairs));
    }
    if (c.random_fill && c.vocab - 1 - 2 * c.pairs < 1) {
        throw fail("fill=random leaves no token that is neither a key nor a value");
    }
    TaskInfo info;
    info.spec = MqarTask::spec_of(c);
    info.description =
        "Multi-query associative recall (Zoology, Arora et al. 2024): D key-value pairs, then the "
        "keys queried once each at power-law gaps; predict the value at each query key. Fillers "
        "never collide with keys or values (Zoology issue #29 fixed).";
    info.formulation = Formulation::kRecall;
    for (int64_t t = 0; t < c.vocab; ++t) {
        info.input_vocab.names.push_back(std::to_string(t));
    }
    info.output_vocab = info.input_vocab;
    info.chance_level = 1.0 / static_cast<double>(c.vocab - half);
    info.length_rule = c.length ? fmt::format("exactly {} (len=)", *c.length)
                                : fmt::format("any length >= 4 * pairs = {}", 4 * c.pairs);
    return info;
}

}  // namespace

MqarTask::MqarTask(MqarConfig config) : Task(make_info(config)), config_(config) {
    if (config_.length) {
        fixed_gap_weights_ =
            power_law_weights((*config_.length - 2 * config_.pairs) / 2, config_.alpha);
    }
}

std::string MqarTask::spec_of(const MqarConfig& c) {
    std::string spec = fmt::format("mqar:vocab={},pairs={}", c.vocab, c.pairs);
    if (c.length) {
        spec += fmt::format(",len={}", *c.length);
    }
    return spec + fmt::format(",alpha={},fill={}", c.alpha, c.random_fill ? "random" : "zero");
}

bool MqarTask::valid_length(int64_t length) const {
    return config_.length ? length == *config_.length : length >= 4 * config_.pairs;
}

Example MqarTask::sample_valid(int64_t length, automata::Rng& rng) const {
    const int64_t pairs = config_.pairs;
    const int64_t half = config_.vocab / 2;
    const auto n = static_cast<size_t>(length);
    std::vector<int32_t> keys = distinct_below(rng, half - 1, pairs);
    std::vector<int32_t> values = distinct_below(rng, config_.vocab - half, pairs);
    Example ex;
    ex.tokens.assign(n, -1);
    ex.targets.assign(n, kNoTarget);
    ex.loss_mask.assign(n, 0);
    for (size_t j = 0; j < keys.size(); ++j) {
        keys[j] += 1;
        values[j] += static_cast<int32_t>(half);
        ex.tokens[2 * j] = keys[j];
        ex.tokens[2 * j + 1] = values[j];
    }
    const int64_t context = 2 * pairs;
    std::vector<double> computed;
    if (!config_.length) {
        computed = power_law_weights((length - context) / 2, config_.alpha);
    }
    const std::vector<int64_t> gaps =
        sample_without_replacement(config_.length ? fixed_gap_weights_ : computed, pairs, rng);
    for (size_t j = 0; j < gaps.size(); ++j) {
        const auto at = static_cast<size_t>(context + 2 * gaps[j]);
        ex.tokens[at] = keys[j];
        ex.targets[at] = values[j];
        ex.loss_mask[at] = 1;
    }
    std::vector<bool> used;
    if (config_.random_fill) {
        used.assign(static_cast<size_t>(config_.vocab), false);
        used[0] = true;  // random fillers come from [1, V)
        for (size_t j = 0; j < keys.size(); ++j) {
            used[static_cast<size_t>(keys[j])] = used[static_cast<size_t>(values[j])] = true;
        }
    }
    for (int32_t& token : ex.tokens) {
        if (token >= 0) {
            continue;
        }
        token = 0;
        while (config_.random_fill && used[static_cast<size_t>(token)]) {
            token = static_cast<int32_t>(1 + automata::uniform_below(rng, config_.vocab - 1));
        }
    }
    return ex;
}

}  // namespace statetrack::tasks
