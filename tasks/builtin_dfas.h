// Hand-built DFAs of the catalogue's regular languages. Each is complete and minimal (tests
// compare with automata::minimize), with readable state names. The definition each follows, and
// where anchors disagree, is stated per function; task_catalogue.cpp repeats it for users.
#pragma once

#include "automata/dfa.h"

namespace statetrack::tasks {

// Delétang parity_check: bits {0,1}; accepts an odd number of 1s (label = #1s mod 2).
automata::Dfa parity_dfa();
// Delétang even_pairs: bits {0,1}; accepts iff first symbol != last symbol, i.e. an odd number
// of unequal neighbours. FLaRe's even-pairs is the complement (first == last, and the empty word).
automata::Dfa even_pairs_dfa();
// Delétang cycle_navigation: {0,1,2} move -1, 0, +1 on a cycle of 5 (their code's mapping; the
// paper's text says STAY/INC/DEC); start at 0; state = position; accepts position 0.
automata::Dfa cycle_navigation_dfa();
// Tomita 1..7 over {0,1}: T1 1*; T2 (10)*; T3 no odd run of 1s immediately followed by an odd
// run of 0s (maximal runs); T4 no 000; T5 #0 and #1 both even; T6 #0 - #1 = 0 mod 3;
// T7 0*1*0*1*. Throws std::invalid_argument for k outside 1..7.
automata::Dfa tomita_dfa(int k);
// Bounded Dyck: `kinds` bracket pairs from "()[]{}<>" (1..4), nesting depth <= max_depth; accepts
// balanced words. FLaRe's dyck-k-m with k = kinds, m = max_depth. Throws std::invalid_argument
// for kinds outside 1..4 or when the DFA would exceed 100,000 states.
automata::Dfa dyck_dfa(int kinds, int max_depth);
// FLaRe "first": {0,1}; accepts words whose first symbol is 1.
automata::Dfa first_symbol_dfa();
// Bhattamishra (aa)*: unary alphabet {a}; accepts even lengths.
automata::Dfa aa_star_dfa();
// Bhattamishra (abab)*: {a,b}.
automata::Dfa abab_star_dfa();
// Flip-flop (Liu et al. 2023): {w0, w1, i, r} = write 0, write 1, ignore, read; state = the
// last written bit (start 0); reads and ignores keep it. Accepts when the memory holds 1.
automata::Dfa flip_flop_dfa();

}  // namespace statetrack::tasks
