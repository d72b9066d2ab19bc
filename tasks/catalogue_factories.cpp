// One factory per kind of catalogue entry: fixed automata, parameterised automata, groups, user
// regexes and DFA files, modular arithmetic, MQAR. See task_catalogue.h.
#include "tasks/catalogue_factories.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "automata/dfa_json.h"
#include "automata/permutation_group.h"
#include "automata/regex.h"
#include "tasks/automaton_task.h"
#include "tasks/builtin_dfas.h"
#include "tasks/modular_arithmetic_task.h"
#include "tasks/mqar_task.h"
#include "tasks/word_problem.h"

namespace statetrack::tasks {

namespace {

using automata::Dfa;

LabelledAutomaton plain(Dfa dfa) { return {std::move(dfa), {}, {}, {}}; }

// Final label = the state itself, classes named after the states.
LabelledAutomaton labelled_by_state(Dfa dfa, std::vector<std::string> label_names) {
    std::vector<int32_t> labels;
    for (automata::State q = 0; q < dfa.num_states(); ++q) {
        labels.push_back(q);
    }
    return {std::move(dfa), {}, std::move(labels), std::move(label_names)};
}

const std::map<std::string, std::function<LabelledAutomaton()>, std::less<>>& fixed_automata() {
    static const std::map<std::string, std::function<LabelledAutomaton()>, std::less<>> table = {
        {"parity",
         [] {
             return labelled_by_state(parity_dfa(), {"even", "odd"});
         }},
        {"even_pairs", [] { return plain(even_pairs_dfa()); }},
        {"cycle_navigation",
         [] {
             return labelled_by_state(cycle_navigation_dfa(), {"0", "1", "2", "3", "4"});
         }},
        {"tomita1", [] { return plain(tomita_dfa(1)); }},
        {"tomita2", [] { return plain(tomita_dfa(2)); }},
        {"tomita3", [] { return plain(tomita_dfa(3)); }},
        {"tomita4", [] { return plain(tomita_dfa(4)); }},
        {"tomita5", [] { return plain(tomita_dfa(5)); }},
        {"tomita6", [] { return plain(tomita_dfa(6)); }},
        {"tomita7", [] { return plain(tomita_dfa(7)); }},
        {"first_symbol", [] { return plain(first_symbol_dfa()); }},
        {"aa_star", [] { return plain(aa_star_dfa()); }},
        {"abab_star", [] { return plain(abab_star_dfa()); }},
        {"flip_flop",
         [] {
             LabelledAutomaton a = labelled_by_state(flip_flop_dfa(), {"0", "1"});
             a.symbol_weights = {1, 1, 16, 2};  // w0, w1, i, r: FFL(0.8)
             return a;
         }},
    };
    return table;
}

std::unique_ptr<Task> automaton(const std::string& spec, const std::string& description,
                                LabelledAutomaton a, Formulation formulation) {
    return std::make_unique<AutomatonTask>(spec, description, std::move(a), formulation);
}

const std::string& require_argument(const TaskSpec& spec, const char* what) {
    if (!spec.argument) {
        throw std::invalid_argument(
            fmt::format("task '{}' needs {}: {}:{}", spec.name, what, spec.name, what));
    }
    return *spec.argument;
}

std::unique_ptr<Task> group_task(const CatalogueEntry& entry, const TaskSpec& spec,
                                 Formulation formulation) {
    const WordProblemSpec wp = parse_word_problem(require_argument(spec, "GROUP"));
    const auto group = automata::PermutationGroup::from_spec(wp.group, kMaxGroupOrder);
    LabelledAutomaton a = word_problem_automaton(group, wp.tokens);
    const std::string description =
        fmt::format("{} This one: {}, order {}, {}; {} {} tokens.", entry.description, group.name(),
                    group.order(), group.is_solvable() ? "solvable" : "non-solvable",
                    a.dfa.alphabet().size(), to_string(wp.tokens));
    return automaton(fmt::format("group:{}/{}", wp.group, to_string(wp.tokens)), description,
                     std::move(a), formulation);
}

std::unique_ptr<Task> mqar_task(const TaskSpec& spec) {
    const std::string name = spec.argument ? "mqar:" + *spec.argument : "mqar";
    const SpecParams p(name, spec.argument, {"vocab", "pairs", "len", "alpha", "fill"});
    MqarConfig c;
    c.vocab = p.get_int("vocab", c.vocab, 4, int64_t{1} << 30);
    c.pairs = p.get_int("pairs", c.pairs, 1, int64_t{1} << 28);
    if (p.has("len")) {
        c.length = p.get_int("len", 0, 1, int64_t{1} << 30);
    }
    c.alpha = p.get_double("alpha", c.alpha);
    c.random_fill = p.get_choice("fill", "zero", {"zero", "random"}) == "random";
    return std::make_unique<MqarTask>(c);
}

std::unique_ptr<Task> modular_task(const TaskSpec& spec, Formulation formulation) {
    const std::string name = spec.argument ? spec.name + ":" + *spec.argument : spec.name;
    const SpecParams p(name, spec.argument, {"mod"});
    const auto modulus = static_cast<int>(p.get_int("mod", 5, 2, 50));
    const Evaluation evaluation =
        spec.name == "modular_arithmetic" ? Evaluation::kPrecedence : Evaluation::kLeftToRight;
    return std::make_unique<ModularArithmeticTask>(modulus, evaluation, formulation);
}

std::unique_ptr<Task> dyck_task(const CatalogueEntry& entry, const TaskSpec& spec,
                                Formulation formulation) {
    const std::string name = spec.argument ? "dyck:" + *spec.argument : "dyck";
    const SpecParams p(name, spec.argument, {"k", "depth"});
    const auto kinds = static_cast<int>(p.get_int("k", 2, 1, 4));
    const auto depth = static_cast<int>(p.get_int("depth", 3, 1, 64));
    return automaton(fmt::format("dyck:k={},depth={}", kinds, depth), entry.description,
                     plain(dyck_dfa(kinds, depth)), formulation);
}

}  // namespace

std::unique_ptr<Task> build_catalogue_task(const CatalogueEntry& entry, const TaskSpec& spec,
                                           Formulation formulation) {
    const auto& fixed = fixed_automata();
    if (auto it = fixed.find(entry.name); it != fixed.end()) {
        if (spec.argument) {
            throw std::invalid_argument(fmt::format("task '{}' takes no parameters (got '{}')",
                                                    entry.name, *spec.argument));
        }
        return automaton(entry.name, entry.description, it->second(), formulation);
    }
    if (entry.name == "group") {
        return group_task(entry, spec, formulation);
    }
    if (entry.name == "mqar") {
        return mqar_task(spec);
    }
    if (entry.name == "modular_arithmetic" || entry.name == "modular_arithmetic_ltr") {
        return modular_task(spec, formulation);
    }
    if (entry.name == "dyck") {
        return dyck_task(entry, spec, formulation);
    }
    if (entry.name == "regex") {
        const std::string& pattern = require_argument(spec, "PATTERN");
        return automaton("regex:" + pattern, entry.description,
                         plain(automata::regex_to_dfa(pattern)), formulation);
    }
    if (entry.name == "dfa") {
        const std::string& path = require_argument(spec, "PATH");
        return automaton("dfa:" + path, entry.description,
                         plain(automata::load_dfa_json(path, /*complete_with_sink=*/true)),
                         formulation);
    }
    throw std::logic_error(fmt::format("catalogue entry '{}' has no factory", entry.name));
}

}  // namespace statetrack::tasks
