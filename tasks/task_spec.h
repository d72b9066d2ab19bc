// Task spec strings. Grammar:
//   spec      := name [ ":" argument ]
//   name      := a catalogue entry (task_catalogue.h): [a-z0-9_]+
//   argument  := depends on the entry:
//     regex:PATTERN           the rest of the string, verbatim (may contain ':', ',', '=')
//     dfa:PATH                a DFA JSON file (automata/dfa_json.h), verbatim
//     group:GROUP[/TOKENS]    GROUP as automata::PermutationGroup::from_spec ("S5", "A4xZ5",
//                             "(1 2 3); (1 2)"); TOKENS = elements (default) | generators |
//                             transpositions
//     anything else           key=value[,key=value]*, each key at most once, from the entry's
//                             parameters (unknown keys are an error listing the valid ones)
// Examples: parity, tomita3, dyck:k=2,depth=3, modular_arithmetic:mod=5, group:S5,
// group:S5/transpositions, regex:(a|bb)*, dfa:langs/mine.json, mqar:vocab=8192,len=64,pairs=4.
// The formulation is chosen separately (formulation.h), never inside the spec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace statetrack::tasks {

struct TaskSpec {
    std::string name;
    std::optional<std::string> argument;  // nullopt when there is no ':'
};

// Splits at the first ':' and checks the name's characters. Throws std::invalid_argument on an
// empty spec, an empty name, a bad character in the name, or an empty argument after ':'.
TaskSpec parse_task_spec(std::string_view text);

// key=value parameters of one spec, checked against the keys the entry allows.
class SpecParams {
  public:
    // Throws std::invalid_argument naming the spec on a missing '=', an empty key or value,
    // a repeated key, or a key not in `allowed` (the message lists the allowed keys).
    SpecParams(std::string spec, const std::optional<std::string>& argument,
               std::vector<std::string> allowed);

    bool has(std::string_view key) const;
    // Integer in [min, max]; the default when the key is absent.
    int64_t get_int(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
    // Finite decimal number; range checks are the caller's.
    double get_double(std::string_view key, double fallback) const;
    // One of `choices`; the default when absent.
    std::string get_choice(std::string_view key, std::string fallback,
                           const std::vector<std::string>& choices) const;

  private:
    const std::string* find(std::string_view key) const;

    std::string spec_;
    std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace statetrack::tasks
