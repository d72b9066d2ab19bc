// DOT export. See dfa_dot.h.
#include "automata/dfa_dot.h"

#include <fmt/format.h>

#include <map>

namespace statetrack::automata {
namespace {

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c == '\n' ? ' ' : c;
    }
    return out + '"';
}

}  // namespace

std::string dfa_to_dot(const Dfa& dfa, std::string_view graph_name) {
    std::string out =
        fmt::format("digraph {} {{\n  rankdir=LR;\n  node [shape=circle];\n", quoted(graph_name));
    out += fmt::format("  start [shape=point, label=\"\"];\n  start -> s{};\n", dfa.start());
    for (State q = 0; q < dfa.num_states(); ++q) {
        out += fmt::format("  s{} [label={}{}];\n", q, quoted(dfa.state_name(q)),
                           dfa.is_accepting(q) ? ", shape=doublecircle" : "");
    }
    for (State q = 0; q < dfa.num_states(); ++q) {
        std::map<State, std::string> labels;  // target -> "a,b"
        for (Symbol s = 0; static_cast<size_t>(s) < dfa.alphabet().size(); ++s) {
            std::string& label = labels[dfa.step(q, s)];
            label += (label.empty() ? "" : ",") + dfa.alphabet().name(s);
        }
        for (const auto& [to, label] : labels) {
            out += fmt::format("  s{} -> s{} [label={}];\n", q, to, quoted(label));
        }
    }
    return out + "}\n";
}

}  // namespace statetrack::automata
