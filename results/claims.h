// Published claims as data (schema "statetrack.claims/1", docs/claims.md): what a paper says a
// model family does on a task, as expectations the report tests against the runs
// (claim_evaluation.h). Contract:
//  - parse_claims is strict: a missing key, an unknown key, a bad value or a duplicate claim id
//    throws std::invalid_argument "FILE: claims[i].KEY: problem" naming the file and key path.
//  - published_claims(): results/claims/published.json, compiled into the library at configure
//    time (no file is read at run time); parsed once, named by that path in messages.
//  - claims_for_report: the published claims (when asked) followed by each file's, with ids
//    unique across all of them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/result_record.h"

namespace statetrack::results {

inline constexpr const char* kClaimsSchema = "statetrack.claims/1";
inline constexpr const char* kPublishedClaimsPath = "results/claims/published.json";

// One entry of "tasks": "parity" (a task label or spec, exactly), "class:solvable" (an algebraic
// class) or {"spec_prefix": "mqar"} (specs starting with it).
struct TaskMatcher {
    enum class Kind { kName, kClass, kSpecPrefix };
    Kind kind = Kind::kName;
    std::string value;
    bool matches(const std::string& label, const TaskFacts& task) const;
    std::string describe() const;  // "parity", "class:solvable", "mqar*"
};

// One object of "models": {"family": ...}, {"type": ...} or {"label": ...} (the model label).
struct ModelMatcher {
    enum class Kind { kFamily, kType, kLabel };
    Kind kind = Kind::kFamily;
    std::string value;
    bool matches(const std::string& label, const ModelFacts& model) const;
    std::string describe() const;  // "attention", "type:lstm", "label:rwkv7-ext"
};

enum class ExpectKind {
    kGeneralises,
    kDoesNotGeneralise,
    kFits,
    kDoesNotFit,
    kMinDepthAtMost,
    kMinDepthGrows,
    kFewerLayersThan,
};
std::string to_string(ExpectKind kind);  // the schema's name: "min_depth_at_most"
std::optional<ExpectKind> parse_expect_kind(const std::string& name);

struct Expectation {
    std::vector<TaskMatcher> tasks;    // any of
    std::vector<ModelMatcher> models;  // any of
    std::optional<int64_t> n_layers;   // verdict kinds only: restrict to this depth
    std::vector<ExpectKind> expect;    // any of (one or more)
    int64_t depth = 0;                 // min_depth_at_most
    std::vector<ModelMatcher> than;    // fewer_layers_than: the models compared against
    std::string describe() const;      // "attention on parity: does_not_generalise"
};

struct Claim {
    std::string id;
    std::string source;     // "Delétang et al. 2023 (ICLR), Table 2"
    std::string statement;  // the claim in words
    std::string published;  // the published numbers
    int64_t min_seeds = 1;  // seeds at lr* a matched group needs for a met / contradicted test
    std::vector<Expectation> expectations;
    std::string file;  // where it was read from
    size_t index = 0;  // its position in that file's "claims"
};

std::vector<Claim> parse_claims(const nlohmann::json& json, const std::string& file);
std::vector<Claim> load_claims(const std::string& path);
std::string_view published_claims_text();  // the compiled-in published.json
const std::vector<Claim>& published_claims();

// Throws std::invalid_argument naming the file of the second occurrence of an id.
void check_unique_claim_ids(const std::vector<Claim>& claims);
std::vector<Claim> claims_for_report(bool published, const std::vector<std::string>& files);

}  // namespace statetrack::results
