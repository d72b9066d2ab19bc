// The catalogue table and make_task(). Factories for parameterised entries are in
// catalogue_factories.cpp; this file holds what users read in `statetrack tasks list`.
#include "tasks/task_catalogue.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "tasks/catalogue_factories.h"
#include "tasks/task_spec.h"

namespace statetrack::tasks {

namespace {

using F = Formulation;

const std::vector<F> kAutomatonFormulations = {F::kStateTagging, F::kMembershipTagging,
                                               F::kFinalLabel, F::kFinalState, F::kRecognition};

// The entry's formulations with its default moved to the front.
std::vector<F> default_first(F preferred, std::vector<F> all) {
    std::stable_partition(all.begin(), all.end(), [&](F f) { return f == preferred; });
    return all;
}

CatalogueEntry automaton_entry(std::string name, std::string usage, std::string source,
                               std::string description, F preferred) {
    return {std::move(name),   std::move(usage),
            std::move(source), std::move(description),
            preferred,         default_first(preferred, kAutomatonFormulations)};
}

std::vector<CatalogueEntry> build_catalogue() {
    std::vector<CatalogueEntry> c;
    c.push_back(automaton_entry(
        "parity", "parity", "Delétang et al. 2023 (parity_check)",
        "Bits {0,1}; final label = number of 1s mod 2 (classes even, odd). Delétang reads it "
        "after a blank token, here at the last bit; Grazzi/xLSTM use tokens {1,2} plus an answer "
        "token; Liu et al. tag every prefix (formulation state_tagging).",
        F::kFinalLabel));
    c.push_back(automaton_entry(
        "even_pairs", "even_pairs", "Delétang et al. 2023 (even_pairs)",
        "Bits {0,1}; accept iff the number of unequal neighbouring pairs is odd, i.e. first != "
        "last (Delétang's label 1). FLaRe's even-pairs is the complement: first == last, and the "
        "empty word.",
        F::kFinalLabel));
    c.push_back(automaton_entry(
        "cycle_navigation", "cycle_navigation", "Delétang et al. 2023 (cycle_navigation)",
        "Tokens 0,1,2 move -1, stay, +1 on a cycle of 5 starting at 0 (their code's mapping; the "
        "paper's text says STAY/INC/DEC); final label = final position (5 classes); accepts "
        "position 0. FLaRe's cycle-navigation instead recognises moves <,>,= plus a final digit.",
        F::kFinalLabel));
    c.push_back({"modular_arithmetic",
                 "modular_arithmetic[:mod=M]",
                 "Delétang et al. 2023 (modular_arithmetic, Simple); Grazzi et al. 2025",
                 "Odd-length 'd op d ... d', digits 0..M-1 (default M=5) at even positions, ops "
                 "{+,-,*} at odd ones; final label = value mod M WITH operator precedence, from a "
                 "direct evaluator. Even lengths are rejected (Delétang's code uses length-1). "
                 "Grazzi appends '=' and the answer as tokens.",
                 F::kFinalLabel,
                 {F::kFinalLabel}});
    c.push_back({"modular_arithmetic_ltr",
                 "modular_arithmetic_ltr[:mod=M]",
                 "Butoi et al. 2025 (FLaRe, modular-arithmetic-simple)",
                 "As modular_arithmetic but evaluated left to right with no precedence, as "
                 "FLaRe's DFA; FLaRe recognises 'expr = result' strings, here the value is the "
                 "final label. A different automaton with a different monoid (docs/anchors.md §7).",
                 F::kFinalLabel,
                 {F::kFinalLabel}});
    const char* tomita[] = {
        "1*",
        "(10)*",
        "no odd-length run of 1s immediately followed by an odd-length run of 0s (maximal runs)",
        "no substring 000",
        "#0 even and #1 even",
        "#0 - #1 = 0 (mod 3)",
        "0*1*0*1*"};
    for (int k = 1; k <= 7; ++k) {
        c.push_back(automaton_entry(
            fmt::format("tomita{}", k), fmt::format("tomita{}", k),
            "Tomita 1982; Bhattamishra et al. 2020",
            fmt::format("Tomita grammar {} over {{0,1}}: {}. Bhattamishra et al. train "
                        "next-character-set prediction, not offered here.",
                        k, tomita[k - 1]),
            F::kRecognition));
    }
    c.push_back(automaton_entry(
        "dyck", "dyck[:k=K,depth=D]", "Butoi et al. 2025 (FLaRe, dyck-k-m)",
        "Balanced brackets of K kinds from ()[]{}<> (1..4, default 2) with nesting depth at most "
        "D (default 3; FLaRe's dyck-2-3). Unbounded Dyck is not regular; the bound makes it one. "
        "i.i.d. inputs leave the language within a few symbols, so use recognition.",
        F::kRecognition));
    c.push_back(automaton_entry("first_symbol", "first_symbol", "Butoi et al. 2025 (FLaRe, first)",
                                "Bits {0,1}; accept iff the first symbol is 1 (FLaRe's first_dfa).",
                                F::kRecognition));
    c.push_back(automaton_entry(
        "aa_star", "aa_star", "Bhattamishra et al. 2020 ((aa)*)",
        "Unary alphabet {a}; accept even lengths. At a fixed length only one class exists, so "
        "recognition examples of one length all share a label.",
        F::kRecognition));
    c.push_back(automaton_entry("abab_star", "abab_star", "Bhattamishra et al. 2020 ((abab)*)",
                                "Alphabet {a,b}; accept (abab)*.", F::kRecognition));
    c.push_back(automaton_entry(
        "flip_flop", "flip_flop", "Liu et al. 2023 (flip-flop semiautomaton / FFL(0.8))",
        "Tokens w0, w1 (write), i (ignore), r (read), i.i.d. with p(write) = 0.1, p(ignore) = "
        "0.8, p(read) = 0.1 as FFL(0.8); state = last written bit (start 0). FFL asks only at "
        "reads and pairs each instruction with a data token; here one token per instruction and "
        "state_tagging asks at every position.",
        F::kStateTagging));
    c.push_back(automaton_entry(
        "group", "group:GROUP[/elements|generators|transpositions]",
        "Merrill et al. 2024 (word problems); Liu et al. 2023",
        "Word problem of a permutation group (S5, A5, Z60, A4xZ5, D4, or generators in cycle "
        "notation): tokens are group elements, state = prefix product. Tokens: all elements "
        "(default, as Merrill's repo), the group's generators, or its transpositions.",
        F::kStateTagging));
    c.push_back({"mqar",
                 "mqar[:vocab=V,pairs=D,len=L,alpha=A,fill=zero|random]",
                 "Arora et al. 2024 (Zoology multiquery_ar)",
                 "Multi-query associative recall; defaults vocab=8192, pairs=4, alpha=0.01, "
                 "fill=zero, any length >= 4*pairs unless len= fixes it. Fillers never collide "
                 "with keys or values (Zoology issue #29).",
                 F::kRecall,
                 {F::kRecall}});
    c.push_back(automaton_entry(
        "regex", "regex:PATTERN", "user",
        "Minimal DFA of a regular expression (automata::regex_to_dfa); the alphabet is the set "
        "of characters the pattern names.",
        F::kRecognition));
    c.push_back(automaton_entry("dfa", "dfa:PATH", "user",
                                "A DFA from a JSON file (format in automata/dfa_json.h); partial "
                                "transition functions are completed with a sink.",
                                F::kRecognition));
    return c;
}

}  // namespace

const std::vector<CatalogueEntry>& task_catalogue() {
    static const std::vector<CatalogueEntry> catalogue = build_catalogue();
    return catalogue;
}

const CatalogueEntry& catalogue_entry(std::string_view name) {
    std::vector<std::string> names;
    for (const CatalogueEntry& e : task_catalogue()) {
        if (e.name == name) {
            return e;
        }
        names.push_back(e.name);
    }
    throw std::invalid_argument(
        fmt::format("unknown task '{}' (valid: {})", name, fmt::join(names, ", ")));
}

std::unique_ptr<Task> make_task(std::string_view spec, std::optional<Formulation> formulation) {
    const TaskSpec parsed = parse_task_spec(spec);
    const CatalogueEntry& entry = catalogue_entry(parsed.name);
    const Formulation chosen = formulation.value_or(entry.default_formulation);
    const auto& ok = entry.formulations;
    if (std::find(ok.begin(), ok.end(), chosen) == ok.end()) {
        std::vector<std::string> names;
        for (Formulation f : ok) {
            names.push_back(to_string(f));
        }
        throw std::invalid_argument(
            fmt::format("task '{}' does not support formulation {} (supported: {})", entry.name,
                        to_string(chosen), fmt::join(names, ", ")));
    }
    return build_catalogue_task(entry, parsed, chosen);
}

}  // namespace statetrack::tasks
