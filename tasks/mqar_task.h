// MQAR: multi-query associative recall with Zoology's parameters (Arora et al. 2024,
// zoology/data/multiquery_ar.py; docs/anchors.md §3). One example of length L:
//   positions 0 .. 2D-1     context k_1 v_1 ... k_D v_D; keys distinct from [1, V/2), values
//                           distinct from [V/2, V), a fresh key->value map per example
//   positions 2D .. L-1     query region: key k_j alone at 2D + 2 g_j (v_j is never restated in
//                           the input: it is only the target there); the gaps g_j are
//                           distinct, drawn from {0 .. (L-2D)/2 - 1} with p(g) ∝ (g+1)^(alpha-1)
//                           (successively, without replacement; gap j goes to key j); every
//                           other position is a filler
//   target                  v_j at the query key's position (a causal model predicts the value
//                           from the key), all other positions masked
// This is Zoology's sequence after their inputs = seq[:-1], labels = seq[1:] shift. Output classes
// are all V tokens (Zoology's LM head); chance = 1 / (number of values).
// Fillers: Zoology's random_non_queries=True draws fillers from all of [0, V), so a filler can
// repeat a key or value of the example (spurious associations; Zoology issue #29). Here fill=zero
// uses token 0, which is never a key or value (Zoology's Figure 2 setting), and fill=random draws
// uniformly from [1, V) minus this example's keys and values, so no collision is possible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tasks/task.h"

namespace statetrack::tasks {

struct MqarConfig {
    int64_t vocab = 8192;           // V
    int64_t pairs = 4;              // D, key-value pairs per example
    std::optional<int64_t> length;  // L; when set, the only valid length
    double alpha = 0.01;            // Zoology's power_a
    bool random_fill = false;       // fill=random instead of fill=zero
};

class MqarTask final : public Task {
  public:
    // Throws std::invalid_argument naming the parameter when the config is unusable:
    // V/2 - 1 < D (too few keys), V - V/2 < D, alpha <= 0, length < 4D, or random fill
    // with no token left for fillers.
    explicit MqarTask(MqarConfig config);

    const MqarConfig& config() const { return config_; }
    // Canonical spec: "mqar:vocab=V,pairs=D[,len=L],alpha=A,fill=zero|random".
    static std::string spec_of(const MqarConfig& config);

    bool valid_length(int64_t length) const override;
    std::optional<automata::Dfa> algebra_dfa() const override { return std::nullopt; }

  protected:
    Example sample_valid(int64_t length, automata::Rng& rng) const override;

  private:
    MqarConfig config_;
    std::vector<double> fixed_gap_weights_;  // precomputed when config_.length is set
};

}  // namespace statetrack::tasks
