// statetrack automata classify|minimize|dot|accepts: inspect one language (language_source.h).
// classify and minimize work on the minimal DFA (whose transition monoid is the syntactic
// monoid); dot and accepts use the DFA as given unless --minimize is set.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "automata/algebra.h"
#include "automata/dfa_dot.h"
#include "automata/dfa_json.h"
#include "automata/dfa_minimize.h"
#include "automata/dfa_ops.h"
#include "harness/cli/cli.h"
#include "harness/cli/cli_checks.h"
#include "harness/cli/language_source.h"

namespace statetrack::harness {
namespace {

using automata::AlgebraReport;

nlohmann::json algebra_to_json(const AlgebraReport& r) {
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : r.groups) {
        groups.push_back({{"order", g.order},
                          {"abelian", g.abelian},
                          {"solvable", g.solvable},
                          {"count", g.count},
                          {"max_element_order", g.max_element_order}});
    }
    return {{"dfa_states", r.dfa_states},
            {"monoid_size", r.monoid_size},
            {"idempotents", r.idempotents},
            {"groups", groups},
            {"largest_group_order", r.largest_group_order},
            {"max_element_order", r.max_element_order},
            {"max_letter_period", r.max_letter_period},
            {"class", automata::to_string(r.monoid_class)},
            {"quasi_aperiodic", r.quasi_aperiodic},
            {"stability_index", r.stability_index},
            {"circuit", automata::to_string(r.circuit)}};
}

// Shortest member and non-member, as text; nullopt when there is none.
struct Witnesses {
    std::optional<std::string> accepted;
    std::optional<std::string> rejected;
};

Witnesses find_witnesses(const automata::Dfa& dfa) {
    Witnesses w;
    if (auto word = automata::shortest_accepted(dfa)) {
        w.accepted = dfa.alphabet().format_word(*word);
    }
    if (auto word = automata::shortest_rejected(dfa)) {
        w.rejected = dfa.alphabet().format_word(*word);
    }
    return w;
}

std::string describe_witness(const std::optional<std::string>& word, const char* none) {
    if (!word) {
        return none;
    }
    return word->empty() ? "(empty word)" : "'" + *word + "'";
}

void print_algebra(const std::string& language, const AlgebraReport& r, const Witnesses& w) {
    std::string groups = r.groups.empty() ? "none" : "";
    for (const auto& g : r.groups) {
        groups += fmt::format("{}order {} ({}{}) x{}", groups.empty() ? "" : "; ", g.order,
                              g.abelian ? "abelian" : "non-abelian",
                              g.solvable ? "" : ", non-solvable", g.count);
    }
    fmt::print("language            {}\n", language);
    fmt::print("minimal DFA         {} states\n", r.dfa_states);
    fmt::print("shortest member     {}\n", describe_witness(w.accepted, "none (empty language)"));
    fmt::print("shortest non-member {}\n", describe_witness(w.rejected, "none (every word)"));
    fmt::print("syntactic monoid    {} elements, {} idempotents\n", r.monoid_size, r.idempotents);
    fmt::print("maximal groups      {}\n", groups);
    fmt::print("element orders      largest {} in a group, largest letter period {}\n",
               r.max_element_order, r.max_letter_period);
    fmt::print("class               {}\n", automata::to_string(r.monoid_class));
    fmt::print("quasi-aperiodic     {} (stability index {})\n", r.quasi_aperiodic ? "yes" : "no",
               r.stability_index);
    fmt::print("circuit reading     {}\n", automata::to_string(r.circuit));
}

void print_dfa_table(const automata::Dfa& dfa) {
    const auto& names = dfa.alphabet().names();
    fmt::print("{} states, start {}, alphabet {{{}}}\n", dfa.num_states(),
               dfa.state_name(dfa.start()), fmt::join(names, ", "));
    fmt::print("{:>8} {:>6}", "state", "accept");
    for (const auto& n : names) {
        fmt::print(" {:>6}", n);
    }
    fmt::print("\n");
    for (automata::State q = 0; q < dfa.num_states(); ++q) {
        fmt::print("{:>8} {:>6}", dfa.state_name(q), dfa.is_accepting(q) ? "yes" : "");
        for (size_t s = 0; s < names.size(); ++s) {
            fmt::print(" {:>6}", dfa.state_name(dfa.step(q, static_cast<automata::Symbol>(s))));
        }
        fmt::print("\n");
    }
}

struct AutomataOptions {
    LanguageSource language;
    bool json = false;
    bool minimize = false;
    size_t max_monoid = 100'000;
};

void add_classify(CLI::App& parent, std::shared_ptr<AutomataOptions> o) {
    auto* cmd = parent.add_subcommand(
        "classify", "Minimal DFA, syntactic monoid, maximal groups, algebraic and circuit class");
    o->language.add_options(*cmd);
    cmd->add_flag("--json", o->json, "Print JSON on stdout");
    cmd->add_option("--max-monoid", o->max_monoid, "Give up past this many monoid elements")
        ->default_val(o->max_monoid)
        ->check(whole_number(1));
    cmd->callback([o] {
        const automata::Dfa minimal = automata::minimize(o->language.resolve());
        const AlgebraReport report = automata::classify(minimal, o->max_monoid);
        const Witnesses witnesses = find_witnesses(minimal);
        if (o->json) {
            nlohmann::json j = algebra_to_json(report);
            j["language"] = o->language.description();
            j["shortest_accepted"] =
                witnesses.accepted ? nlohmann::json(*witnesses.accepted) : nlohmann::json(nullptr);
            j["shortest_rejected"] =
                witnesses.rejected ? nlohmann::json(*witnesses.rejected) : nlohmann::json(nullptr);
            std::cout << j.dump(2) << "\n";
        } else {
            print_algebra(o->language.description(), report, witnesses);
        }
    });
}

void add_minimize(CLI::App& parent, std::shared_ptr<AutomataOptions> o) {
    auto* cmd = parent.add_subcommand("minimize", "Print the minimal complete DFA");
    o->language.add_options(*cmd);
    cmd->add_flag("--json", o->json, "Print the DFA as DFA JSON (loadable with --dfa)");
    cmd->callback([o] {
        const automata::Dfa minimal = automata::minimize(o->language.resolve());
        if (o->json) {
            std::cout << automata::dfa_to_json(minimal).dump(2) << "\n";
        } else {
            print_dfa_table(minimal);
        }
    });
}

void add_dot(CLI::App& parent, std::shared_ptr<AutomataOptions> o) {
    auto* cmd = parent.add_subcommand("dot", "Print the DFA in Graphviz DOT");
    o->language.add_options(*cmd);
    cmd->add_flag("--minimize", o->minimize, "Minimise first (default: the DFA as given)");
    cmd->callback([o] {
        automata::Dfa dfa = o->language.resolve();
        std::cout << automata::dfa_to_dot(o->minimize ? automata::minimize(dfa) : dfa);
    });
}

void add_accepts(CLI::App& parent, std::shared_ptr<AutomataOptions> o) {
    auto* cmd = parent.add_subcommand(
        "accepts", "Read words from stdin, one per line; print accept or reject for each");
    o->language.add_options(*cmd);
    cmd->add_flag("--json", o->json, "Print one JSON object per line: {\"word\", \"accepted\"}");
    cmd->callback([o] {
        const automata::Dfa dfa = o->language.resolve();
        std::string line;
        for (size_t number = 1; std::getline(std::cin, line); ++number) {
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            automata::Word word;
            try {
                word = dfa.alphabet().parse_word(line);
            } catch (const std::exception& e) {
                throw std::invalid_argument(fmt::format("stdin line {}: {}", number, e.what()));
            }
            const bool accepted = dfa.accepts(word);
            if (o->json) {
                std::cout << nlohmann::json{{"word", line}, {"accepted", accepted}}.dump() << "\n";
            } else {
                std::cout << (accepted ? "accept" : "reject") << "\n";
            }
        }
    });
}

}  // namespace

void add_automata_commands(CLI::App& app) {
    auto* automata_cmd =
        app.add_subcommand("automata", "Inspect a language: minimal DFA, algebra, membership");
    automata_cmd->require_subcommand(1);
    auto options = std::make_shared<AutomataOptions>();
    add_classify(*automata_cmd, options);
    add_minimize(*automata_cmd, options);
    add_dot(*automata_cmd, options);
    add_accepts(*automata_cmd, options);
}

}  // namespace statetrack::harness
