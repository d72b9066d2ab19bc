// LanguageSource: command-line language options -> Dfa. See language_source.h.
#include "harness/cli/language_source.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "automata/dfa_json.h"
#include "automata/permutation_group.h"
#include "automata/regex.h"
#include "tasks/task_catalogue.h"

namespace statetrack::harness {
namespace {

// Cost model of --group (one token per element): the Cayley DFA has order² transitions, and
// classifying it walks order monoid elements × order letters over order states, order³ steps.
// D1000 (order 2000, 8·10⁹ steps) took 27 s here; 10⁹ steps is a few seconds. A5×A5 is a
// small group (3600) with 4.7·10¹⁰ steps of monoid work, so the bound is on the work.
constexpr double kMaxGroupWork = 1e9;
constexpr size_t kMaxGroupOrderToBuild = 100'000;

automata::PermutationGroup bounded_group(const std::string& spec) {
    const auto g = automata::PermutationGroup::from_spec(spec, kMaxGroupOrderToBuild);
    const double n = static_cast<double>(g.order());
    if (n * n * n > kMaxGroupWork) {
        throw std::invalid_argument(fmt::format(
            "--group {}: order {} with one token per element needs ~{:.1e} steps of monoid work "
            "and {:.0f} MiB of transitions (limit {:.0e} steps, i.e. order ≤ 1000); the word "
            "problem with generator tokens is cheaper: --task 'group:{}/generators'",
            spec, g.order(), n * n * n, n * n * 4 / (1 << 20), kMaxGroupWork, spec));
    }
    return g;
}

}  // namespace

void LanguageSource::add_source_options(CLI::App& command) {
    command.add_option("--task", task, "Catalogue task spec, e.g. parity, tomita3, group:S5");
    command.add_option("--regex", regex, "Regular expression, e.g. '(a|bb)*'");
    command.add_option("--dfa", dfa_path, "DFA JSON file (see docs/cli.md for the format)");
    command.add_option("--group", group,
                       "Group word problem: S5, A4xZ5, Z60, D4, or generators '(1 2 3); (1 2)'");
}

void LanguageSource::add_options(CLI::App& command) {
    add_source_options(command);
    command.add_option("--alphabet", alphabet,
                       "Alphabet of --regex as characters, e.g. 'abc' (default: inferred)");
    command.add_flag("--complete", complete_with_sink,
                     "With --dfa: send missing transitions to a new sink state (default: error)");
}

int LanguageSource::given() const {
    return !task.empty() + !regex.empty() + !dfa_path.empty() + !group.empty();
}

void LanguageSource::check_one_source() const {
    if (given() != 1) {
        throw std::invalid_argument(fmt::format(
            "give exactly one language: --task, --regex, --dfa or --group ({} given)", given()));
    }
}

std::string LanguageSource::task_spec() const {
    check_one_source();
    return !task.empty()       ? task
           : !regex.empty()    ? "regex:" + regex
           : !dfa_path.empty() ? "dfa:" + dfa_path
                               : "group:" + group;
}

automata::Dfa LanguageSource::resolve() {
    check_one_source();
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
        description_ =
            fmt::format("regex '{}' over {{{}}}", regex, fmt::join(dfa.alphabet().names(), ", "));
        return dfa;
    }
    if (!dfa_path.empty()) {
        description_ = fmt::format("DFA file {}", dfa_path);
        return automata::load_dfa_json(dfa_path, complete_with_sink);
    }
    if (!group.empty()) {
        const auto g = bounded_group(group);
        description_ = fmt::format("word problem of {} (order {}), tokens = all elements", g.name(),
                                   g.order());
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
