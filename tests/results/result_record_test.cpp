// result.json parsing: typed fields from a fixture, round trip through run_result_to_json, and
// one test per validation rule (the message must name the file and the key path).
#include "results/result_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "results/results_test_support.h"
#include "testing/error_of.h"

namespace statetrack::results {
namespace {

using testing_support::fixture_run;
using testing_support::read_json;

const char* kRun = "group_A5-rwkv7-L2-d64-lr0.003-s2";

nlohmann::json fixture() { return read_json(fixture_run(kRun)); }

std::string parse_error(const nlohmann::json& j) {
    return statetrack::testing::error_of<std::invalid_argument>(
        [&] { parse_run_result(j, "runs/x/result.json"); });
}

TEST(ResultRecord, ParsesAFixture) {
    const RunResult r = load_run_result(fixture_run(kRun).string());
    EXPECT_EQ(r.run_id, kRun);
    EXPECT_EQ(r.status, RunStatus::kComplete);
    EXPECT_EQ(r.labels.task, "group:A5");
    EXPECT_EQ(r.labels.model, "rwkv7");
    EXPECT_EQ(r.labels.n_layers, 2);
    EXPECT_EQ(r.labels.d_model, 64);
    EXPECT_DOUBLE_EQ(r.labels.lr, 0.003);
    EXPECT_EQ(r.labels.seed, 2);
    EXPECT_EQ(r.task.algebraic_class, "non-solvable");
    EXPECT_EQ(r.task.circuit_class, "NC1-complete");
    EXPECT_EQ(r.task.num_classes, 60);
    EXPECT_DOUBLE_EQ(r.task.chance, 1.0 / 60.0);
    EXPECT_EQ(r.task.train_lengths.max, 16);
    EXPECT_EQ(r.model.parameters, 112000);
    EXPECT_EQ(r.model.state_size, 8320);
    EXPECT_EQ(r.environment.git_commit, "0123456789ab");
    EXPECT_EQ(platform_of(r.environment), "cpu, float32, LibTorch 1.13.1");
    EXPECT_EQ(r.training.stop_reason, StopReason::kTargetAccuracy);  // sequence accuracy 1 at length 8
    EXPECT_EQ(r.training.steps, 800);
    ASSERT_EQ(r.evaluation.size(), 5u);
    EXPECT_EQ(r.evaluation[4].length, 128);
    EXPECT_FALSE(r.evaluation[4].in_distribution);
    EXPECT_TRUE(r.evaluation[1].in_distribution);
    EXPECT_DOUBLE_EQ(r.evaluation[4].accuracy.sequence, 0.93);  // 0.95 - seed 2's 0.02
    EXPECT_DOUBLE_EQ(r.evaluation[4].accuracy.token, 0.965);
}

TEST(ResultRecord, PlatformNamesTheDevicePrecisionAndVersions) {
    nlohmann::json j = fixture();
    j["environment"]["device"] = "cuda:0";
    j["environment"]["device_name"] = "NVIDIA H200 (compute capability 9.0)";
    j["environment"]["dtype"] = "bf16-autocast";
    j["environment"]["libtorch"] = "2.11.0";
    j["environment"]["cuda"] = "13.0";
    const RunResult r = parse_run_result(j, "a.json");
    EXPECT_EQ(platform_of(r.environment),
              "NVIDIA H200 (compute capability 9.0) (cuda:0), bf16-autocast, LibTorch 2.11.0, "
              "CUDA 13.0");
    EXPECT_EQ(platform_of(parse_run_result(run_result_to_json(r), "b.json").environment),
              platform_of(r.environment));
    j["environment"] = {{"git_commit", "0123456789ab"}, {"statetrack_version", "0.1.0"}};
    EXPECT_EQ(platform_of(parse_run_result(j, "c.json").environment), "");  // results from before these keys
}

TEST(ResultRecord, RoundTripsThroughToJson) {
    const RunResult r = parse_run_result(fixture(), "a.json");
    const nlohmann::json written = run_result_to_json(r);
    const RunResult back = parse_run_result(written, "b.json");
    EXPECT_EQ(run_result_to_json(back), written);
    EXPECT_EQ(back.evaluation.size(), r.evaluation.size());
}

TEST(ResultRecord, FailedRunNeedsOnlyLabelsAndError) {
    const nlohmann::json j = {{"schema", "statetrack.result/1"},
                              {"run_id", "r1"},
                              {"status", "failed"},
                              {"error", "out of memory"},
                              {"labels",
                               {{"task", "parity"},
                                {"model", "lstm"},
                                {"n_layers", 1},
                                {"d_model", 8},
                                {"lr", 0.01},
                                {"seed", 0}}}};
    const RunResult r = parse_run_result(j, "f.json");
    EXPECT_EQ(r.status, RunStatus::kFailed);
    EXPECT_EQ(r.error, "out of memory");
    EXPECT_TRUE(r.evaluation.empty());
    EXPECT_EQ(parse_run_result(run_result_to_json(r), "g.json").error, "out of memory");
    nlohmann::json no_error = j;
    no_error["error"] = nullptr;
    EXPECT_EQ(parse_error(no_error), "runs/x/result.json: missing key 'error'");
}

TEST(ResultRecord, UnknownKeysAreIgnored) {
    nlohmann::json j = fixture();
    j["future_field"] = {1, 2};
    j["task"]["new_fact"] = "x";
    j["evaluation"][0]["loss"] = 0.1;
    EXPECT_NO_THROW(parse_run_result(j, "a.json"));
}

TEST(ResultRecord, MissingKeysNameTheFileAndKey) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/schema", "schema"},
        {"/run_id", "run_id"},
        {"/status", "status"},
        {"/labels", "labels"},
        {"/labels/seed", "labels.seed"},
        {"/labels/d_model", "labels.d_model"},
        {"/task", "task"},
        {"/task/algebraic_class", "task.algebraic_class"},
        {"/task/chance", "task.chance"},
        {"/task/train_lengths", "task.train_lengths"},
        {"/model/parameters", "model.parameters"},
        {"/model/state_size", "model.state_size"},
        {"/environment/git_commit", "environment.git_commit"},
        {"/training/stop_reason", "training.stop_reason"},
        {"/wall_seconds", "wall_seconds"},
        {"/evaluation", "evaluation"},
        {"/evaluation/2/sequence_accuracy", "evaluation[2].sequence_accuracy"},
        {"/evaluation/0/in_distribution", "evaluation[0].in_distribution"},
    };
    for (const auto& [pointer, key] : cases) {
        nlohmann::json j = fixture();
        const nlohmann::json::json_pointer p(pointer);
        j[p.parent_pointer()].erase(p.back());
        EXPECT_EQ(parse_error(j), "runs/x/result.json: missing key '" + key + "'") << pointer;
    }
}

