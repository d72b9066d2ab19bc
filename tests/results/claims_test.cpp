// Strict claims parsing (exact messages for unknown keys, bad values and duplicate ids), loading
// files, and the compiled-in published claims.
#include "results/claims.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "results/model_family.h"
#include "results/results_test_support.h"

namespace statetrack::results {
namespace {

using nlohmann::json;
using testing_support::error_of;
using testing_support::ScratchDir;
using testing_support::write_json;

json claim(const std::string& id, json expectation) {
    return {{"id", id},
            {"source", "A et al. 2024"},
            {"statement", "s"},
            {"published", "p"},
            {"expectations", json::array({std::move(expectation)})}};
}

json expectation() {
    return {
        {"tasks", {"parity"}}, {"models", {{"family", "attention"}}}, {"expect", "generalises"}};
}

json doc(json claims) { return {{"schema", kClaimsSchema}, {"claims", std::move(claims)}}; }

std::string parse_error(const json& j) {
    return error_of([&] { parse_claims(j, "c.json"); });
}

TEST(Claims, ParsesEveryMatcherAndKind) {
    json e = expectation();
    e["tasks"] = {"parity", "class:solvable", {{"spec_prefix", "mqar"}}};
    e["models"] = {{{"family", "dplr_bounded"}}, {{"type", "lstm"}}, {{"label", "rwkv7-ext"}}};
    e["n_layers"] = 2;
    e["expect"] = {"fewer_layers_than", "min_depth_at_most"};
    e["depth"] = 3;
    e["than"] = {{"family", "attention"}};
    json c = claim("x", e);
    c["min_seeds"] = 3;
    const std::vector<Claim> claims = parse_claims(doc({c}), "c.json");
    ASSERT_EQ(claims.size(), 1u);
    const Claim& p = claims[0];
    EXPECT_EQ(p.min_seeds, 3);
    EXPECT_EQ(p.file, "c.json");
    const Expectation& x = p.expectations.at(0);
    ASSERT_EQ(x.tasks.size(), 3u);
    EXPECT_EQ(x.tasks[1].kind, TaskMatcher::Kind::kClass);
    EXPECT_EQ(x.tasks[1].value, "solvable");
    EXPECT_EQ(x.tasks[2].kind, TaskMatcher::Kind::kSpecPrefix);
    EXPECT_EQ(x.models[1].kind, ModelMatcher::Kind::kType);
    EXPECT_EQ(x.n_layers, 2);
    EXPECT_EQ(x.expect,
              (std::vector<ExpectKind>{ExpectKind::kFewerLayersThan, ExpectKind::kMinDepthAtMost}));
    EXPECT_EQ(x.depth, 3);
    ASSERT_EQ(x.than.size(), 1u);
    EXPECT_EQ(x.describe(),
              "dplr_bounded/type:lstm/label:rwkv7-ext L2 on parity, class:solvable, mqar*: "
              "fewer_layers_than attention or min_depth_at_most 3");
    TaskFacts mqar;
    mqar.spec = "mqar:vocab=64,pairs=8";
    EXPECT_TRUE(x.tasks[2].matches("recall", mqar));
    EXPECT_FALSE(x.tasks[0].matches("recall", mqar));
}

TEST(Claims, UnknownKeysAreErrors) {
    json c = claim("x", expectation());
    c["notes"] = "n";
    EXPECT_EQ(parse_error(doc({c})),
              "c.json: claims[0].notes: unknown key (allowed: id, source, statement, published, "
              "min_seeds, expectations)");
    json e = expectation();
    e["model"] = {{"family", "attention"}};
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].model: unknown key (allowed: tasks, models, "
              "n_layers, expect, depth, than)");
    json top = doc({claim("x", expectation())});
    top["version"] = 2;
    EXPECT_EQ(parse_error(top), "c.json: version: unknown key (allowed: schema, claims)");
}

TEST(Claims, BadValuesNameTheKey) {
    json e = expectation();
    e["expect"] = "generalizes";
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].expect: 'generalizes' is not one of "
              "generalises, does_not_generalise, fits, does_not_fit, min_depth_at_most, "
              "min_depth_grows, fewer_layers_than");
    e = expectation();
    e["models"] = {{"family", "ssm"}};
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].models.family: 'ssm' is not one of unknown, "
              "attention, nonlinear_rnn, diagonal_nonneg, diagonal_signed, dplr_bounded, "
              "dplr_unclamped, dplr_reflect");
    e = expectation();
    e["models"] = {{"family", "attention"}, {"type", "transformer"}};
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].models: needs exactly one of 'family', 'type', "
              "'label'");
    e = expectation();
    e["models"] = json::array({"attention"});
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].models[0]: expected an object with one of "
              "'family', 'type', 'label', got \"attention\"");
    e = expectation();
    e["tasks"] = {"class:regular"};
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].tasks[0]: 'regular' is not one of 'aperiodic', "
              "'solvable', 'non-solvable', 'n/a'");
    e = expectation();
    e["expect"] = "min_depth_at_most";
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: missing key 'claims[0].expectations[0].depth'");
    e = expectation();
    e["depth"] = 1;
    EXPECT_EQ(parse_error(doc({claim("x", e)})),
              "c.json: claims[0].expectations[0].depth: only min_depth_at_most takes a depth");
    json bad_schema = doc({});
    bad_schema["schema"] = "statetrack.claims/2";
    EXPECT_EQ(parse_error(bad_schema),
              "c.json: schema: 'statetrack.claims/2' is not 'statetrack.claims/1'");
    json no_expectations = claim("x", expectation());
    no_expectations["expectations"] = json::array();
    EXPECT_EQ(parse_error(doc({no_expectations})),
              "c.json: claims[0].expectations: must not be empty");
}

