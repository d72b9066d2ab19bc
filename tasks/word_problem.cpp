// Group word problems as labelled Cayley automata. See word_problem.h.
#include "tasks/word_problem.h"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <vector>

#include "core/enum_names.h"

namespace statetrack::tasks {

namespace {

constexpr auto kTokenNames =
    core::enum_names(GroupTokens::kElements, "elements", GroupTokens::kGenerators, "generators",
                     GroupTokens::kTranspositions, "transpositions");

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool is_transposition(const automata::Permutation& p) {
    size_t moved = 0;
    for (size_t x = 0; x < p.degree(); ++x) {
        moved += p(x) != x ? 1 : 0;
    }
    return moved == 2;
}

automata::Dfa cayley_dfa(const automata::PermutationGroup& group, GroupTokens tokens) {
    if (tokens == GroupTokens::kElements) {
        return group.cayley_dfa_all_elements();
    }
    if (tokens == GroupTokens::kGenerators) {
        return group.cayley_dfa_generators();
    }
    std::vector<size_t> swaps;
    for (size_t i = 0; i < group.order(); ++i) {
        if (is_transposition(group.elements()[i])) {
            swaps.push_back(i);
        }
    }
    if (swaps.empty()) {
        throw std::invalid_argument(
            fmt::format("group {} contains no transposition", group.name()));
    }
    return group.cayley_dfa(swaps);
}

}  // namespace

std::string to_string(GroupTokens tokens) {
    const std::optional<std::string_view> name = kTokenNames.find_name(tokens);
    return name ? std::string(*name) : throw std::logic_error("group tokens: unnamed enum value");
}

WordProblemSpec parse_word_problem(std::string_view argument) {
    WordProblemSpec spec;
    std::string_view group = argument;
    const size_t slash = argument.rfind('/');
    if (slash != std::string_view::npos) {
        const std::string_view suffix = trim(argument.substr(slash + 1));
        const std::optional<GroupTokens> tokens = kTokenNames.find(suffix);
        if (!tokens) {
            throw std::invalid_argument(
                fmt::format("group task '{}': unknown token set '{}' (valid: {})", argument, suffix,
                            kTokenNames.list("")));
        }
        spec.tokens = *tokens;
        group = argument.substr(0, slash);
    }
    spec.group = std::string(trim(group));
    if (spec.group.empty()) {
        throw std::invalid_argument(
            fmt::format("group task '{}': no group before the token set", argument));
    }
    return spec;
}

LabelledAutomaton word_problem_automaton(const automata::PermutationGroup& group,
                                         GroupTokens tokens) {
    const size_t limit = tokens == GroupTokens::kElements ? kMaxElementTokensOrder : kMaxGroupOrder;
    if (group.order() > limit) {
        throw std::invalid_argument(fmt::format(
            "group {}: order {} is above the limit {} for {} tokens{}", group.name(), group.order(),
            limit, to_string(tokens),
            tokens == GroupTokens::kElements ? " (use /generators or /transpositions)" : ""));
    }
    LabelledAutomaton out{cayley_dfa(group, tokens), {}, {}, {}};
    for (size_t g = 0; g < group.order(); ++g) {
        out.state_labels.push_back(static_cast<int32_t>(g));
    }
    out.label_names = out.dfa.state_names();
    return out;
}

}  // namespace statetrack::tasks