struct BadValue {
    std::string pointer;
    nlohmann::json value;
    std::string message;  // expected suffix after "runs/x/result.json: "
};

TEST(ResultRecord, BadValuesNameTheFileKeyAndProblem) {
    const std::vector<BadValue> cases = {
        {"/schema", "statetrack.result/2",
         "schema: 'statetrack.result/2' is not "
         "'statetrack.result/1'"},
        {"/status", "running", "status: 'running' is not one of 'complete', 'failed'"},
        {"/run_id", "", "run_id: must not be empty"},
        {"/labels/n_layers", 0, "labels.n_layers: 0 is below the minimum 1"},
        {"/labels/lr", 0.0, "labels.lr: 0 is not positive"},
        {"/labels/seed", 1.5, "labels.seed: expected an integer, got 1.5"},
        {"/labels/model", 3, "labels.model: expected a string, got number"},
        {"/task/algebraic_class", "regular",
         "task.algebraic_class: 'regular' is not one of 'aperiodic', 'solvable', "
         "'non-solvable', 'n/a'"},
        {"/task/circuit_class", "TC0",
         "task.circuit_class: 'TC0' is not one of 'AC0', 'ACC0', 'NC1-complete', 'n/a'"},
        {"/task/chance", 1.0,
         "task.chance: must be below 1 (scaled accuracy divides by 1 - "
         "chance)"},
        {"/task/train_lengths",
         {5, 2},
         "task.train_lengths: [5, 2] is not a range with 0 <= lo <= hi"},
        {"/task/test_lengths",
         {1, 2, 3},
         "task.test_lengths: expected [lo, hi] (two integers), got [1,2,3]"},
        {"/model", "rwkv7", "model: expected an object, got string"},
        {"/evaluation", nlohmann::json::array(),
         "evaluation: a complete run needs at least one entry"},
        {"/evaluation/1/sequence_accuracy", 1.2,
         "evaluation[1].sequence_accuracy: 1.2 is outside [0, 1]"},
        {"/evaluation/1/token_accuracy", -0.1,
         "evaluation[1].token_accuracy: -0.1 is outside [0, 1]"},
        {"/evaluation/1/mode", "batch",
         "evaluation[1].mode: 'batch' is not one of 'parallel', 'step'"},
        {"/training/stop_reason", "bored",
         "training.stop_reason: 'bored' is not one of 'target_accuracy', 'max_steps', "
         "'time_budget', 'non_finite'"},
        {"/evaluation/1/examples", 0, "evaluation[1].examples: 0 is below the minimum 1"},
        {"/evaluation/3/in_distribution", true,
         "evaluation[3].in_distribution: true contradicts length 64 and task.train_lengths "
         "[1, 16]"},
        {"/evaluation/2", 7, "evaluation[2]: expected an object, got number"},
        {"/wall_seconds", -1.0, "wall_seconds: -1 is negative"},
    };
    for (const BadValue& c : cases) {
        nlohmann::json j = fixture();
        j[nlohmann::json::json_pointer(c.pointer)] = c.value;
        EXPECT_EQ(parse_error(j), "runs/x/result.json: " + c.message) << c.pointer;
    }
}