TEST(Claims, DuplicateIdsAreErrors) {
    EXPECT_EQ(parse_error(doc({claim("a", expectation()), claim("a", expectation())})),
              "c.json: claims[1].id: duplicate claim id 'a' (first in c.json, claims[0])");
    ScratchDir dir;
    const auto path = dir.path() / "mine.json";
    write_json(path, doc({claim(published_claims().front().id, expectation())}));
    EXPECT_EQ(error_of([&] { claims_for_report(true, {path.string()}); }),
              fmt::format("{}: claims[0].id: duplicate claim id '{}' (first in "
                          "results/claims/published.json, claims[0])",
                          path.string(), published_claims().front().id));
    EXPECT_EQ(claims_for_report(false, {path.string()}).size(), 1u);
}

TEST(Claims, LoadNamesTheFile) {
    ScratchDir dir;
    const auto missing = dir.path() / "none.json";
    EXPECT_EQ(error_of([&] { load_claims(missing.string()); }),
              missing.string() + ": cannot open the file");
    const auto broken = dir.path() / "broken.json";
    std::ofstream(broken) << "{\"schema\": ";
    EXPECT_EQ(error_of([&] {
                  load_claims(broken.string());
              }).rfind(broken.string() + ": invalid JSON", 0),
              0u);
}

TEST(Claims, PublishedFileParsesAndMatchesTheSource) {
    const auto source = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() /
                        "results" / "claims" / "published.json";
    EXPECT_EQ(std::string(published_claims_text()), testing_support::read_text(source));
    const std::vector<Claim>& claims = published_claims();
    EXPECT_GE(claims.size(), 8u);
    std::set<std::string> families_used;
    for (const Claim& c : claims) {
        EXPECT_EQ(c.file, kPublishedClaimsPath);
        EXPECT_GE(c.min_seeds, 1);
        for (const Expectation& e : c.expectations) {
            for (const ModelMatcher& m : e.models) {
                ASSERT_EQ(m.kind, ModelMatcher::Kind::kFamily) << c.id;
                ASSERT_TRUE(parse_model_family(m.value).has_value()) << c.id;
                EXPECT_NE(m.value, "unknown") << c.id;
                families_used.insert(m.value);
            }
            EXPECT_FALSE(e.expect.empty()) << c.id;
        }
    }
    for (const char* f : {"attention", "nonlinear_rnn", "diagonal_nonneg", "diagonal_signed",
                          "dplr_bounded", "dplr_reflect"}) {
        EXPECT_EQ(families_used.count(f), 1u) << f;
    }
}

}  // namespace
}  // namespace statetrack::results
