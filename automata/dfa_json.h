// Dfa <-> JSON (nlohmann::json). Format:
//   {"alphabet": ["a", "b"], "states": ["q0", "q1"], "start": "q0", "accept": ["q1"],
//    "transitions": {"q0": {"a": "q1", "b": "q0"}, "q1": {"a": "q1", "b": "q0"}}}
// "transitions" may instead be a list of [from, symbol, to] triples. "accept" is optional
// (default: no accepting state); every other key is required and no other key is allowed.
// A partial transition function is an error naming the state and symbol, unless
// complete_with_sink is set: missing transitions then go to a new non-accepting sink state
// (named "sink", or "sink_2", ... if taken), added only when needed.
// Errors: std::invalid_argument, one line, naming the field path, e.g.
//   "dfa json: transitions.q0.c: symbol 'c' is not in the alphabet [a, b]".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "automata/dfa.h"

namespace statetrack::automata {

Dfa dfa_from_json(const nlohmann::json& json, bool complete_with_sink = false);
// Parses text first; invalid JSON is reported with nlohmann's line/column.
Dfa parse_dfa_json(std::string_view text, bool complete_with_sink = false);
// Reads a file; a missing/unreadable file or invalid JSON is an error naming the path.
Dfa load_dfa_json(const std::string& path, bool complete_with_sink = false);

// Object-form transitions; dfa_from_json(dfa_to_json(d)) == d (same numbering and names).
// States with duplicate names (possible in a Dfa built by hand) are written as "0", "1", ...
nlohmann::json dfa_to_json(const Dfa& dfa);

}  // namespace statetrack::automata