TEST(ResultRecord, ScaledAccuracyMayBeNegativeDownToItsFloor) {
    nlohmann::json j = fixture();  // chance 1/60: floor -1/59
    j["evaluation"][0]["scaled_accuracy"] = -1.0 / 59.0;
    EXPECT_NO_THROW(parse_run_result(j, "a.json"));
    j["evaluation"][0]["scaled_accuracy"] = -0.05;
    EXPECT_NE(parse_error(j).find("evaluation[0].scaled_accuracy: -0.05 is outside"),
              std::string::npos);
}

TEST(ResultRecord, DuplicateEvaluationEntryIsAnError) {
    nlohmann::json j = fixture();
    j["evaluation"].push_back(j["evaluation"][1]);
    EXPECT_EQ(parse_error(j),
              "runs/x/result.json: evaluation[5]: a second entry for split 'test', mode "
              "'parallel', length 16");
    j["evaluation"][5]["mode"] = "step";  // the same length in step mode is a different entry
    EXPECT_NO_THROW(parse_run_result(j, "a.json"));
}

TEST(ResultRecord, NotAnObjectOrInvalidJson) {
    EXPECT_EQ(parse_error(nlohmann::json::array()),
              "runs/x/result.json: the document is not a JSON object");
    testing_support::ScratchDir dir;
    const auto path = dir.path() / "result.json";
    std::ofstream(path) << "{\"schema\": ";
    try {
        load_run_result(path.string());
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path.string() + ": invalid JSON", 0), 0u) << e.what();
    }
}

TEST(ResultRecord, ClassRankOrdersAperiodicSolvableNonSolvableThenOthers) {
    EXPECT_LT(algebraic_class_rank("aperiodic"), algebraic_class_rank("solvable"));
    EXPECT_LT(algebraic_class_rank("solvable"), algebraic_class_rank("non-solvable"));
    EXPECT_LT(algebraic_class_rank("non-solvable"), algebraic_class_rank("n/a"));
    EXPECT_TRUE(is_known_algebraic_class("n/a"));
    EXPECT_FALSE(is_known_algebraic_class("regular"));
}

}  // namespace
}  // namespace statetrack::results
