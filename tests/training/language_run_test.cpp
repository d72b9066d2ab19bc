// `statetrack run --regex ... --models ...`: the sweep it builds has one valid run per model on
// the user's language, with the documented defaults; bad --models items are named.
#include "harness/training/language_run.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "harness/runs/run_config.h"
#include "harness/runs/sweep_config.h"
#include "harness/runs/sweep_grid.h"
#include "testing/error_of.h"
#include "testing/scratch_dir.h"

namespace statetrack::harness {
namespace {

TEST(LanguageRun, OneValidRunPerModelOnTheLanguage) {
    LanguageRunRequest request;
    request.task_spec = "regex:(a|bb)*";
    request.models = split_model_list("rwkv7,transformer,lstm,mamba");
    request.max_steps = 50;
    const std::vector<SweepPoint> points =
        expand_sweep(sweep_config_from_json(language_sweep_json(request)));
    ASSERT_EQ(points.size(), 4u);
    const char* types[] = {"rwkv7", "transformer", "lstm", "mamba"};
    for (size_t i = 0; i < points.size(); ++i) {
        const RunConfig c = parse_run_config(points[i].config);
        EXPECT_EQ(c.task.spec, "regex:(a|bb)*");
        EXPECT_EQ(c.budget.max_steps, 50);
        EXPECT_EQ(points[i].config["model"]["type"], types[i]);
        EXPECT_EQ(points[i].config["model"]["name"], types[i]);
    }
}

// Each bare type at the request's size, with its own defaults (model_factory.h).
TEST(LanguageRun, BareTypesGetTheirDefaultsAtTheRequestedSize) {
    LanguageRunRequest request;
    request.task_spec = "parity";
    request.models = split_model_list("rwkv7,transformer,lstm,mamba");
    const nlohmann::json models = language_sweep_json(request)["axes"][0]["values"];
    ASSERT_EQ(models.size(), 4u);
    const auto sized = [](const std::string& type, int64_t n_layers, nlohmann::json extra) {
        extra.update({{"type", type}, {"name", type}, {"n_layers", n_layers}, {"d_model", 64}});
        return extra;
    };
    EXPECT_EQ(models[0], sized("rwkv7", 2, {{"head_size", 32}}));
    EXPECT_EQ(models[1], sized("transformer", 2, {{"n_heads", 4}}));
    EXPECT_EQ(models[2], sized("lstm", 1, nlohmann::json::object()));
    EXPECT_EQ(models[3], sized("mamba", 2, nlohmann::json::object()));
    request.models = {"rwkv7"};
    request.d_model = 48;
    EXPECT_EQ(language_sweep_json(request)["base"]["model"]["head_size"], 16);
}

TEST(LanguageRun, BadModelItemsAreNamed) {
    LanguageRunRequest request;
    request.task_spec = "parity";
    request.models = {"gru"};
    try {
        language_sweep_json(request);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'gru' is neither a model type"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(split_model_list("rwkv7,,lstm"), std::invalid_argument);
    EXPECT_THROW(split_model_list(""), std::invalid_argument);
}

// A model config file is read as every JSON input is (core/strict_json.h): errors name the file.
TEST(LanguageRun, ModelConfigFilesAreReadStrictly) {
    const statetrack::testing::ScratchDir dir;
    LanguageRunRequest request;
    request.task_spec = "parity";
    const auto error_for = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir.sub(name)) << text;
        request.models = {dir.sub(name)};
        return statetrack::testing::error_of<std::invalid_argument>(
            [&] { language_sweep_json(request); });
    };
    EXPECT_NE(
        error_for("dup.json", R"({"type": "lstm", "type": "lstm"})").find(dir.sub("dup.json")),
        std::string::npos);
    EXPECT_NE(error_for("list.json", "[1]").find("is not a JSON object"), std::string::npos);
    request.models = {dir.sub("missing.json")};
    EXPECT_NE(
        statetrack::testing::error_of([&] { language_sweep_json(request); }).find("cannot open"),
        std::string::npos);
    EXPECT_EQ(error_for("ok.json", R"({"type": "lstm", "d_model": 8})"),
              statetrack::testing::kNoError);
}

}  // namespace
}  // namespace statetrack::harness
