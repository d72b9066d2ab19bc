// LanguageSource: command-line language options -> Dfa. See language_source.h.
#include "harness/language_source.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "automata/dfa_json.h"
#include "automata/permutation_group.h"
#include "automata/regex.h"
#include "tasks/task_catalogue.h"

namespace statetrack::harness {

void LanguageSource::add_options(CLI::App& command) {
    command.add_option("--task", task, "Catalogue task spec, e.g. parity, tomita3, group:S5");
    command.add_option("--regex", regex, "Regular expression, e.g. '(a|bb)*'");
    command.add_option("--alphabet", alphabet,
                       "Alphabet of --regex as characters, e.g. 'abc' (default: inferred)");
    command.add_option("--dfa", dfa_path, "DFA JSON file (see docs/cli.md for the format)");
    command.add_option("--group", group,
                       "Group word problem: S5, A4xZ5, Z60, D4, or generators '(1 2 3); (1 2)'");
    command.add_flag("--complete", complete_with_sink,
                     "With --dfa: send missing transitions to a new sink state (default: error)");
}

automata::Dfa LanguageSource::resolve() {
    const int given = !task.empty() + !regex.empty() + !dfa_path.empty() + !group.empty();
    if (given != 1) {
        throw std::invalid_argument(fmt::format(
            "give exactly one language: --task, --regex, --dfa or --group ({} given)", given));
    }
    if (!alphabet.empty() && regex.empty()) {
        throw std::invalid_argument("--alphabet only applies to --regex");
    }
    if (complete_with_sink && dfa_path.empty()) {
        throw std::invalid_argument("--complete only applies to --dfa");
    }
    if (!regex.empty()) {
        std::optional<automata::Alphabet> fixed;
        if (!alphabet.empty()) {
            fixed = automata::Alphabet::from_chars(alphabet);
        }
        automata::Dfa dfa = automata::regex_to_dfa(regex, fixed);
        description_ = fmt::format("regex '{}' over {{{}}}", regex,
                                   fmt::join(dfa.alphabet().names(), ", "));
        return dfa;
    }
    if (!dfa_path.empty()) {
        description_ = fmt::format("DFA file {}", dfa_path);
        return automata::load_dfa_json(dfa_path, complete_with_sink);
    }
    if (!group.empty()) {
        const auto g = automata::PermutationGroup::from_spec(group);
        description_ = fmt::format("word problem of {} (order {}), tokens = all elements",
                                   g.name(), g.order());
        return g.cayley_dfa_all_elements();
    }
    const auto t = tasks::make_task(task);
    auto dfa = t->algebra_dfa();
    if (!dfa) {
        throw std::invalid_argument(
            fmt::format("task '{}' is not a fixed regular language, so it has no DFA", t->name()));
    }
    description_ = fmt::format("task {}", t->name());
    return *dfa;
}

}  // namespace statetrack::harness
